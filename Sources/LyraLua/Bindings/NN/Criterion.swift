import LyraNN
import LyraTensor

/// A loss object (`crit:forward(out, y)`, `crit(out, y)`, `crit:backward(out, y)`), as
/// Torch7's Criterion. Class targets are 1-based in Lua.
final class Criterion {
  let name: String
  let compute: (Tensor, Tensor) throws -> Tensor
  init(name: String, compute: @escaping (Tensor, Tensor) throws -> Tensor) {
    self.name = name
    self.compute = compute
  }
}

enum CriterionLua {
  static let className = "lyra.nn.Criterion"

  static func classTargets(_ logits: Tensor, _ y: Tensor) throws -> Tensor {
    guard logits.rank == 2 else { throw LuaFailure("expected logits [N, C], got \(ShapeText.format(logits.shape))") }
    guard y.rank == 1, y.shape[0] == logits.shape[0] else {
      throw LuaFailure("expected \(logits.shape[0]) class labels, got a tensor of shape \(ShapeText.format(y.shape))")
    }
    let c = logits.shape[1]
    let labels = y.toIntArray()
    if let bad = labels.first(where: { $0 < 1 || $0 > c }) {
      throw LuaFailure("class label \(bad) is outside 1..\(c) (labels are 1-based in Lua)")
    }
    return Tensor(indices: labels.map { $0 - 1 })
  }

  static func sameShape(_ a: Tensor, _ b: Tensor) throws {
    guard a.shape == b.shape else { throw LuaFailure("input \(ShapeText.format(a.shape)) and target \(ShapeText.format(b.shape)) differ in shape") }
  }

  static func make(_ name: String, _ help: String, options: [String] = [],
                   _ build: @escaping ([String: Double]) -> (Tensor, Tensor) throws -> Tensor) -> LuaMethod {
    LuaMethod(name, help: help) { call in
      var values: [String: Double] = [:]
      if let o = try call.options(1) {
        for k in options { if let v = try o.number(k) { values[k] = v } }
        try o.finish()
      }
      call.stack.push(object: Criterion(name: name, compute: build(values)), className: className)
      return 1
    }
  }

  static var constructors: [LuaMethod] {
    [
      make("CrossEntropyLoss", "nn.CrossEntropyLoss([{label_smoothing = 0}]) -> criterion\nMean cross-entropy of logits [N, C] against 1-based class labels [N].\nExample: loss = crit:forward(model:forward(x), y)", options: ["label_smoothing"]) { o in
        let ls = Float(o["label_smoothing"] ?? 0)
        return { x, y in
          guard (0...1).contains(ls) else { throw LuaFailure("label_smoothing must be in [0, 1]") }
          return Tensor.crossEntropy(x, try classTargets(x, y), labelSmoothing: ls)
        }
      },
      make("BCEWithLogitsLoss", "nn.BCEWithLogitsLoss() -> criterion\nMean binary cross-entropy of logits against targets in [0, 1] of the same shape.") { _ in
        { x, y in try sameShape(x, y); return Tensor.bceWithLogits(x, y.float()) }
      },
      make("MSELoss", "nn.MSELoss() -> criterion\nMean squared error.") { _ in
        { x, y in try sameShape(x, y); return Tensor.mseLoss(x, y.float()) }
      },
      make("L1Loss", "nn.L1Loss() -> criterion\nMean absolute error.") { _ in
        { x, y in try sameShape(x, y); return Tensor.l1Loss(x, y.float()) }
      },
    ]
  }

  /// Every loss is a mean over the input: it needs float values, and at least one of them
  /// (the mean of nothing trapped in the tensor core).
  static func checkInput(_ x: Tensor) throws {
    guard x.dtype == .float32 else { throw LuaArgumentError(2, "input must be a float tensor") }
    guard x.count > 0 else { throw LuaArgumentError(2, "input has no elements") }
  }

  static func forward(_ call: LuaCall) throws -> Int {
    let c = try call.object(1, Criterion.self, what: className)
    let x = try TensorLua.check(call, 2), y = try TensorLua.checkIndices(call, 3)
    try checkInput(x)
    TensorLua.push(try c.compute(x, y), call.stack)
    return 1
  }

  static var methods: [LuaMethod] {
    [
      LuaMethod("forward", help: "crit:forward(input, target) -> loss\nThe loss as a one-element tensor (call loss:backward() for gradients); also crit(input, target).", forward),
      LuaMethod("backward", help: "crit:backward(input, target) -> gradient\nd loss / d input (Torch7's form; with autograd, loss:backward() is simpler).") { call in
        let c = try call.object(1, Criterion.self, what: className)
        let x = try TensorLua.check(call, 2), y = try TensorLua.checkIndices(call, 3)
        try checkInput(x)
        let leaf = x.detach().clone().requiresGrad_()
        let loss = try c.compute(leaf, y)
        guard loss.count == 1 else { throw LuaFailure("backward needs one loss value; this criterion returns \(loss.count) (reduction 'none')") }
        try loss.backwardChecked()
        TensorLua.push(leaf.grad ?? Tensor.zerosLike(x), call.stack)
        return 1
      },
    ]
  }

  static var metamethods: [LuaMethod] {
    [
      LuaMethod("__call", help: "crit(input, target)") { call in
        // __call passes the criterion first, then the arguments.
        try forward(call)
      },
      LuaMethod("__tostring", help: "") { call in
        call.push("nn." + (try call.object(1, Criterion.self, what: className).name))
        return 1
      },
    ]
  }
}
