import LyraBase
import LyraTensor

/// Builders of the activations, normalisations, softmaxes and reshapes added for issue 17
/// (merged into `ModuleRegistry.defaults()`). Every value is checked here, so the module
/// initialisers never see one they cannot take: an error names the key.
extension ModuleRegistry {
  static func layerBuilders() -> [String: Builder] {
    [
      "Softmax": { r in Softmax(dim: try r.int("dim", -1)) },
      "LogSoftmax": { r in LogSoftmax(dim: try r.int("dim", -1)) },
      "ELU": { r in ELU(alpha: try r.finite("alpha", 1)) },
      "Softplus": { r in
        let beta = try r.finite("beta", 1)
        guard beta > 0 else { throw DescriptionError("\(r.path).beta: must be positive, got \(beta)") }
        return Softplus(beta: beta, threshold: try r.finite("threshold", 20))
      },
      "Hardtanh": { r in
        let lo = try r.finite("min_val", -1), hi = try r.finite("max_val", 1)
        guard lo < hi else { throw DescriptionError("\(r.path): min_val (\(lo)) must be less than max_val (\(hi))") }
        return Hardtanh(min: lo, max: hi)
      },
      "PReLU": { r in
        let n = try r.int("num_parameters", 1, min: 1)
        try r.checkParameters([n], "weight [num_parameters]")
        return PReLU(count: n, initial: try r.finite("init", 0.25))
      },
      "LayerNorm": { r in
        let shape = try r.sizes("normalized_shape", allowInferred: false)
        try r.checkParameters(shape, "weight [normalized_shape]")
        return LayerNorm(shape, eps: try r.epsilon(), affine: try r.bool("elementwise_affine", true))
      },
      "GroupNorm": { r in
        let g = try r.int("num_groups", min: 1), c = try r.int("num_channels", min: 1)
        guard c % g == 0 else { throw DescriptionError("\(r.path): num_channels \(c) must divide by num_groups \(g)") }
        try r.checkParameters([c], "weight [num_channels]")
        return GroupNorm(groups: g, channels: c, eps: try r.epsilon(), affine: try r.bool("affine", true))
      },
      "InstanceNorm2d": { r in
        let c = try r.int("num_features", min: 1)
        try r.checkParameters([c], "weight [num_features]")
        return InstanceNorm2d(c, eps: try r.epsilon(), affine: try r.bool("affine", false))
      },
      "ModuleList": { r in
        let list = ModuleList()
        for (n, m) in try children(r) { list.add(m, name: n) }
        return list
      },
      "Conv1d": { r in
        let cin = try r.int("in_channels", min: 1), cout = try r.int("out_channels", min: 1)
        let k = try r.int("kernel_size", min: 1, max: DescriptionReader.maxWindow), s = try r.int("stride", 1, min: 1, max: DescriptionReader.maxWindow)
        let d = try r.int("dilation", 1, min: 1, max: DescriptionReader.maxWindow), g = try r.int("groups", 1, min: 1)
        let p = try r.int("padding", 0, min: 0, max: DescriptionReader.maxWindow)
        guard cin % g == 0, cout % g == 0 else { throw DescriptionError("\(r.path): channels \(cin) -> \(cout) must divide by groups \(g)") }
        // As Conv2d: padding beyond the dilated window only adds outputs that see zeros.
        guard p <= (k - 1) * d + 1 else { throw DescriptionError("\(r.path).padding: must be at most the dilated kernel size \((k - 1) * d + 1), got \(p)") }
        try r.checkParameters([cout, cin / g, k], "weight [out_channels, in_channels / groups, kernel_size]")
        return Conv1d(cin, cout, k, stride: s, padding: p, dilation: d, groups: g, bias: try r.bool("bias", true))
      },
      "ConvTranspose2d": { r in
        let cin = try r.int("in_channels", min: 1), cout = try r.int("out_channels", min: 1), g = try r.int("groups", 1, min: 1)
        let k = try r.pair("kernel_size", nil, min: 1), s = try r.pair("stride", 1, min: 1), d = try r.pair("dilation", 1, min: 1)
        let p = try r.pair("padding", 0, min: 0), op = try r.pair("output_padding", 0, min: 0)
        guard cin % g == 0, cout % g == 0 else { throw DescriptionError("\(r.path): channels \(cin) -> \(cout) must divide by groups \(g)") }
        // PyTorch's rule: output_padding only picks among the sizes a stride or dilation makes possible.
        guard op.h < Swift.max(s.h, d.h), op.w < Swift.max(s.w, d.w) else {
          throw DescriptionError("\(r.path).output_padding: must be smaller than stride or dilation, got \(op.h)x\(op.w)")
        }
        try r.checkParameters([cin, cout / g, k.h, k.w], "weight [in_channels, out_channels / groups, kernel_size]")
        return ConvTranspose2d(cin, cout, kernel: k, stride: s, padding: p, outputPadding: op, dilation: d, groups: g,
                               bias: try r.bool("bias", true))
      },
      "MaxPool1d": { r in MaxPool1d(try r.int("kernel_size", min: 1, max: DescriptionReader.maxWindow), stride: try r.optionalStride(),
                                    padding: try r.poolPadding(), ceilMode: try r.bool("ceil_mode", false)) },
      "AdaptiveMaxPool2d": { r in
        let s = try r.window("output_size")
        guard (1...64).contains(s.h), (1...64).contains(s.w) else {
          throw DescriptionError("\(r.path).output_size: must be in 1…64 per side, got \(s.h)x\(s.w)")
        }
        return AdaptiveMaxPool2d(s.h, s.w)
      },
      "Dropout2d": { r in Dropout2d(Float(try r.double("p", 0.5, range: 0...1))) },
      "Upsample": { r in
        let mode = try r.string("mode", "nearest")
        guard let m = UpsampleMode(rawValue: mode) else {
          throw DescriptionError("\(r.path).mode: must be 'nearest' or 'bilinear', got '\(mode)'")
        }
        let align = try r.bool("align_corners", false)
        if align && m == .nearest { throw DescriptionError("\(r.path).align_corners: only for mode 'bilinear'") }
        let hasSize = r.raw("size") != nil, hasScale = r.raw("scale_factor") != nil
        guard hasSize != hasScale else { throw DescriptionError("\(r.path): give exactly one of size and scale_factor") }
        if hasSize {
          let s = try r.window("size")
          guard (1...DescriptionReader.maxWindow * 4).contains(s.h), (1...DescriptionReader.maxWindow * 4).contains(s.w) else {
            throw DescriptionError("\(r.path).size: must be in 1…\(DescriptionReader.maxWindow * 4) per side, got \(s.h)x\(s.w)")
          }
          return Upsample(size: s, mode: m, alignCorners: align)
        }
        let v = r.raw("scale_factor")!
        let pair = v.array?.compactMap(\.double) ?? v.double.map { [$0, $0] } ?? []
        guard pair.count == 2, pair.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 1024 }) else {
          throw DescriptionError("\(r.path).scale_factor: expected a positive number or a pair (at most 1024), got \(v.text)")
        }
        return Upsample(scale: (pair[0], pair[1]), mode: m, alignCorners: align)
      },
      "View": { r in View(try r.sizes("sizes", allowInferred: true)) },
      "PixelShuffle": { r in PixelShuffle(try r.int("upscale_factor", min: 1, max: 16)) },
      "Unflatten": { r in Unflatten(dim: try r.int("dim"), sizes: try r.sizes("unflattened_size", allowInferred: true)) },
    ]
  }
}

