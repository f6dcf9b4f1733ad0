import Foundation

/// A bounded FIFO between the prefetch thread and the consumer.
///
/// Bounded so a slow consumer does not let the producer fill memory; cancellable so a
/// consumer that stops early (a `break` out of the loop, an error) releases the thread
/// instead of leaving it blocked forever.
final class BatchQueue {
  private let condition = NSCondition()
  private var items: [Batch] = []
  private var head = 0
  private let capacity: Int
  private var finished = false
  private var cancelled = false
  /// True once the producer thread has returned.
  private(set) var producerExited = false
  /// Batches the producer has built (for tests of early stop).
  private(set) var produced = 0

  init(capacity: Int) {
    precondition(capacity >= 1)
    self.capacity = capacity
  }

  /// Starts the producer on a new thread: `make(b)` for b in 0..<count, in order.
  func start(count: Int, make: @escaping (Int) -> Batch) {
    let thread = Thread { [self] in
      for b in 0 ..< count {
        if isCancelled { break }
        if !put(make(b)) { break }
      }
      condition.lock()
      finished = true
      producerExited = true
      condition.broadcast()
      condition.unlock()
    }
    thread.name = "lyra.data.prefetch"
    thread.start()
  }

  private var isCancelled: Bool {
    condition.lock()
    defer { condition.unlock() }
    return cancelled
  }

  /// Waits for room; false if the queue was cancelled meanwhile.
  private func put(_ batch: Batch) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while items.count - head >= capacity && !cancelled { condition.wait() }
    if cancelled { return false }
    items.append(batch)
    produced += 1
    condition.broadcast()
    return true
  }

  /// The next batch, waiting for it; nil when the producer has finished and all are taken.
  func take() -> Batch? {
    condition.lock()
    defer { condition.unlock() }
    while head == items.count && !finished { condition.wait() }
    guard head < items.count else { return nil }
    let batch = items[head]
    head += 1
    if head > 64 && head * 2 > items.count {  // drop taken slots now and then
      items.removeFirst(head)
      head = 0
    }
    condition.broadcast()
    return batch
  }

  /// Stops the producer and waits until its thread has returned (at most one batch's work).
  func cancel() {
    condition.lock()
    defer { condition.unlock() }
    cancelled = true
    items.removeAll()
    head = 0
    condition.broadcast()
    while !producerExited { condition.wait() }
  }
}
