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
        return GroupNorm(groups: g, channels: c, eps: try r.epsilon(), affine: try r.bool("affine", true))
      },
      "InstanceNorm2d": { r in
        InstanceNorm2d(try r.int("num_features", min: 1), eps: try r.epsilon(), affine: try r.bool("affine", false))
      },
      "ModuleList": { r in
        let list = ModuleList()
        for (n, m) in try children(r) { if Int(n) != nil { list.add(m) } else { list.add(n, m) } }
        return list
      },
      "View": { r in View(try r.sizes("sizes", allowInferred: true)) },
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