extension DescriptionReader {
  /// A finite number as Float (inf or nan would make every output non-finite).
  func finite(_ key: String, _ d: Double) throws -> Float {
    let v = try double(key, d)
    guard v.isFinite, Swift.abs(v) <= Double(Float.greatestFiniteMagnitude) else {
      throw DescriptionError("\(path).\(key): must be a finite number, got \(v)")
    }
    return Float(v)
  }

  /// `eps` of a normalisation: positive (0 divides by zero on a constant input).
  func epsilon() throws -> Float {
    let e = try finite("eps", 1e-5)
    guard e > 0 else { throw DescriptionError("\(path).eps: must be positive, got \(e)") }
    return e
  }

  /// A positive integer or a pair of them (an output size per side).
  func window(_ key: String) throws -> (h: Int, w: Int) {
    let s = try sizes(key, allowInferred: false)
    guard s.count <= 2 else { throw DescriptionError("\(path).\(key): expected an integer or a pair of integers, got \(s.count) values") }
    return (s[0], s.count == 2 ? s[1] : s[0])
  }

  /// A window per side (an integer or a pair) in `min`…`maxWindow`; `d` when absent (required when nil).
  func pair(_ key: String, _ d: Int?, min: Int) throws -> Window2d {
    if raw(key) == nil, let d { return Window2d(d) }
    guard let v = raw(key) else { throw DescriptionError("\(path): missing '\(key)'") }
    let items = v.array ?? [v]
    let values = items.compactMap(\.int)
    guard values.count == items.count, (1...2).contains(values.count),
          values.allSatisfy({ $0 >= min && $0 <= DescriptionReader.maxWindow }) else {
      throw DescriptionError("\(path).\(key): expected an integer or a pair of integers in \(min)…\(DescriptionReader.maxWindow), got \(v.text)")
    }
    return Window2d(values[0], values.count == 2 ? values[1] : values[0])
  }

  /// A size or list of sizes (positive; with `allowInferred`, one may be -1).
  func sizes(_ key: String, allowInferred: Bool) throws -> [Int] {
    guard let v = raw(key) else { throw DescriptionError("\(path): missing '\(key)'") }
    let items = v.array ?? [v]
    var out: [Int] = []
    for x in items {
      guard let i = x.int else { throw DescriptionError("\(path).\(key): expected an integer or a list of integers, got \(v.text)") }
      try bounded(i, key, max: DescriptionReader.maxInteger)
      out.append(i)
    }
    if let problem = ReshapeSizes.validate(out) {
      throw DescriptionError("\(path).\(key): \(problem)")
    }
    if !allowInferred, out.contains(-1) { throw DescriptionError("\(path).\(key): sizes must be positive, got -1") }
    return out
  }
}
