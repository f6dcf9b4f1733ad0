import Foundation
import Synchronization

/// A persistent pool of worker threads for `KernelParallel`.
///
/// Why not `DispatchQueue.concurrentPerform`: a training step of the reference models
/// runs dozens of parallel regions of 50 µs–2 ms each; waking GCD's workers through the
/// kernel costs tens of µs per region, and on a 2-core machine that is several percent of
/// a step (the MLP's whole step is ~1 ms). Here the workers spin for a short while
/// after each job (a new job is picked up in well under a µs), then sleep on a condition
/// variable so an idle process does not burn a core. The calling thread always runs part
/// 0 itself. A region started while another is running (nested, or from a second thread)
/// runs serially on its caller instead of queueing.
final class KernelThreadPool: @unchecked Sendable {
  /// Workers besides the calling thread.
  let workers: Int
  private let generation = Atomic<Int>(0)
  private let remaining = Atomic<Int>(0)
  private let sleeping = Atomic<Int>(0)
  private let inUse = Atomic<Bool>(false)
  private var mutex = pthread_mutex_t()
  private var cond = pthread_cond_t()
  /// The current job: part index → work. Only read by workers between a generation bump and their decrement.
  nonisolated(unsafe) private var job: ((Int) -> Void)?
  nonisolated(unsafe) private var jobParts = 0
  /// Spin iterations before a worker sleeps (~50–100 µs).
  static let spinLimit = 20_000

  init(workers: Int) {
    self.workers = workers
    pthread_mutex_init(&mutex, nil)
    pthread_cond_init(&cond, nil)
    for w in 1...max(1, workers) where workers > 0 {
      let t = Thread { [unowned self] in self.workerLoop(w) }
      t.stackSize = 1 << 20
      t.start()
    }
  }

  private func workerLoop(_ index: Int) {
    var seen = 0
    while true {
      var spins = 0
      var g = generation.load(ordering: .acquiring)
      while g == seen {
        spins += 1
        if spins > KernelThreadPool.spinLimit {
          pthread_mutex_lock(&mutex)
          sleeping.add(1, ordering: .sequentiallyConsistent)
          while generation.load(ordering: .sequentiallyConsistent) == seen { pthread_cond_wait(&cond, &mutex) }
          sleeping.subtract(1, ordering: .sequentiallyConsistent)
          pthread_mutex_unlock(&mutex)
          spins = 0
        }
        g = generation.load(ordering: .acquiring)
      }
      seen = g
      if index < jobParts, let job { job(index) }
      remaining.subtract(1, ordering: .releasing)
    }
  }

  /// Runs `body(0..<parts)` with part 0 on the caller; false (nothing run) when the pool is busy.
  func run(parts: Int, _ body: (Int) -> Void) -> Bool {
    guard inUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
    defer { inUse.store(false, ordering: .releasing) }
    let p = min(parts, workers + 1)
    withoutActuallyEscaping(body) { b in
      job = b
      jobParts = p
      remaining.store(workers, ordering: .relaxed)
      generation.add(1, ordering: .sequentiallyConsistent)
      if sleeping.load(ordering: .sequentiallyConsistent) > 0 {
        pthread_mutex_lock(&mutex)
        pthread_cond_broadcast(&cond)
        pthread_mutex_unlock(&mutex)
      }
      b(0)
      var spins = 0
      while remaining.load(ordering: .acquiring) > 0 {
        spins += 1
        if spins > 2000 { sched_yield() }
      }
      job = nil
    }
    return true
  }
}
