import Foundation

/// The `lyra worker` processes of a parallel search step on this machine.
///
/// Workers are started with the runner's pid (they exit when it dies), and one that
/// exits is replaced (`reap` names the dead, so the runner hands their trials out again
/// at once instead of waiting for a heartbeat timeout), up to `maxSpawns` starts in all, so a worker that keeps dying
/// (a binary that cannot start) ends the search instead of looping.
final class WorkerPool {
  let command: [String]
  let arguments: [String]
  let count: Int
  let maxSpawns: Int
  let idPrefix: String
  /// Added to each worker's environment (PGPASSWORD: a password never goes on a command line).
  let environment: [String: String]
  private var processes: [(process: Process, id: String)] = []
  private(set) var spawned = 0

  /// `command`: the executable and its leading arguments (`[lyra, "worker"]`);
  /// `arguments`: the rest (`--store`, `--step`, ...), each worker adds `--id`.
  init(command: [String], arguments: [String], count: Int, idPrefix: String, maxSpawns: Int? = nil, environment: [String: String] = [:]) {
    self.environment = environment
    self.command = command
    self.arguments = arguments
    self.count = count
    self.idPrefix = idPrefix
    self.maxSpawns = maxSpawns ?? max(10, 4 * count)
  }

  func start() throws {
    while processes.count < count { processes.append(try spawn()) }
  }

  private func spawn() throws -> (process: Process, id: String) {
    guard spawned < maxSpawns else {
      throw StoreError("worker processes keep exiting (\(spawned) started): \(command.joined(separator: " "))")
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: command[0])
    let id = "\(idPrefix)-w\(spawned)"
    p.arguments = Array(command.dropFirst()) + arguments + ["--id", id]
    if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
    try p.run()
    spawned += 1
    return (p, id)
  }

  /// Replaces workers that exited. Returns the worker ids of those that exited: a
  /// trial still `running` under one of them can never finish.
  @discardableResult
  func reap() throws -> [String] {
    var dead: [String] = []
    for i in processes.indices where !processes[i].process.isRunning {
      dead.append(processes[i].id)
      processes[i] = try spawn()
    }
    return dead
  }

  /// Terminates every worker (SIGTERM, then SIGKILL after `grace` seconds) and waits.
  func stop(grace: Double = 2) {
    for (p, _) in processes where p.isRunning { p.terminate() }
    let deadline = Date(timeIntervalSinceNow: grace)
    for (p, _) in processes {
      while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
      if p.isRunning { kill(p.processIdentifier, SIGKILL) }
      p.waitUntilExit()
    }
    processes = []
  }

  var pids: [pid_t] { processes.map(\.process.processIdentifier) }
}
