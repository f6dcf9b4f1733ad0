/// A model description that cannot be built: names the key and what is wrong.
public struct DescriptionError: Error, CustomStringConvertible {
  public var message: String
  /// The key and what is wrong with it, where the thrower knows the key (a description's
  /// own path), so a pipeline can point at the key's line without reading the text.
  public var keyed: KeyedError?
  public init(_ message: String) { self.message = message }
  public init(_ keyed: KeyedError) {
    self.message = keyed.description
    self.keyed = keyed
  }
  public var description: String { message }
}

import LyraBase
import LyraTensor

/// Builds modules from JSON descriptions (`{"type": "Conv2d", "in_channels": 1, ...}`),
/// the inverse of `Module.describe()`. Other layers (networks, Lua) register more types.
///
/// Strict on purpose: an unknown type or key is an error naming it and the closest
/// known name, never a silent default (docs/architecture.md#bad-input).
public enum ModuleRegistry {
  public typealias Builder = (DescriptionReader) throws -> Module

  static let builders = Registry<Builder>(kind: "module type", defaults())

  /// Adds (or replaces) a builder for `type`.
  public static func register(_ type: String, _ builder: @escaping Builder) { builders.register(type, builder) }

  public static var types: [String] { builders.names }

  /// The types LyraNN itself defines (before other layers register theirs), sorted: what
  /// the module-level gradient checks must cover, whatever else a process registered.
  public static let builtInTypes: [String] = defaults().keys.sorted()

  /// Builds a module (recursively for containers). `path` names the place in an
  /// enclosing description for error messages.
  /// `label` replaces "path(Type)" in messages (the Lua constructors pass "lyra.nn.Conv2d").
  public static func build(_ desc: JSON, path: String = "model", label: String? = nil) throws -> Module {
    guard let o = desc.object else { throw DescriptionError(KeyedError(path, "expected an object with a 'type', got \(desc.text)")) }
    guard let type = o["type"]?.string else { throw DescriptionError(KeyedError(path, "missing 'type'")) }
    let b = try builders.lookup(type) { DescriptionError(KeyedError(path, $0)) }
    let r = DescriptionReader(o, path: label ?? "\(path)(\(type))")
    let m: Module
    do { m = try b(r) } catch {
      try r.explainMissing() // a typo'd key explains a missing one better than "missing" does
      throw error
    }
    try r.finish()
    return m
  }

  static func children(_ r: DescriptionReader) throws -> [(String, Module)] {
    let list = try r.array("modules")
    let names = try r.optionalArray("names")?.map { $0.string ?? "" }
    if let names, names.count != list.count { throw DescriptionError("\(r.path): 'names' has \(names.count) entries for \(list.count) modules") }
    // Sequential.add traps on an empty or dotted name: refuse it here, naming the entry.
    for (i, n) in (names ?? []).enumerated() where n.isEmpty || n.contains(".") {
      throw DescriptionError("\(r.path).names[\(i + 1)]: a child name must be a non-empty string without dots, got '\(n)'")
    }
    if let dup = names.flatMap({ ns in ns.enumerated().first { i, n in ns[..<i].contains(n) } }) {
      throw DescriptionError("\(r.path).names[\(dup.offset + 1)]: the name '\(dup.element)' is used twice")
    }
    return try list.enumerated().map { i, d in
      let n = names?[i] ?? String(i)
      return (n, try build(d, path: "\(r.path).modules[\(i + 1)]"))
    }
  }

  /// The children of `Add` and `Concat`, which need at least one (their initialisers trap
  /// on none).
  static func branches(_ r: DescriptionReader) throws -> [Module] {
    let list = try children(r).map(\.1)
    guard !list.isEmpty else { throw DescriptionError("\(r.path).modules: needs at least one module") }
    return list
  }

