/// A scalar function applied elementwise; a struct so the kernel is specialised and vectorised per op.
protocol UnaryFn { func callAsFunction(_ x: Float) -> Float }
/// A two-argument scalar function applied elementwise with broadcasting.
protocol BinaryFn { func callAsFunction(_ a: Float, _ b: Float) -> Float }

/// Iteration plan for up to three strided operands over one shape: dimensions that are
/// contiguous for every operand are merged, so most ops run as one long inner loop.
struct Layout {
  var shape: [Int]
  var strides: [[Int]]

  init(shape: [Int], strides: [[Int]]) {
    var sh: [Int] = []
    var st: [[Int]] = Array(repeating: [], count: strides.count)
    for d in 0..<shape.count where shape[d] != 1 {
      if let last = sh.last,
         (0..<strides.count).allSatisfy({ st[$0].last! == strides[$0][d] * shape[d] }) {
        sh[sh.count - 1] = last * shape[d]
        for k in 0..<strides.count { st[k][st[k].count - 1] = strides[k][d] }
      } else {
        sh.append(shape[d])
        for k in 0..<strides.count { st[k].append(strides[k][d]) }
      }
    }
    if sh.isEmpty {
      sh = [1]
      st = Array(repeating: [0], count: strides.count)
    }
    self.shape = sh
    self.strides = st
  }

  var inner: Int { shape[shape.count - 1] }
  var rows: Int { Shape.count(shape) / max(inner, 1) }

  /// Offset of the first element of `row` for operand `k`.
  @inline(__always)
  func rowOffset(_ row: Int, _ k: Int) -> Int {
    var r = row, off = 0
    var d = shape.count - 2
    while d >= 0 {
      let s = shape[d]
      off += (r % s) * strides[k][d]
      r /= s
      d -= 1
    }
    return off
  }

  /// Calls `body(rowOffsets..., start, length)` over all inner runs, in parallel when big.
  func forEachRun(_ body: (_ row: Int, _ lo: Int, _ hi: Int) -> Void) {
    let n = inner, rows = self.rows
    let total = rows * n
    if rows == 1 {
      Parallel.forRange(n, work: total) { r in body(0, r.lowerBound, r.upperBound) }
    } else {
      Parallel.forRange(rows, work: total) { r in for row in r { body(row, 0, n) } }
    }
  }
}

/// Broadcast strides of `t` against `shape` (0 where `t` has size 1 or lacks the dimension).
func broadcastStrides(_ t: Tensor, to shape: [Int]) -> [Int] {
  let n = shape.count, m = t.rank
  var s = [Int](repeating: 0, count: n)
  for i in 0..<m {
    let d = n - m + i
    s[d] = t.shape[i] == 1 && shape[d] != 1 ? 0 : t.strides[i]
  }
  return s
}

/// out[i] = f(x[i]) over a shape, any strides.
func unaryApply<F: UnaryFn>(out: UnsafeMutablePointer<Float>, outStrides: [Int],
                            x: UnsafePointer<Float>, xStrides: [Int], shape: [Int], _ f: F) {
  if Shape.count(shape) == 0 { return }
  let L = Layout(shape: shape, strides: [outStrides, xStrides])
  let so = L.strides[0].last!, sx = L.strides[1].last!
  L.forEachRun { row, lo, hi in
    let o = out + L.rowOffset(row, 0), a = x + L.rowOffset(row, 1)
    if so == 1 && sx == 1 {
      for i in lo..<hi { o[i] = f(a[i]) }
    } else {
      for i in lo..<hi { o[i * so] = f(a[i * sx]) }
    }
  }
}

/// out[i] = f(a[i], b[i]) over a shape, any strides (0 strides broadcast).
func binaryApply<F: BinaryFn>(out: UnsafeMutablePointer<Float>, outStrides: [Int],
                              a: UnsafePointer<Float>, aStrides: [Int],
                              b: UnsafePointer<Float>, bStrides: [Int], shape: [Int], _ f: F) {
  if Shape.count(shape) == 0 { return }
  let L = Layout(shape: shape, strides: [outStrides, aStrides, bStrides])
  let so = L.strides[0].last!, sa = L.strides[1].last!, sb = L.strides[2].last!
  L.forEachRun { row, lo, hi in
    let o = out + L.rowOffset(row, 0), pa = a + L.rowOffset(row, 1), pb = b + L.rowOffset(row, 2)
    if so == 1 && sa == 1 && sb == 1 {
      for i in lo..<hi { o[i] = f(pa[i], pb[i]) }
    } else if so == 1 && sa == 1 && sb == 0 {
      let bv = pb[0]
      for i in lo..<hi { o[i] = f(pa[i], bv) }
    } else if so == 1 && sa == 0 && sb == 1 {
      let av = pa[0]
      for i in lo..<hi { o[i] = f(av, pb[i]) }
    } else {
      for i in lo..<hi { o[i * so] = f(pa[i * sa], pb[i * sb]) }
    }
  }
}

