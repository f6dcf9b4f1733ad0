import LyraBase
import LyraNN
import LyraTensor

/// `lyra.nn.init`: PyTorch's `torch.nn.init` in place (`nn.init.kaiming_normal_(m.weight)`),
/// drawing from the generator `lyra.manual_seed` seeds. Like PyTorch, each fills without
/// recording on the tape, so a parameter that requires grad can be filled outside
/// lyra.no_grad; a tensor computed from others (not a leaf) is refused, as filling it
/// would leave the tape's saved values wrong.
enum NNInit {
  /// The nonlinearities `calculate_gain` knows (PyTorch's list).
  static let nonlinearities = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                               "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"]

  static func target(_ call: LuaCall) throws -> Tensor {
    let t = try TensorLua.check(call, 1)
    guard t.dtype == .float32 else { throw LuaArgumentError(1, "nn.init fills a float tensor, got an int tensor") }
    guard t.isLeaf else { throw LuaArgumentError(1, "the tensor was computed from others (not a leaf): fill a parameter or a fresh tensor") }
    return t
  }

  /// PyTorch's fans: dimension 1 (inputs) and 0 (outputs) times the receptive field.
  static func fans(_ t: Tensor) throws -> (fanIn: Int, fanOut: Int) {
    guard t.rank >= 2 else {
      throw LuaArgumentError(1, "fan in and fan out need a tensor of at least 2 dimensions, got \(ShapeText.format(t.shape))")
    }
    let receptive = t.shape.dropFirst(2).reduce(1, *)
    return (t.shape[1] * receptive, t.shape[0] * receptive)
  }

  static func nonlinearity(_ call: LuaCall, _ i: Int, _ d: String) throws -> String {
    let n = try call.optString(i, d)
    guard nonlinearities.contains(n) else {
      throw LuaArgumentError(i, "unknown nonlinearity '\(n)'\(Suggest.hint(n, in: nonlinearities)); known: \(nonlinearities.joined(separator: ", "))")
    }
    return n
  }

  static func finite(_ call: LuaCall, _ i: Int, _ d: Double, _ what: String) throws -> Double {
    let v = try call.optNumber(i, d)
    guard v.isFinite, Swift.abs(v) <= Double(Float.greatestFiniteMagnitude) else {
      throw LuaArgumentError(i, "\(what) must be a finite number, got \(v)")
    }
    return v
  }

  /// Writes `values` into `t` (any strides) off the tape and returns `t` to Lua.
  static func fill(_ call: LuaCall, _ t: Tensor, _ values: [Float]) -> Int {
    Tensor.noGrad { _ = t.copy_(Tensor(values, shape: t.shape)) }
    TensorLua.push(t, call.stack)
    return 1
  }

  static func fan(_ call: LuaCall, _ t: Tensor, mode i: Int) throws -> Int {
    let mode = try call.optString(i, "fan_in")
    let f = try fans(t)
    switch mode {
    case "fan_in": return f.fanIn
    case "fan_out": return f.fanOut
    default: throw LuaArgumentError(i, "mode must be 'fan_in' or 'fan_out', got '\(mode)'")
    }
  }

  static var all: [LuaMethod] {
    let g = { Tensor.defaultGenerator }
    return [
      LuaMethod("calculate_gain", help: "nn.init.calculate_gain(nonlinearity [, param]) -> number\nThe recommended gain: relu sqrt(2), tanh 5/3, leaky_relu sqrt(2 / (1 + slope^2)) (param = slope, default 0.01), selu 3/4, else 1.") { call in
        let n = try nonlinearity(call, 1, "linear")
        call.push(Init.gain(n, a: try finite(call, 2, 0.01, "param")))
        return 1
      },
      LuaMethod("uniform_", help: "nn.init.uniform_(t [, a = 0 [, b = 1]]) -> t\nFills t with U(a, b).") { call in
        let t = try target(call)
        let a = try finite(call, 2, 0, "a"), b = try finite(call, 3, 1, "b")
        guard a <= b else { throw LuaArgumentError(3, "need a <= b, got a = \(a), b = \(b)") }
        return fill(call, t, Init.uniform(t.count, a, b, generator: g()))
      },
      LuaMethod("normal_", help: "nn.init.normal_(t [, mean = 0 [, std = 1]]) -> t\nFills t with N(mean, std^2).") { call in
        let t = try target(call)
        let mean = try finite(call, 2, 0, "mean"), std = try finite(call, 3, 1, "std")
        guard std >= 0 else { throw LuaArgumentError(3, "std must be at least 0, got \(std)") }
        return fill(call, t, Init.normal(t.count, mean: mean, std: std, generator: g()))
      },
      LuaMethod("constant_", help: "nn.init.constant_(t, value) -> t\nFills t with value.") { call in
        let t = try target(call)
        guard !call.isNil(2) else { throw LuaArgumentError(2, "value expected") }
        return fill(call, t, [Float](repeating: Float(try finite(call, 2, 0, "value")), count: t.count))
      },
      LuaMethod("zeros_", help: "nn.init.zeros_(t) -> t\nFills t with 0.") { call in
        let t = try target(call)
        return fill(call, t, [Float](repeating: 0, count: t.count))
      },
      LuaMethod("ones_", help: "nn.init.ones_(t) -> t\nFills t with 1.") { call in
        let t = try target(call)
        return fill(call, t, [Float](repeating: 1, count: t.count))
      },
      LuaMethod("xavier_uniform_", help: "nn.init.xavier_uniform_(t [, gain = 1]) -> t\nGlorot: U(-b, b), b = gain * sqrt(6 / (fan_in + fan_out)); t has at least 2 dimensions.") { call in
        let t = try target(call)
        let f = try fans(t)
        return fill(call, t, Init.xavierUniform(t.count, fanIn: f.fanIn, fanOut: f.fanOut, gain: try finite(call, 2, 1, "gain"), generator: g()))
      },
      LuaMethod("xavier_normal_", help: "nn.init.xavier_normal_(t [, gain = 1]) -> t\nGlorot: N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out)).") { call in
        let t = try target(call)
        let f = try fans(t)
        return fill(call, t, Init.xavierNormal(t.count, fanIn: f.fanIn, fanOut: f.fanOut, gain: try finite(call, 2, 1, "gain"), generator: g()))
      },
      LuaMethod("kaiming_uniform_", help: "nn.init.kaiming_uniform_(t [, a = 0 [, mode = 'fan_in' [, nonlinearity = 'leaky_relu']]]) -> t\nHe: U(-b, b), b = gain * sqrt(3 / fan); a is the leaky_relu slope.\nExample: nn.init.kaiming_uniform_(m.weight, 0, 'fan_in', 'relu')") { call in
        let t = try target(call)
        let a = try finite(call, 2, 0, "a"), fan = try fan(call, t, mode: 3), n = try nonlinearity(call, 4, "leaky_relu")
        return fill(call, t, Init.kaimingUniform(t.count, fan: fan, a: a, nonlinearity: n, generator: g()))
      },
      LuaMethod("kaiming_normal_", help: "nn.init.kaiming_normal_(t [, a = 0 [, mode = 'fan_in' [, nonlinearity = 'leaky_relu']]]) -> t\nHe: N(0, std^2), std = gain / sqrt(fan).\nExample: nn.init.kaiming_normal_(conv.weight, 0, 'fan_out', 'relu')") { call in
        let t = try target(call)
        let a = try finite(call, 2, 0, "a"), fan = try fan(call, t, mode: 3), n = try nonlinearity(call, 4, "leaky_relu")
        return fill(call, t, Init.kaimingNormal(t.count, fan: fan, a: a, nonlinearity: n, generator: g()))
      },
    ]
  }
}
