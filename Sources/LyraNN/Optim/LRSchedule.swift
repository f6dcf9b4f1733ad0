/// Drives an optimiser's learning rate from an `LRScheduler`, as a PyTorch scheduler
/// object does: constructing it sets the rate for step 0, each `step()` advances one step
/// (call it after `optimizer.step()`, per batch or per epoch as the schedule is counted).
///
/// The schedule itself stays a pure function of the step (Schedulers/LRScheduler.swift);
/// this object only holds the counter, so resuming is `resume(at:)` with the saved count.
public final class LRSchedule {
  public let optimizer: Optimizer
  public let scheduler: LRScheduler
  /// The rate the schedule scales (PyTorch's `initial_lr`); `rebase` changes it.
  public private(set) var baseLR: Double
  /// Steps taken so far (PyTorch's `last_epoch`); the optimiser's rate is rate(at: stepCount).
  public private(set) var stepCount: Int = 0

  /// `baseLR` defaults to the optimiser's current rate.
  public init(optimizer: Optimizer, scheduler: LRScheduler, baseLR: Double? = nil) {
    self.optimizer = optimizer
    self.scheduler = scheduler
    self.baseLR = baseLR ?? optimizer.lr
    optimizer.lr = scheduler.rate(at: 0, base: self.baseLR)
  }

  /// Advances one step and sets the optimiser's rate for it.
  public func step() {
    stepCount += 1
    optimizer.lr = scheduler.rate(at: stepCount, base: baseLR)
  }

  /// Jumps to `step` (resuming from a checkpoint) and sets the rate for it.
  public func resume(at step: Int) {
    precondition(step >= 0, "LRSchedule.resume: step must be non-negative, got \(step)")
    stepCount = step
    optimizer.lr = scheduler.rate(at: step, base: baseLR)
  }

  /// Makes `lr` the rate the schedule scales from now on and sets the optimiser's rate for
  /// the current step: a replayed PBT schedule (HpsScheduleReplay) changes the rate between
  /// epochs, and a by-step schedule would otherwise put the old base back at its next step.
  public func rebase(_ lr: Double) {
    baseLR = lr
    optimizer.lr = scheduler.rate(at: stepCount, base: lr)
  }

  /// The optimiser's current rate (PyTorch's `get_last_lr()`).
  public var lastLR: Double { optimizer.lr }
}
