import CLua
import LyraBase
import LyraNN
import LyraTensor

/// The Lua constructors of the softmaxes, activations, per-sample normalisations and
/// reshapes (issue 17); they share `NNConstructors.constructor`'s path through the
/// registry, so Lua calls and description files are checked alike.
extension NNConstructors {
  static let layerSpecs: [Spec] = [
    Spec(type: "Softmax", positional: ["dim"], signature: "nn.Softmax([dim = -1])",
         about: "exp(x) / sum(exp(x)) along dim (1-based; -1 is the last dimension, the classes of [N, C]).\nExample: nn.Softmax(2)", dims: ["dim"]),
    Spec(type: "LogSoftmax", positional: ["dim"], signature: "nn.LogSoftmax([dim = -1])",
         about: "x - log(sum(exp(x))) along dim (1-based; -1 is the last): the input nn.NLLLoss expects.\nExample: nn.Sequential(nn.Linear(4, 3), nn.LogSoftmax(2))", dims: ["dim"]),
    Spec(type: "ELU", positional: ["alpha"], signature: "nn.ELU([alpha = 1])", about: "x if x > 0 else alpha * (exp(x) - 1)."),
    Spec(type: "Softplus", positional: ["beta", "threshold"], signature: "nn.Softplus([beta = 1 [, threshold = 20]])",
         about: "log(1 + exp(beta * x)) / beta; x itself where beta * x > threshold. beta must be positive."),
    Spec(type: "Hardtanh", positional: ["min_val", "max_val"], signature: "nn.Hardtanh([min = -1 [, max = 1]])",
         about: "x clamped to [min, max] (min < max)."),
    Spec(type: "PReLU", positional: ["num_parameters"], signature: "nn.PReLU([num_parameters = 1 [, {init = 0.25}]])",
         about: "x if x > 0 else a * x with a learned slope a: one shared (num_parameters = 1) or one per channel (num_parameters = C, dimension 2 of the input).\nExample: nn.PReLU(16)"),
    Spec(type: "LayerNorm", positional: ["normalized_shape"], signature: "nn.LayerNorm(shape [, {eps = 1e-5, elementwise_affine = true}])",
         about: "Normalises every sample over its last dimensions (shape: a size or a list of sizes), then weight * x + bias of that shape.\nExample: nn.LayerNorm(64) or nn.LayerNorm({8, 8})", lists: ["normalized_shape"]),
    Spec(type: "GroupNorm", positional: ["num_groups", "num_channels"], signature: "nn.GroupNorm(groups, channels [, {eps = 1e-5, affine = true}])",
         about: "Normalises each group of channels of [N, C, ...] input over its channels and positions (channels must divide by groups); per-channel weight and bias.\nExample: nn.GroupNorm(4, 32)"),
    Spec(type: "InstanceNorm2d", positional: ["num_features"], signature: "nn.InstanceNorm2d(channels [, {eps = 1e-5, affine = false}])",
         about: "Normalises every channel of every sample of [N, C, H, W] input over H and W (no running statistics, as PyTorch's default)."),
    Spec(type: "Unflatten", positional: ["dim", "unflattened_size"], signature: "nn.Unflatten(dim, sizes)",
         about: "Expands dimension dim (1-based) into sizes (one may be -1).\nExample: nn.Unflatten(2, {16, 4, 4}) turns [N, 256] into [N, 16, 4, 4]", dims: ["dim"], lists: ["unflattened_size"]),
    Spec(type: "Conv1d", positional: ["in_channels", "out_channels", "kernel_size"],
         signature: "nn.Conv1d(in, out, kernel [, {stride = 1, padding = 0, dilation = 1, groups = 1, bias = true}])",
         about: "1-D convolution over [N, C, L] input (weight [out, in / groups, kernel]).\nExample: nn.Conv1d(16, 32, 5, {padding = 2})"),
    Spec(type: "ConvTranspose2d", positional: ["in_channels", "out_channels", "kernel_size"],
         signature: "nn.ConvTranspose2d(in, out, kernel [, {stride = 1, padding = 0, output_padding = 0, dilation = 1, groups = 1, bias = true}])",
         about: "Transposed 2-D convolution (the gradient of Conv2d with respect to its input), weight [in, out / groups, kH, kW]; output (H - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1. Sizes are a number or {h, w}.\nExample: nn.ConvTranspose2d(16, 8, 4, {stride = 2, padding = 1}) doubles H and W"),
    Spec(type: "MaxPool1d", positional: ["kernel_size"], signature: "nn.MaxPool1d(kernel [, {stride = kernel, padding = 0, ceil_mode = false}])",
         about: "Max pooling over [N, C, L] input."),
    Spec(type: "AdaptiveMaxPool2d", positional: ["output_size"], signature: "nn.AdaptiveMaxPool2d(size)",
         about: "Max pooling to a fixed output size (a number or {h, w}, at most 64 per side) with PyTorch's windows; 1 is global max pooling."),
    Spec(type: "Dropout2d", positional: ["p"], signature: "nn.Dropout2d([p = 0.5])",
         about: "Zeroes whole channels of [N, C, H, W] (or [N, C, L]) input with probability p in training, scaling the rest by 1 / (1 - p); the identity in evaluation."),
    Spec(type: "Upsample", positional: ["scale_factor", "mode"],
         signature: "nn.Upsample(scale_factor [, mode = 'nearest' [, {align_corners = false}]]) or nn.Upsample({size = {h, w}, mode = ...})",
         about: "Resizes [N, C, H, W] input by scale_factor (a number or {h, w}; output floor(H * scale)) or to size; mode 'nearest' or 'bilinear' (align_corners only for bilinear).\nExample: nn.Upsample(2, 'bilinear')",
         lists: ["scale_factor"]),
  ]

