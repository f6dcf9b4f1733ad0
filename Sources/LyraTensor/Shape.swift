import LyraBase

/// Shape arithmetic shared by views, broadcasting and reductions.
public enum Shape {
  /// Number of elements of a shape (1 for a scalar shape `[]`).
  ///
  /// Trusted shapes only: every shape that came from outside was sized by
  /// `CheckedSize` first, so this product cannot overflow. (Built with `-O` it would
  /// trap rather than wrap; `-Ounchecked` would wrap, hence the rule.)
  @inline(__always)
  public static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

  /// Row-major strides for a shape.
  public static func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var s = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[i] = s
      // Saturating: only an empty tensor (a zero elsewhere in the shape) can get here with a
      // product past Int.max (its strides are never used to reach memory); e.g. [0, 2^62, 2^32].
      let (v, o) = s.multipliedReportingOverflow(by: max(shape[i], 1))
      s = o ? Int.max : v
    }
    return strides
  }

  /// The broadcast shape of two shapes (NumPy rules), or nil when they are incompatible.
  public static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
    // The common cases share an input's array: building a new one cost more than a
    // whole 4-element add (issue 15).
    if a == b || b.isEmpty { return a }
    if a.isEmpty { return b }
    let n = max(a.count, b.count)
    var out = [Int](repeating: 1, count: n)
    for i in 0..<n {
      let da = i < n - a.count ? 1 : a[i - (n - a.count)]
      let db = i < n - b.count ? 1 : b[i - (n - b.count)]
      if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
    }
    return out
  }

  /// Whether `CheckedSize.allocation(shape, elementSize:)` surely accepts `shape`: every
  /// size is non-negative, the bytes are at most 1 MiB (far below the 256 MiB from which
  /// it reads the available memory) and within `CheckedSize.maxTensorBytes`.
  ///
  /// Why: the small op's check, which neither builds a message nor throws; any shape it
  /// does not vouch for goes to `CheckedSize`, which decides and words the error.
  @inline(__always)
  public static func isSmallAllocation(_ shape: [Int], elementSize: Int) -> Bool {
    var bytes = elementSize
    for s in shape {
      guard s >= 0 else { return false }
      let (v, o) = bytes.multipliedReportingOverflow(by: s)
      if o || v > 1 << 20 { return false }
      bytes = v
    }
    return bytes <= CheckedSize.maxTensorBytes
  }

  /// A possibly negative dimension index made absolute, checked against `rank`.
  ///
  /// A 0-d tensor accepts dimension 0 (or -1), as PyTorch does for reductions and
  /// softmax: the scalar is its own single line. Ops that need a real axis use `axis`.
  @inline(__always)
  public static func normalize(_ dim: Int, rank: Int, _ fn: @autoclosure () -> String = "dim") -> Int {
    let d = dim < 0 ? dim + max(rank, 1) : dim
    precondition(d >= 0 && d < max(rank, 1), "\(fn()): dimension \(dim) out of range for rank \(rank)")
    return d
  }

  /// Like `normalize`, for ops that need a real axis (size, select, narrow, gather,
  /// cat, ...): a 0-d tensor has none.
  @inline(__always)
  public static func axis(_ dim: Int, rank: Int, _ fn: @autoclosure () -> String = "dim") -> Int {
    precondition(rank > 0, "\(fn()): a 0-d tensor has no dimension \(dim)")
    return normalize(dim, rank: rank, fn())
  }

  /// `[2, 3, 4]`: LyraTensor's short name for `ShapeText.format`, used by some forty
  /// precondition messages (the spelling itself lives in LyraBase).
  static func describe(_ s: [Int]) -> String { ShapeText.format(s) }
}
