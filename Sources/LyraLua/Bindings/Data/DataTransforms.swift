import CLua
import LyraBase
import LyraData
import LyraTensor

/// What a `lyra.data.Transform` userdata holds: a LyraData transform plus what the
/// binding must know to keep bad input away from LyraData's preconditions (which run on
/// the prefetch thread, where a crash would take the host down).
final class TransformBox {
  let transform: any Transform
  let text: String
  /// Contains augmentation ops, which work on raw [0, 255] pixels.
  let augments: Bool
  /// Contains a `Normalize`.
  let normalizes: Bool
  /// Throws when samples of this shape cannot go through the transform.
  let accepts: ([Int]) throws -> Void

  init(_ transform: any Transform, text: String, augments: Bool, normalizes: Bool, accepts: @escaping ([Int]) throws -> Void) {
    self.transform = transform
    self.text = text
    self.augments = augments
    self.normalizes = normalizes
    self.accepts = accepts
  }
}

enum DataTransforms {
  static let className = "lyra.data.Transform"

  static func check(_ call: LuaCall, _ i: Int) throws -> TransformBox {
    try call.object(i, TransformBox.self, what: className)
  }

  /// A list of numbers or one number.
  static func numbers(_ call: LuaCall, _ i: Int) throws -> [Float] {
    if call.stack.type(Int32(i)) == .number { return [Float(try call.number(i))] }
    guard call.stack.type(Int32(i)) == .table else { throw call.expected(i, "number or list of numbers") }
    let out = try call.stack.list(Int32(i), LuaItem.number) { k in LuaArgumentError(i, "item \(k) is not a number") }.map { Float($0) }
    guard !out.isEmpty else { throw LuaArgumentError(i, "empty list") }
    return out
  }

  static func channels(_ shape: [Int]) -> Int { shape.count == 3 ? shape[0] : 1 }

  static func open(_ state: LuaState) {
    state.defineClass(className, methods: [
      LuaMethod("apply", help: """
        t:apply(x [, seed = 0]) -> tensor
        Runs the transform on one sample x ([C, H, W] for images), with randomness drawn from seed.
        """) { call in
        let t = try check(call, 1)
        let x = try TensorLua.check(call, 2)
        let seed = call.isNil(3) ? 0 : try call.seed(3)
        try t.accepts(x.shape)
        var s = DataLua.sample(x)
        t.transform.apply(&s, generator: Generator(seed: seed))
        TensorLua.push(Tensor(s.features, shape: s.shape), call.stack)
        return 1
      },
    ], metamethods: [
      LuaMethod("__tostring", help: "tostring(t)") { call in
        call.push("lyra.data.Transform " + (try check(call, 1).text))
        return 1
      },
    ])

    state.register("lyra.data.normalize", help: """
      lyra.data.normalize(mean, std) -> transform
      x = (pixel/255 - mean[c]) / std[c] per channel (torchvision's ToTensor + Normalize);
      mean and std are numbers or per-channel lists. Takes raw 0..255 pixels, so use it on
      datasets made with normalize = false.
      Example: lyra.data.normalize({0.4914, 0.4822, 0.4465}, {0.2470, 0.2435, 0.2616})
      """) { call in
      let mean = try numbers(call, 1), std = try numbers(call, 2)
      guard mean.count == std.count else { throw LuaFailure("\(mean.count) means but \(std.count) stds") }
      guard std.allSatisfy({ $0 > 0 }) else { throw LuaArgumentError(2, "std must be positive") }
      let box = TransformBox(Normalize(mean: mean, std: std), text: "normalize(\(mean), \(std))", augments: false, normalizes: true) { shape in
        let c = channels(shape)
        guard mean.count == 1 || mean.count == c else {
          throw LuaFailure("normalize has \(mean.count) channel statistics, samples of \(ShapeText.format(shape)) have \(c) channels")
        }
      }
      call.push(object: box, className: className)
      return 1
    }

    state.register("lyra.data.augment", help: """
      lyra.data.augment{{op, probability, magnitude}, ...} -> transform
      An AutoAugment/PBA sub-policy: each op in turn is applied with its probability at its
      magnitude (0..10). Ops work on raw 0..255 image pixels; a loader over a normalised
      dataset feeds them raw pixels and normalises afterwards. lyra.data.augment_ops() lists the ops.
      Example: lyra.data.augment{{'Rotate', 0.5, 7}, {'Cutout', 1.0, 5}}
      """) { call in
      try call.table(1)
      let s = call.stack
      let step = LuaItemReader<(name: String, probability: Double, magnitude: Double)>(what: "a step", plural: "steps") { s in
        guard s.type(-1) == .table else { return nil }
        s.rawGet(-1, index: 1)
        s.rawGet(-2, index: 2)
        s.rawGet(-3, index: 3)
        defer { s.pop(3) }
        guard let name = s.toString(-3), s.type(-2) == .number, s.type(-1) == .number,
              let p = s.toNumber(-2), let m = s.toNumber(-1) else { return nil }
        return (name, p, m)
      }
      let steps = try s.list(1, step) { k in
        s.type(-1) == .table ? LuaArgumentError(1, "step \(k) must be {op name, probability, magnitude}")
          : LuaArgumentError(1, "step \(k) must be a table {op, probability, magnitude}")
      }
      let aug: AugmentTransform
      do { aug = try AugmentTransform(named: steps) } catch let e as DataError { throw LuaFailure(e.message) }
      let text = "augment{" + steps.map { "{'\($0.name)', \($0.probability), \($0.magnitude)}" }.joined(separator: ", ") + "}"
      let box = TransformBox(aug, text: text, augments: true, normalizes: false) { shape in
        guard shape.count == 3, [1, 3].contains(shape[0]) else {
          throw LuaFailure("augmentation takes images [C, H, W] with 1 or 3 channels, got \(ShapeText.format(shape))")
        }
      }
      call.push(object: box, className: className)
      return 1
    }

    state.register("lyra.data.compose", help: """
      lyra.data.compose{t1, t2, ...} -> transform
      Applies the transforms in order. Example: lyra.data.compose{lyra.data.augment{...}, lyra.data.normalize(0.5, 0.25)}
      """) { call in
      try call.table(1)
      let parts = try call.stack.list(1, LuaItem.object(TransformBox.self, what: className)) { k in
        LuaArgumentError(1, "item \(k) is not a lyra.data.Transform")
      }
      call.push(object: compose(parts), className: className)
      return 1
    }

    state.register("lyra.data.augment_ops", help: "lyra.data.augment_ops() -> {name, ...}\nThe augmentation op names lyra.data.augment knows, sorted.") { call in
      call.push(AugmentRegistry.names)
      return 1
    }
  }

  static func compose(_ parts: [TransformBox]) -> TransformBox {
    TransformBox(Compose(parts.map(\.transform)), text: "compose{" + parts.map(\.text).joined(separator: ", ") + "}",
                 augments: parts.contains { $0.augments }, normalizes: parts.contains { $0.normalizes }) { shape in
      for p in parts { try p.accepts(shape) }
    }
  }
}
