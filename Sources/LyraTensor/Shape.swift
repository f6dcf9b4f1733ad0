/// Shape arithmetic shared by views, broadcasting and reductions.
public enum Shape {
  /// Number of elements of a shape (1 for a scalar shape `[]`).
  @inline(__always)
  public static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

  /// Row-major strides for a shape.
  public static func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var s = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[i] = s
      s *= max(shape[i], 1)
    }
    return strides
  }

  /// The broadcast shape of two shapes (NumPy rules), or nil when they are incompatible.
  public static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
    let n = max(a.count, b.count)
    var out = [Int](repeating: 1, count: n)
    for i in 0..<n {
      let da = i < n - a.count ? 1 : a[i - (n - a.count)]
      let db = i < n - b.count ? 1 : b[i - (n - b.count)]
      if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
    }
    return out
  }

  /// A possibly negative dimension index made absolute, checked against `rank`.
  @inline(__always)
  public static func normalize(_ dim: Int, rank: Int, _ fn: @autoclosure () -> String = "dim") -> Int {
    let d = dim < 0 ? dim + rank : dim
    precondition(d >= 0 && d < max(rank, 1), "\(fn()): dimension \(dim) out of range for rank \(rank)")
    return d
  }

  static func describe(_ s: [Int]) -> String { "[" + s.map(String.init).joined(separator: ", ") + "]" }
}
