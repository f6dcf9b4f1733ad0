import Foundation
import LyraNN

/// timm's epoch schedules (timm/scheduler, as `create_scheduler` builds them from VEGA's
/// TimmTrainerCallback `lr_scheduler.params`), stepped once per epoch:
///
/// - warm-up, epochs t < `warmup_epochs`: warmup_lr + t·(base − warmup_lr)/warmup_epochs
///   (from the absolute `warmup_lr`, not a fraction of the base);
/// - then `sched: step`: base · decay_rate^⌊t / decay_epochs⌋ (t counted from 0, so the
///   warm-up epochs count towards the first decay, as timm's StepLRScheduler);
/// - or `sched: cosine`: min_lr + (base − min_lr)·(1 + cos(π·t/epochs))/2 for t < epochs,
///   min_lr after (timm's CosineLRScheduler, one cycle, t_initial = the trainer's epochs).
public struct TimmScheduler: LRScheduler {
  public enum Kind: String, CaseIterable, Sendable { case step, cosine }
  public var kind: Kind
  public var decayEpochs: Double, decayRate: Double
  public var warmupLR: Double, warmupEpochs: Int
  public var minLR: Double, epochs: Int

  public func rate(at t: Int, base: Double) -> Double {
    if t < warmupEpochs { return warmupLR + Double(t) * (base - warmupLR) / Double(warmupEpochs) }
    switch kind {
    case .step: return base * pow(decayRate, (Double(t) / decayEpochs).rounded(.down))
    case .cosine:
      guard t < epochs else { return minLR }
      return minLR + (base - minLR) * (1 + cos(Double.pi * Double(t) / Double(epochs))) / 2
    }
  }

  /// The `params` keys timm's create_scheduler reads that this schedule applies.
  static let keys = ["sched", "decay_epochs", "decay_rate", "warmup_lr", "warmup_epochs", "min_lr", "cooldown_epochs", "epochs"]

  /// From `{sched, decay_epochs 30, decay_rate 0.1, warmup_lr 1e-4, warmup_epochs 3, min_lr 1e-5,
  /// epochs}` (timm's train.py defaults); `cooldown_epochs` only as 0 (timm adds epochs at the
  /// minimum rate; the trial's budget is `trainer.epochs`).
  static func make(_ r: ParamReader, _ path: String) throws -> LRScheduler {
    let name = try r.string("sched", "step")
    guard let kind = Kind(rawValue: name) else {
      throw TrainerError.config("\(path).params.sched: '\(name)' is not supported; timm schedules here: step, cosine")
    }
    let decayEpochs = try r.double("decay_epochs", 30)
    guard decayEpochs > 0 else { throw TrainerError.config("\(path).params.decay_epochs: must be positive, got \(decayEpochs)") }
    if try r.int("cooldown_epochs", 0, min: 0) != 0 {
      throw TrainerError.config("\(path).params.cooldown_epochs: only 0 is supported (the budget is trainer.epochs)")
    }
    return TimmScheduler(kind: kind, decayEpochs: decayEpochs, decayRate: try r.double("decay_rate", 0.1),
                         warmupLR: try r.double("warmup_lr", 1e-4), warmupEpochs: try r.int("warmup_epochs", 3, min: 0),
                         minLR: try r.double("min_lr", 1e-5), epochs: try r.int("epochs", 1, min: 1))
  }
}