  static func defaults() -> [String: Builder] {
    func win(_ r: DescriptionReader, _ key: String, _ d: Int) throws -> Window2d {
      guard let v = r.raw(key) else { return Window2d(d) }
      let bound = DescriptionReader.maxWindow
      if let i = v.int, Swift.abs(i) <= bound { return Window2d(i) }
      if let a = v.array, a.count == 2, let h = a[0].int, let w = a[1].int, Swift.abs(h) <= bound, Swift.abs(w) <= bound { return Window2d(h, w) }
      throw DescriptionError("\(r.path).\(key): expected an integer or a pair of integers of at most \(bound), got \(v.text)")
    }
    var base: [String: Builder] = [
      "Linear": { r in
        let i = try r.int("in_features", min: 1), o = try r.int("out_features", min: 1)
        try r.checkParameters([o, i], "weight [out_features, in_features]")
        return Linear(i, o, bias: try r.bool("bias", true))
      },
      "Conv2d": { r in
        let cin = try r.int("in_channels", min: 1), cout = try r.int("out_channels", min: 1)
        let k = try win(r, "kernel_size", 3), s = try win(r, "stride", 1), p = try win(r, "padding", 0), d = try win(r, "dilation", 1)
        let g = try r.int("groups", 1, min: 1)
        guard cin % g == 0, cout % g == 0 else {
          throw DescriptionError("\(r.path): channels \(cin) -> \(cout) must divide by groups \(g)")
        }
        guard k.h > 0, k.w > 0, s.h > 0, s.w > 0, d.h > 0, d.w > 0 else {
          throw DescriptionError("\(r.path): kernel_size, stride and dilation must be positive")
        }
        guard p.h >= 0, p.w >= 0 else { throw DescriptionError("\(r.path): padding must be non-negative") }
        // Padding beyond the dilated window only adds outputs that see nothing but zeros,
        // and its size multiplies the forward's allocation (padding 2^24 asked for 2^54 bytes).
        let extent = ((k.h - 1) * d.h + 1, (k.w - 1) * d.w + 1)
        guard p.h <= extent.0, p.w <= extent.1 else {
          throw DescriptionError("\(r.path).padding: must be at most the dilated kernel size \(extent.0)x\(extent.1), got \(p.h)x\(p.w)")
        }
        try r.checkParameters([cout, cin / g, k.h, k.w], "weight [out_channels, in_channels / groups, kernel_size]")
        return Conv2d(cin, cout, kernel: k, stride: s, padding: p, dilation: d, groups: g, bias: try r.bool("bias", true))
      },
      "BatchNorm2d": { r in BatchNorm2d(try r.int("num_features", min: 1), eps: Float(try r.double("eps", 1e-5)),
                                        momentum: Float(try r.double("momentum", 0.1)), affine: try r.bool("affine", true)) },
      "BatchNorm1d": { r in BatchNorm1d(try r.int("num_features", min: 1), eps: Float(try r.double("eps", 1e-5)),
                                        momentum: Float(try r.double("momentum", 0.1)), affine: try r.bool("affine", true)) },
      "ReLU": { _ in ReLU() }, "ReLU6": { _ in ReLU6() }, "GELU": { _ in GELU() }, "Sigmoid": { _ in Sigmoid() },
      "Tanh": { _ in Tanh() }, "SiLU": { _ in SiLU() }, "Hardswish": { _ in Hardswish() }, "Identity": { _ in Identity() },
      "LeakyReLU": { r in LeakyReLU(Float(try r.double("negative_slope", 0.01))) },
      "MaxPool2d": { r in MaxPool2d(try r.int("kernel_size", min: 1, max: DescriptionReader.maxWindow), stride: try r.optionalStride(),
                                    padding: try r.poolPadding(),
                                    ceilMode: try r.bool("ceil_mode", false)) },
      "AvgPool2d": { r in AvgPool2d(try r.int("kernel_size", min: 1, max: DescriptionReader.maxWindow), stride: try r.optionalStride(),
                                    padding: try r.poolPadding(),
                                    ceilMode: try r.bool("ceil_mode", false), countIncludePad: try r.bool("count_include_pad", true)) },
      "AdaptiveAvgPool2d": { r in
        let s = try win(r, "output_size", 1)
        // The output size multiplies every input plane at forward time (2^24 × 2^24 asked
        // for 2^50 bytes): 4096 per side is far beyond any pooled feature map.
        guard (1...4096).contains(s.h), (1...4096).contains(s.w) else {
          throw DescriptionError("\(r.path).output_size: must be in 1…4096 per side, got \(s.h)x\(s.w)")
        }
        return AdaptiveAvgPool2d(s.h, s.w)
      },
      "Flatten": { r in Flatten(start: try r.int("start_dim", 1), end: try r.int("end_dim", -1)) },
      "Zero": { r in Zero(stride: try r.int("stride", 1, min: 1)) },
      "Dropout": { r in Dropout(Float(try r.double("p", 0.5, range: 0...1))) },
      "Embedding": { r in
        let n = try r.int("num_embeddings", min: 1), d = try r.int("embedding_dim", min: 1)
        try r.checkParameters([n, d], "weight [num_embeddings, embedding_dim]")
        return Embedding(n, d, indexBase: try r.int("index_base", 0, min: 0, max: 1))
      },
      "Sequential": { r in
        let s = Sequential()
        for (n, m) in try children(r) { if Int(n) != nil { s.add(m) } else { s.add(n, m) } }
        return s
      },
      "Add": { r in Add(try branches(r)) },
      "Concat": { r in Concat(try branches(r), dim: try r.int("dim", 1)) },
    ]
    base.merge(sequenceBuilders()) { a, _ in a } // LSTM, GRU, RNN, attention (SequenceBuilders.swift)

    // Quantised layers (Compression/QuantizedLayer.swift) reuse the float layers' builders.
    return base.merging(quantizedBuilders(conv: base["Conv2d"]!, linear: base["Linear"]!)) { a, _ in a }.merging(layerBuilders()) { a, _ in a }
  }
}

