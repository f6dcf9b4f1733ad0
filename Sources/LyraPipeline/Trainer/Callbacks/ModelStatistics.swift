import LyraNN
import LyraTensor

/// Priority 220: parameters (K), multiply-adds (G per sample) and, with `calc_latency`,
/// host latency (ms per sample), in VEGA's units (the quota's), into `logs.statistics`
/// and so into every report as `params`, `flops`, `latency`.
///
/// Profiled in eval mode without gradients: a training-mode forward on the zero probe
/// would move batch-norm running statistics and break bit-identical resumes.
public final class ModelStatistics: TrainerCallback {
  public override var priority: Int { 220 }

  public override func beforeTrain() throws {
    guard let t = trainer, t.config.modelStatistics || t.config.calcLatency, let model = t.model,
          let loader = t.trainLoader ?? t.validLoader, loader.dataset.count > 0 else { return }
    let shape = [1] + (t.sampleShape ?? loader.dataset.item(at: 0).shape)
    let wasTraining = model.training
    model.eval()
    defer { model.train(wasTraining) }
    do {
      if t.config.modelStatistics {
        let p = try Tensor.noGrad { try Profile(model, inputShape: shape) }
        t.logs.statistics["params"] = Double(p.parameters) * 1e-3
        t.logs.statistics["flops"] = Double(p.macsPerSample) * 1e-9
      }
      if t.config.calcLatency {
        t.logs.statistics["latency"] = try Latency.measure(model, inputShape: shape) * 1e3
      }
    } catch {
      throw TrainerError.input("model statistics: the model does not run on \(shape): \(error)")
    }
  }
}
