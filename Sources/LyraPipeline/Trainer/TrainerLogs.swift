import LyraSearch
import LyraTensor

/// What callbacks share during training (VEGA's `logs` dict), kept on the trainer.
public struct TrainerLogs {
  /// Loss of the last training step.
  public var loss: Double?
  /// Mean training loss of the current epoch so far (MetricsEvaluator).
  public var trainLoss: Double?
  /// Mean validation loss of the last validation.
  public var validLoss: Double?
  /// The optimiser's current learning rate.
  public var lr: Double = 0
  /// Output and target of the last training or validation batch.
  public var output: Tensor?
  public var target: Tensor?
  /// Metrics on the training batches of the current epoch (`call_metrics_on_train`).
  public var trainPerfs: [String: Double] = [:]
  /// VEGA's `summary_perfs`: this validation's values, the best so far, whether it changed.
  public var currentPerfs: [String: Double] = [:]
  public var bestPerfs: [String: Double] = [:]
  public var bestChanged = false
  /// The epoch (0-based) of `bestPerfs`.
  public var bestEpoch: Int?
  /// ModelStatistics: parameters (K), MACs (G per sample), latency (ms, when measured).
  public var statistics: [String: Double] = [:]
  /// Whether the epoch that just ended ran a validation.
  public var validated = false

  public init() {}
}

/// What the trainer hands the pipeline (ReportCallback) after each validated epoch and
/// at the end: VEGA's record fields `performance`, `objectives`, `current_epoch`.
public struct TrainerReport: Equatable {
  /// The epoch just finished, 1-based (VEGA's `current_epoch`).
  public var epoch: Int
  public var epochs: Int
  /// This epoch's validation values plus statistics (flops, params, latency).
  public var performance: [String: Double]
  /// The best validation values so far plus statistics.
  public var best: [String: Double]
  /// Direction of every key in `performance`.
  public var objectives: [String: Direction]
  /// True for the last report of a `train()` call.
  public var final: Bool
}
