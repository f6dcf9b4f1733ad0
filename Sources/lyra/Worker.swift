import ArgumentParser
import CRuntime
import Foundation
import LyraLua
import LyraPipeline

/// `lyra worker --store PATH`: takes trials from a trial store and runs them until
/// Ctrl-C (or `--idle-exit`). A search runner with `parallel_search` starts these; on
/// other machines they can be started by hand against a shared store.
struct Worker: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run trials from a trial store (a worker of a parallel search).")

  @Option(help: ArgumentHelp("The trial store: tasks/<id>/trials.db, or postgresql://USER@HOST[:PORT]/DB (password in PGPASSWORD or ~/.pgpass).", valueName: "PATH|URL"))
  var store: String

  @Option(help: ArgumentHelp("With a PostgreSQL store: the task to work for (default: the database's only unfinished task).", valueName: "ID"))
  var task: String?

  @Option(help: ArgumentHelp("This worker's name (default host:pid:random).", valueName: "NAME"))
  var id: String?

  @Option(help: ArgumentHelp("Only run trials of this step.", valueName: "STEP"))
  var step: String?

  @Option(help: "Seconds between heartbeats of a running trial.")
  var heartbeat: Double = 2

  @Option(help: "Exit after this many seconds without a pending trial.")
  var idleExit: Double?

  @Option(help: ArgumentHelp("A plug-in file this worker may run (repeat for several). The worker runs only these: "
                              + "a plug-in path found in the store but not given here is refused.", valueName: "FILE"))
  var plugin: [String] = []

  @Option(help: ArgumentHelp("With a PostgreSQL store: keep trial files in this directory (mounted on every machine; a path or file:///path) "
                              + "instead of the database; the coordinator must use it too (lyra run --artifacts).", valueName: "DIR"))
  var artifacts: String?

  @Option(help: .hidden)
  var parentPid: Int32?

  func run() throws {
    lyra_sigint_install()
    if let parentPid { TrialWorker.exitWithParent(parentPid) }
    do {
      PluginHost.install()
      Plugins.restrict(to: plugin) // never code paths taken from the store
      var worker = TrialWorker(storePath: try PostgresTasks.workerStore(store, task: task), id: id, step: step, heartbeatInterval: heartbeat,
                               idleExit: idleExit, parent: parentPid)
      worker.artifacts = try artifacts.map(ArtifactsDirectory.parse)
      try worker.run()
    } catch {
      FileHandle.standardError.write(Data("lyra worker: \(Redact.urls(in: "\(error)"))\n".utf8))
      throw ExitCode(1)
    }
  }
}

/// `lyra _test-search --store PATH --seed S`: a seeded Branin search in a trial store,
/// resumed when the store already has it. Hidden: tests SIGKILL it and resume it.
struct TestSearch: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "_test-search", abstract: "Test helper.", shouldDisplay: false)

  @Option var store: String
  @Option var seed: UInt64 = 0
  @Option var trials: Int = 40
  @Option var sleepMs: Int = 0
  @Option var algorithm: String = "tpe"
  @Option var workers: Int = 1
  @Option var heartbeatTimeout: Double = 15
  @Option var localWorkers: Int?
  @Option var maxAttempts: Int = 3

  func run() throws {
    lyra_sigint_install()
    do {
      let outcome = try SyntheticSearch.run(
        storePath: store, seed: seed, trials: trials, sleepMs: sleepMs, algorithm: algorithm,
        options: { var o = SearchRunner.Options(workers: workers, heartbeatInterval: min(2, heartbeatTimeout / 4), heartbeatTimeout: heartbeatTimeout)
          o.localWorkers = localWorkers
          o.maxAttempts = maxAttempts
          return o }())
      print(outcome == .finished ? "finished" : "interrupted")
      if outcome == .interrupted { throw ExitCode(130) }
    } catch let e as ExitCode { throw e } catch {
      FileHandle.standardError.write(Data("lyra _test-search: \(error)\n".utf8))
      throw ExitCode(1)
    }
  }
}