/// Reads typed fields of one description object and remembers which keys were used,
/// so `finish()` can reject typos.
public final class DescriptionReader {
  public let object: [String: JSON]
  public let path: String
  private var used: Set<String> = ["type"]
  private var missing: [String] = []

  public init(_ object: [String: JSON], path: String) {
    self.object = object
    self.path = path
  }

  /// Values a key falls back to when the description does not set it (the data's
  /// `in_channels`, `image_size`, `in_features` for a network's first part): they fill
  /// what the author left out and are never reported as unknown keys.
  public var inherited: [String: JSON] = [:]

  public func raw(_ key: String) -> JSON? {
    used.insert(key)
    return object[key] ?? inherited[key]
  }

  /// The inherited values a builder actually read (to write them into the description,
  /// so the model rebuilds without the data at hand).
  public var inheritedUsed: [String: JSON] { inherited.filter { used.contains($0.key) && object[$0.key] == nil } }

  /// The largest magnitude an integer in a description may have (2^24): beyond any layer
  /// width, kernel or count a real model uses, and small enough that products of two or
  /// three such values cannot overflow before `checkParameters` sees them (issue 14:
  /// `in_features = 2^32` and `kernel_size = 1e12` aborted allocating).
  public static let maxInteger = 1 << 24

  /// The largest kernel, stride, dilation, padding or pooled output size per side (4096):
  /// these multiply the forward pass's allocations rather than the parameters', so they
  /// are bounded on their own.
  public static let maxWindow = 1 << 12

  public func int(_ key: String, _ d: Int? = nil, min: Int? = nil, max: Int = DescriptionReader.maxInteger) throws -> Int {
    guard let v = raw(key) else {
      if let d { return d }
      missing.append(key)
      throw DescriptionError("\(path): missing '\(key)'")
    }
    guard let i = v.int else { throw DescriptionError("\(path).\(key): expected an integer, got \(v.text)") }
    if let min, i < min { throw DescriptionError("\(path).\(key): must be at least \(min), got \(i)") }
    try bounded(i, key, max: max)
    return i
  }

