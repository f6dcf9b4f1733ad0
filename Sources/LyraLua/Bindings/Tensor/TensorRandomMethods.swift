import LyraBase
import LyraTensor

/// Random fills in place (Torch7's `x:uniform_`, `x:normal_`, `x:bernoulli_`) and
/// sampling from probabilities (`bernoulli`, `multinomial`). All draw from the generator
/// that `lyra.manual_seed` seeds, so a seeded script repeats exactly.
enum TensorRandomMethods {
  /// x, which must be a float tensor that may change in place.
  static func target(_ call: LuaCall) throws -> Tensor {
    let x = try TensorInPlaceMethods.mutable(call)
    guard x.dtype == .float32 else { throw LuaFailure("random fills need a float tensor") }
    return x
  }

  /// Argument `i` as probabilities: finite values in [0, 1].
  static func probabilities(_ call: LuaCall, _ i: Int) throws -> Tensor {
    let p = try TensorOps.floatTensor(call, i)
    if let bad = p.toArray().first(where: { !($0 >= 0 && $0 <= 1) }) {
      throw LuaArgumentError(i, "probabilities must be in [0, 1], found \(bad)")
    }
    return p
  }

  static var all: [LuaMethod] {
    [
      LuaMethod("uniform_", help: "x:uniform_([a = 0 [, b = 1]]) -> x\nFills x with values uniform in [a, b), from the generator seeded by lyra.manual_seed.") { call in
        let x = try target(call)
        let a = Float(try call.optNumber(2, 0)), b = Float(try call.optNumber(3, 1))
        guard a.isFinite, b.isFinite, (b - a).isFinite, a <= b else {
          throw LuaArgumentError(3, "need finite bounds a <= b (within float range), got a = \(a), b = \(b)")
        }
        x.uniform_(a, b)
        call.stack.setTop(1)
        return 1
      },
      LuaMethod("normal_", help: "x:normal_([mean = 0 [, std = 1]]) -> x\nFills x with normal values, from the generator seeded by lyra.manual_seed.") { call in
        let x = try target(call)
        let mean = Float(try call.optNumber(2, 0)), std = Float(try call.optNumber(3, 1))
        guard mean.isFinite else { throw LuaArgumentError(2, "mean must be finite (within float range), got \(mean)") }
        guard std.isFinite, std >= 0 else { throw LuaArgumentError(3, "std must be finite and >= 0, got \(std)") }
        x.normal_(mean, std)
        call.stack.setTop(1)
        return 1
      },
      LuaMethod("bernoulli_", help: "x:bernoulli_([p = 0.5]) -> x\nFills x with 1 with probability p, else 0; p a number or a tensor of probabilities broadcasting to x.") { call in
        let x = try target(call)
        if call.stack.type(2) == .number || call.isNil(2) {
          let p = try call.optNumber(2, 0.5)
          guard p >= 0 && p <= 1 else { throw LuaArgumentError(2, "p must be in [0, 1], got \(p)") }
          x.bernoulli_(Float(p))
        } else {
          let p = try probabilities(call, 2)
          guard Shape.broadcast(x.shape, p.shape) == x.shape else {
            throw LuaArgumentError(2, "p of shape \(ShapeText.format(p.shape)) does not broadcast to \(ShapeText.format(x.shape))")
          }
          x.bernoulli_(p)
        }
        call.stack.setTop(1)
        return 1
      },
      LuaMethod("bernoulli", help: "x:bernoulli() -> tensor\nA new 0/1 tensor: 1 with probability x[i] (x holds probabilities in [0, 1]).") { call in
        TensorLua.push(try probabilities(call, 1).bernoulli(), call.stack)
        return 1
      },
      LuaMethod("multinomial", help: "x:multinomial(n [, replacement = false]) -> indices\nn draws of 1-based categories with probability proportional to the weights x (1-D, or 2-D: one row of draws per row). Without replacement each category is drawn at most once. An int tensor.") { call in
        let w = try TensorOps.floatTensor(call, 1)
        guard w.rank == 1 || w.rank == 2 else { throw LuaArgumentError(1, "weights must be 1-D or 2-D, got \(ShapeText.format(w.shape))") }
        let n = try call.integer(2)
        let replacement = try call.optBool(3, false)
        guard n >= 1 else { throw LuaArgumentError(2, "n must be >= 1, got \(n)") }
        let values = w.toArray()
        if let bad = values.first(where: { !($0 >= 0 && $0.isFinite) }) {
          throw LuaArgumentError(1, "weights must be finite and >= 0, found \(bad)")
        }
        let k = w.shape[w.rank - 1]
        for r in 0..<(w.rank == 1 ? 1 : w.shape[0]) {
          let positive = values[r * k ..< (r + 1) * k].filter { $0 > 0 }.count
          guard positive > 0 else { throw LuaArgumentError(1, "weights of row \(r + 1) sum to 0") }
          if !replacement && n > positive {
            throw LuaArgumentError(2, "n = \(n) draws without replacement, but row \(r + 1) has only \(positive) categories of positive weight (pass replacement = true?)")
          }
        }
        try call.checkedAllocation(w.rank == 1 ? [n] : [w.shape[0], n], "draws")
        TensorLua.push(TensorReduceMethods.oneBased(w.multinomial(n, replacement: replacement)), call.stack)
        return 1
      },
    ]
  }
}