extension Tensor {
  /// A new contiguous tensor f(self), no autograd.
  func mapUnary<F: UnaryFn>(_ f: F) -> Tensor {
    requireFloat("Tensor")
    if isDense {
      let n = count
      let out = Tensor(uninitializedLike: self, count: n)
      let po = out.data, pa = UnsafePointer(data)
      Parallel.forRange(n, work: n) { r in for i in r { po[i] = f(pa[i]) } }
      return out
    }
    let out = Tensor(uninitializedShape: shape)
    unaryApply(out: out.data, outStrides: out.strides, x: data, xStrides: strides, shape: shape, f)
    return out
  }

  /// A new contiguous tensor f(self, other) with broadcasting, no autograd.
  func mapBinary<F: BinaryFn>(_ other: Tensor, _ fn: String, _ f: F) -> Tensor {
    requireFloat(fn)
    other.requireFloat(fn)
    // Same shape, both dense (the common small op): one flat loop, and no shape, stride or
    // layout array is built (those allocations were most of a 4-element add; issue 15).
    if shape == other.shape && isDense && other.isDense {
      let n = count
      let out = Tensor(uninitializedLike: self, count: n)
      let po = out.data, pa = UnsafePointer(data), pb = UnsafePointer(other.data)
      Parallel.forRange(n, work: n) { r in for i in r { po[i] = f(pa[i], pb[i]) } }
      return out
    }
    // A tensor and a 0-d one (`x + 1` from Lua): the same, with the scalar read once.
    if other.rank == 0 && isDense {
      let n = count
      let out = Tensor(uninitializedLike: self, count: n)
      let po = out.data, pa = UnsafePointer(data), bv = other.data[0]
      Parallel.forRange(n, work: n) { r in for i in r { po[i] = f(pa[i], bv) } }
      return out
    }
    if rank == 0 && other.isDense {
      let n = other.count
      let out = Tensor(uninitializedLike: other, count: n)
      let po = out.data, av = data[0], pb = UnsafePointer(other.data)
      Parallel.forRange(n, work: n) { r in for i in r { po[i] = f(av, pb[i]) } }
      return out
    }
    guard let outShape = Shape.broadcast(shape, other.shape) else {
      preconditionFailure("\(fn): shapes \(Shape.describe(shape)) and \(Shape.describe(other.shape)) do not broadcast")
    }
    let out = Tensor(uninitializedShape: outShape)
    binaryApply(out: out.data, outStrides: out.strides, a: data, aStrides: broadcastStrides(self, to: outShape),
                b: other.data, bStrides: broadcastStrides(other, to: outShape), shape: outShape, f)
    return out
  }

  /// self = f(self) in place.
  func applyUnary_<F: UnaryFn>(_ f: F) {
    requireFloat("Tensor")
    unaryApply(out: data, outStrides: strides, x: data, xStrides: strides, shape: shape, f)
  }

  /// self = f(self, other) in place; `other` must broadcast to self's shape.
  func applyBinary_<F: BinaryFn>(_ other: Tensor, _ fn: String, _ f: F) {
    requireFloat(fn)
    other.requireFloat(fn)
    precondition(Shape.broadcast(shape, other.shape) == shape,
                 "\(fn): shape \(Shape.describe(other.shape)) does not broadcast to \(Shape.describe(shape))")
    binaryApply(out: data, outStrides: strides, a: data, aStrides: strides,
                b: other.data, bStrides: broadcastStrides(other, to: shape), shape: shape, f)
  }
}

// Elementary scalar functions.
struct FAdd: BinaryFn { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a + b } }
struct FSub: BinaryFn { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a - b } }
struct FMul: BinaryFn { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a * b } }
struct FDiv: BinaryFn { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a / b } }
struct FCopy: UnaryFn { @inline(__always) func callAsFunction(_ x: Float) -> Float { x } }
struct FAffine: UnaryFn {
  let scale: Float, shift: Float
  @inline(__always) func callAsFunction(_ x: Float) -> Float { x * scale + shift }
}
struct FFill: UnaryFn {
  let v: Float
  @inline(__always) func callAsFunction(_ x: Float) -> Float { v }
}
/// a + alpha * b.
struct FAxpy: BinaryFn {
  let alpha: Float
  @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a + alpha * b }
}
