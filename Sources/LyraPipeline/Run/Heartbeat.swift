import Foundation

/// A background thread that refreshes a running trial's heartbeat every `interval`
/// seconds while the executor works, on its own store connection.
///
/// Why a thread: the executor (a training loop) cannot be asked to call back; the
/// heartbeat proves the process is alive, not that the trainer is making progress.
/// When the store says the trial is no longer ours (it was requeued as stale), `lost`
/// turns true and the worker drops its result.
final class Heartbeat {
  private let cond = NSCondition()
  private var stopped = false
  private var finished = false
  private var _lost = false

  var lost: Bool { cond.lock(); defer { cond.unlock() }; return _lost }

  init(storePath: String, step: String, trial: Int, worker: String, interval: Double) {
    let thread = Thread { [self] in
      var store = try? TrialStore(path: storePath)
      cond.lock()
      while !stopped {
        _ = cond.wait(until: Date(timeIntervalSinceNow: interval))
        if stopped { break }
        cond.unlock()
        if store == nil { store = try? TrialStore(path: storePath) }  // the database was away when the trial began
        let ok = (try? store?.heartbeat(step: step, trial: trial, worker: worker)) ?? nil
        cond.lock()
        if ok == false { _lost = true }
      }
      finished = true
      cond.broadcast()
      cond.unlock()
    }
    thread.start()
  }

  /// Stops the thread and waits for it (so no heartbeat lands after the result).
  func stop() {
    cond.lock()
    stopped = true
    cond.broadcast()
    while !finished { cond.wait() }
    cond.unlock()
  }
}

/// Exits this process when its parent dies (the runner that spawned it was killed):
/// otherwise orphaned workers would keep claiming trials next to a resumed runner's.
/// Polls getppid(), since Foundation's Process cannot set PR_SET_PDEATHSIG.
enum ParentWatch {
  static func start(parent: pid_t, interval: Double = 0.25) {
    let thread = Thread {
      while true {
        if getppid() != parent { _exit(3) }
        Thread.sleep(forTimeInterval: interval)
      }
    }
    thread.start()
  }
}