  public func optionalInt(_ key: String) throws -> Int? {
    guard let v = raw(key), v != .null else { return nil }
    guard let i = v.int else { throw DescriptionError("\(path).\(key): expected an integer, got \(v.text)") }
    try bounded(i, key, max: DescriptionReader.maxInteger)
    return i
  }

  /// `|i| ≤ max`, or an error naming the key.
  func bounded(_ i: Int, _ key: String, max: Int) throws {
    if i > max || i < -DescriptionReader.maxInteger {
      throw DescriptionError("\(path).\(key): must be at most \(max) in magnitude, got \(i)")
    }
  }

  /// Checks that a parameter tensor of `shape` may be allocated (overflow-checked count,
  /// the `LYRA_MAX_TENSOR_BYTES` cap, available memory) before the layer is built; the
  /// error names this description's path and `what` (which keys made the shape).
  public func checkParameters(_ shape: [Int], _ what: String) throws {
    do { try CheckedSize.allocation(shape, elementSize: 4, "\(path): \(what)") } catch let e as SizeError {
      throw DescriptionError(e.description)
    }
  }

  /// A pooling stride: absent or null means "the kernel size"; otherwise 1…`maxWindow`.
  public func optionalStride() throws -> Int? {
    guard let s = try optionalInt("stride") else { return nil }
    if s < 1 || s > DescriptionReader.maxWindow {
      throw DescriptionError("\(path).stride: must be in 1…\(DescriptionReader.maxWindow), got \(s)")
    }
    return s
  }

  /// A pooling padding: at most half the kernel (PyTorch's rule; a larger pad makes
  /// windows of padding only, and multiplies the forward's output).
  func poolPadding() throws -> Int {
    let p = try int("padding", 0, min: 0), k = try int("kernel_size", min: 1, max: DescriptionReader.maxWindow)
    if p > k / 2 { throw DescriptionError("\(path).padding: must be at most half the kernel_size (\(k / 2)), got \(p)") }
    return p
  }

  public func double(_ key: String, _ d: Double, range: ClosedRange<Double>? = nil) throws -> Double {
    guard let v = raw(key) else { return d }
    guard let x = v.double else { throw DescriptionError("\(path).\(key): expected a number, got \(v.text)") }
    if let range, !range.contains(x) { throw DescriptionError("\(path).\(key): must be in [\(range.lowerBound), \(range.upperBound)], got \(x)") }
    return x
  }

  public func bool(_ key: String, _ d: Bool) throws -> Bool {
    guard let v = raw(key) else { return d }
    guard let b = v.bool else { throw DescriptionError("\(path).\(key): expected true or false, got \(v.text)") }
    return b
  }

  public func string(_ key: String, _ d: String? = nil) throws -> String {
    guard let v = raw(key) else {
      if let d { return d }
      missing.append(key)
      throw DescriptionError("\(path): missing '\(key)'")
    }
    guard let s = v.string else { throw DescriptionError("\(path).\(key): expected a string, got \(v.text)") }
    return s
  }

  public func array(_ key: String) throws -> [JSON] {
    guard let a = try optionalArray(key) else {
      missing.append(key)
      throw DescriptionError("\(path): missing '\(key)'")
    }
    return a
  }

  public func optionalArray(_ key: String) throws -> [JSON]? {
    guard let v = raw(key) else { return nil }
    guard let a = v.array else { throw DescriptionError("\(path).\(key): expected a list, got \(v.text)") }
    return a
  }

  /// After a required key was found missing: an unread key that looks like it was
  /// meant to be that key is reported as the typo it is.
  func explainMissing() throws {
    for k in object.keys.sorted() where !used.contains(k) {
      if let m = Suggest.closest(k, in: missing) { throw DescriptionError("\(path): unknown key '\(k)' (did you mean '\(m)'?)") }
    }
  }

  /// Fails on any key that no reader asked for, suggesting the closest used one.
  public func finish() throws {
    for k in object.keys.sorted() where !used.contains(k) {
      let hint = Suggest.hint(k, in: Array(used))
      throw DescriptionError("\(path): unknown key '\(k)'\(hint)")
    }
  }
}
