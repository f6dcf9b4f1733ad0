import Foundation
import LyraNN
import LyraNets
import LyraTensor

/// Applies a quota to a model description before training (VEGA's `verify_sample`):
/// builds the model, profiles it on one sample of `inputShape` (without the batch
/// dimension) for parameters and MACs, and times it only when a clause needs latency.
public struct QuotaVerdict: Equatable {
  public var passed: Bool
  public var measurements: QuotaMeasurements
  /// Why it failed ("flops < 0.6: 0.81", "does not build: ..."); nil when passed.
  public var reason: String?
}

extension Quota {
  /// Checks a built model. A forward pass that throws fails the sample (model_valid).
  public func check(_ model: Module, inputShape: [Int], latencyRepeats: Int = 10) -> QuotaVerdict {
    var m = QuotaMeasurements()
    do {
      let p = try Profile(model, inputShape: [1] + inputShape)
      m.params = Double(p.parameters) * 1e-3
      m.flops = Double(p.macsPerSample) * 1e-9
      if needs.contains(.latency) {
        m.latency = try Latency.measure(model, inputShape: [1] + inputShape, warmup: 2, repeats: latencyRepeats) * 1e3
      }
    } catch {
      return QuotaVerdict(passed: false, measurements: m, reason: "does not run: \(error)")
    }
    if let c = violation(m) {
      let v = m.value(c.quantity).map { String(format: "%.6g", $0) } ?? "not measured"
      return QuotaVerdict(passed: false, measurements: m, reason: "\(c): \(v)")
    }
    return QuotaVerdict(passed: true, measurements: m, reason: nil)
  }

  /// Checks a model description (any network type; the sample shape, without the batch
  /// dimension, fills its unset input keys): one that does not build fails. Both checks
  /// take `inputShape` without the batch dimension; the trial path once passed it with one,
  /// so a convolutional model saw a 5-D input and every conv sample failed its quota
  /// while an MLP (which flattens) passed (issue 19).
  public func check(description: JSON, inputShape: [Int], latencyRepeats: Int = 10) -> QuotaVerdict {
    let model: Module
    do { model = try NetworkRegistry.build(description, input: inputShape) } catch {
      return QuotaVerdict(passed: false, measurements: QuotaMeasurements(), reason: "does not build: \(error)")
    }
    return check(model, inputShape: inputShape, latencyRepeats: latencyRepeats)
  }
}
