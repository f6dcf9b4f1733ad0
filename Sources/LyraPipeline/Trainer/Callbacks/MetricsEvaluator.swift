/// Priority 230: the epoch's mean training loss (and training metrics with
/// `call_metrics_on_train`), the validation loss and metrics, and the best values so
/// far (VEGA's `summary_perfs`: current, best, best_changed) by `perfs_cmp_key`.
public final class MetricsEvaluator: TrainerCallback {
  public override var priority: Int { 230 }
  private var lossSum = 0.0
  private var lossCount = 0

  private func addLoss() {
    guard let t = trainer, let l = t.logs.loss else { return }
    let n = t.logs.target?.shape.first ?? 1
    lossSum += l * Double(n)
    lossCount += n
  }

  public override func beforeEpoch(_ epoch: Int) throws {
    lossSum = 0
    lossCount = 0
    trainer?.logs.bestChanged = false
    trainer?.logs.trainLoss = nil
    trainer?.trainMetrics?.reset()
  }

  public override func afterTrainStep(_ step: Int) throws {
    guard let t = trainer else { return }
    addLoss()
    t.logs.trainLoss = lossSum / Double(max(lossCount, 1))
    if let m = t.trainMetrics, let o = t.logs.output, let y = t.logs.target { try m.update(output: o, target: y) }
  }

  public override func beforeValid() throws {
    guard let t = trainer else { return }
    if let m = t.trainMetrics { t.logs.trainPerfs = (try? m.summary()) ?? [:] }
    lossSum = 0
    lossCount = 0
    t.metrics.reset()
  }

  public override func afterValidStep(_ step: Int) throws {
    guard let t = trainer, let o = t.logs.output, let y = t.logs.target else { return }
    addLoss()
    try t.metrics.update(output: o, target: y)
  }

  public override func afterValid() throws {
    guard let t = trainer else { return }
    t.logs.validLoss = lossSum / Double(max(lossCount, 1))
    let cur = try t.metrics.summary()
    t.logs.currentPerfs = cur
    let (key, dir) = t.comparison
    guard let v = cur[key] else {
      throw TrainerError.config("trainer.perfs_cmp_key: '\(key)' is not a metric value (have \(cur.keys.sorted().joined(separator: ", ")))")
    }
    if let b = t.logs.bestPerfs[key], !MetricSet.better(v, than: b, dir) { return }
    t.logs.bestPerfs = cur
    t.logs.bestEpoch = t.epoch
    t.logs.bestChanged = true
  }
}
