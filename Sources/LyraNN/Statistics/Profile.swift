import Foundation
import LyraBase
import LyraTensor

/// Multiply-adds of one module call, from its own parameters and the traced shapes
/// (convolution and linear layers only, the convention of the anchors and of most
/// NAS papers; element-wise and pooling work is not counted).
public protocol CountsMACs {
  func macs(input: [Int], output: [Int]) -> Int
}

extension Conv2d: CountsMACs {
  public func macs(input: [Int], output: [Int]) -> Int {
    output.reduce(1, *) * (inChannels / groups) * kernel.h * kernel.w
  }
}

extension Linear: CountsMACs {
  public func macs(input: [Int], output: [Int]) -> Int { output.reduce(1, *) * inFeatures }
}

/// Parameters, FLOPs and measured latency of a model (docs/architecture.md#models-and-data), per module and in total.
public struct Profile {
  public struct Row {
    public var name: String
    public var type: String
    public var output: [Int]
    public var parameters: Int
    public var macs: Int
  }

  public var rows: [Row]
  /// Trainable values in the whole model.
  public var parameters: Int
  /// Multiply-adds of one forward pass for the traced input, all samples.
  public var macs: Int
  /// Multiply-adds per sample (the traced batch size divided out).
  public var macsPerSample: Int

  /// Traces `model` on a zero input of `inputShape` (batch first), in eval mode (its mode
  /// is restored after): batch statistics of a one-sample trace are meaningless, and in
  /// training mode a BatchNorm over 1×1 maps refuses a batch of one, so a quota's
  /// `model_valid` failed every DNet sample on 28×28 images (issue 19).
  public init(_ model: Module, inputShape: [Int]) throws {
    let wasTraining = model.training
    model.eval()
    defer { model.train(wasTraining) }
    let calls = try ModuleTracer.trace(model, input: Tensor.zeros(inputShape))
    var rows: [Row] = []
    var total = 0
    for c in calls {
      let own = c.module.ownParameters.reduce(0) { $0 + $1.tensor.count }
      let m = (c.module as? CountsMACs)?.macs(input: c.input, output: c.output) ?? 0
      total += m
      rows.append(Row(name: c.name.isEmpty ? "(model)" : c.name, type: c.module.typeName, output: c.output, parameters: own, macs: m))
    }
    self.rows = rows
    self.parameters = model.parameterCount
    self.macs = total
    self.macsPerSample = total / max(inputShape.first ?? 1, 1)
  }

  /// A text table, one line per module call.
  public var table: String {
    var lines = [String(format: "%-28@ %-18@ %-18@ %12@ %14@", "module", "type", "output", "params", "MACs")]
    for r in rows {
      lines.append(String(format: "%-28@ %-18@ %-18@ %12d %14d", r.name, r.type, ShapeText.format(r.output, .size),
                          r.parameters, r.macs))
    }
    lines.append(String(format: "total: %d parameters, %.3f M MACs per sample", parameters, Double(macsPerSample) / 1e6))
    return lines.joined(separator: "\n")
  }
}

/// Measured inference latency: eval mode, no gradients, warm-up runs first, the
/// median of `repeats` timed runs (robust to a noisy shared machine).
public enum Latency {
  public static func measure(_ model: Module, inputShape: [Int], warmup: Int = 3, repeats: Int = 10) throws -> Double {
    let wasTraining = model.training
    model.eval()
    defer { model.train(wasTraining) }
    let x = Tensor.zeros(inputShape)
    var times: [Double] = []
    try Tensor.noGrad {
      for _ in 0..<warmup { _ = try model(x) }
      for _ in 0..<max(repeats, 1) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        _ = try model(x)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
      }
    }
    times.sort()
    return times[times.count / 2]
  }
}