  /// `nn.View(2, -1)` or `nn.View({2, -1})`: Torch7's View, variadic, so outside the specs.
  static let view = LuaMethod("View", help: """
    nn.View(size1, size2, ...) or nn.View({sizes}) -> module
    Reshapes every sample of a batch to sizes (the first dimension, the batch, is kept; one size may be -1),
    as Torch7's nn.View in batch mode.
    Example: nn.View(16 * 4 * 4) turns [N, 16, 4, 4] into [N, 256]
    """) { call in
    var sizes: [LuaValue] = []
    if call.count == 1, call.stack.type(1) == .table {
      guard case .table(let array, let fields) = call.stack.value(1), fields.isEmpty else {
        throw LuaArgumentError(1, "sizes must be a list of integers")
      }
      sizes = array
    } else {
      for i in 1...Swift.max(call.count, 1) where call.count > 0 {
        guard call.stack.type(Int32(i)) == .number else { throw call.expected(i, "size (an integer) or a table of sizes") }
        sizes.append(call.stack.value(Int32(i)))
      }
    }
    do {
      let d: JSON = .object(["type": .string("View"), "sizes": .array(sizes.map(json))])
      ModuleLua.push(try ModuleRegistry.build(d, label: "lyra.nn.View"), call.stack)
    } catch let e as DescriptionError {
      throw LuaFailure(e.message.replacingOccurrences(of: "lyra.nn.View.", with: "").replacingOccurrences(of: "lyra.nn.View: ", with: ""))
    }
    return 1
  }

  /// Whether argument `i` is a list (a table without named fields), not an options table.
  static func isList(_ call: LuaCall, _ i: Int) -> Bool {
    if case .table(let a, let f) = call.stack.value(Int32(i)), f.isEmpty, !a.isEmpty { return true }
    return false
  }

  /// A positional list argument (`nn.LayerNorm({8, 8})`) or a single number.
  static func listArgument(_ call: LuaCall, _ i: Int, key: String) throws -> JSON {
    let v = call.stack.value(Int32(i))
    switch v {
    case .integer, .number: return json(v)
    case .table(_, let f) where f.isEmpty: return json(v)
    default: throw LuaArgumentError(i, "\(key) must be a number or a list of numbers, got \(call.stack.typeName(Int32(i)))")
    }
  }

  /// The summary `tostring` shows in Lua: dimensions 1-based, as the Lua constructors
  /// take them (the module's own summary is 0-based, as its Swift initialiser).
  static func luaSummary(_ m: Module) -> String {
    func lua(_ d: Int) -> Int { d >= 0 ? d + 1 : d }
    switch m {
    case let s as SoftmaxBase: return "dim \(lua(s.dim))"
    case let u as Unflatten: return "dim \(lua(u.dim)), \(ShapeText.format(u.sizes))"
    default: return m.summary
    }
  }

  /// Lua dimensions are 1-based, negative ones count from the end as in the description;
  /// 0 is no dimension at all.
  static func oneBasedDims(_ spec: Spec, _ fields: inout [String: JSON]) throws {
    for k in spec.dims {
      guard let v = fields[k] else { continue }
      guard let d = v.int else { throw LuaFailure("\(k): expected an integer, got \(v.text)") }
      if d == 0 { throw LuaFailure("\(k): 0 is not a dimension (Lua dimensions are 1-based; -1 is the last)") }
      if d > 0 { fields[k] = JSON(d - 1) }
    }
  }
}
