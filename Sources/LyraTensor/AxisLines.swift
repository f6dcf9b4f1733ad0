/// The lines of a tensor along one dimension, and ops that work line by line.
///
/// Why one helper: cumsum, cumprod, prod, norm, logsumexp (and the sorting family's
/// per-line choices) each need "every line along dim d, with its stride", a recorded
/// backward that sees the same lines of the input, the output and the gradient, and the
/// 0-d and keepdim rules. Writing that walk once keeps each op to its arithmetic.
struct AxisLines {
  let outer: Int, n: Int, inner: Int
  /// Lines in the tensor.
  var count: Int { outer * inner }
  /// Offset of line `l`'s first element in a contiguous tensor whose size along the
  /// dimension is `size` (n for the input, 1 for a reduction's result). Only called for
  /// l < count, so inner > 0.
  @inline(__always) func base(_ l: Int, size: Int) -> Int { (l / inner) * size * inner + l % inner }
}

/// A strided run of floats: element k is `p[k * stride]`.
struct Line {
  let p: UnsafeMutablePointer<Float>
  let n: Int
  let stride: Int
  @inline(__always) subscript(k: Int) -> Float {
    get { p[k * stride] }
    nonmutating set { p[k * stride] = newValue }
  }
}

extension Tensor {
  /// The lines along `d` (a 0-d tensor is one line of one element).
  func lines(_ d: Int) -> AxisLines {
    let (o, n, i) = axisSplit(d)
    return AxisLines(outer: o, n: n, inner: i)
  }

  /// Applies `forward` to every line along `d`, writing an output line of `outSize`
  /// elements (1 for a reduction, whose dimension is then dropped unless `keepdim`).
  /// `backward`, when given, fills the zeroed input-gradient line from the input line,
  /// the output line and its gradient line; the op is recorded under `name`.
  func lineOp(_ name: String, _ d: Int, outSize: Int, keepdim: Bool = true,
              forward: (_ x: Line, _ y: Line) -> Void,
              backward: ((_ x: Line, _ y: Line, _ g: Line, _ dx: Line) -> Void)? = nil) -> Tensor {
    requireFloat("Tensor.\(name)")
    let ls = lines(d)
    let c = contiguous()
    var full = shape
    if rank > 0 { full[d] = outSize }
    let out = Tensor(uninitializedShape: full)
    let x = c.data, y = out.data
    for l in 0..<ls.count {
      forward(Line(p: x + ls.base(l, size: ls.n), n: ls.n, stride: ls.inner),
              Line(p: y + ls.base(l, size: outSize), n: outSize, stride: ls.inner))
    }
    let result = keepdim || rank == 0 ? out : out.reshape(reducedShape(d, keepdim: false))
    guard let backward, Tensor.needsGrad(self) else { return result }
    let inShape = shape
    return result.recorded(name, [self]) { g in
      let gc = g.reshape(full).contiguous()
      let dx = Tensor.zeros(inShape)
      let x = c.data, y = out.data, gp = gc.data, dp = dx.data
      for l in 0..<ls.count {
        let bi = ls.base(l, size: ls.n), bo = ls.base(l, size: outSize)
        backward(Line(p: x + bi, n: ls.n, stride: ls.inner), Line(p: y + bo, n: outSize, stride: ls.inner),
                 Line(p: gp + bo, n: outSize, stride: ls.inner), Line(p: dp + bi, n: ls.n, stride: ls.inner))
      }
      return [dx]
    }
  }

  /// A reduction of every line along `d` to one value (`lineOp` with an output of size 1).
  func reduceLines(_ name: String, _ d: Int, keepdim: Bool, forward: @escaping (_ x: Line) -> Float,
                   backward: ((_ x: Line, _ y: Float, _ g: Float, _ dx: Line) -> Void)? = nil) -> Tensor {
    lineOp(name, d, outSize: 1, keepdim: keepdim, forward: { x, y in y[0] = forward(x) },
           backward: backward.map { b in { x, y, g, dx in b(x, y[0], g[0], dx) } })
  }

  /// A reduction over every element, as a 0-d tensor (the flattened tensor's one line).
  func reduceAll(_ name: String, forward: @escaping (_ x: Line) -> Float,
                 backward: ((_ x: Line, _ y: Float, _ g: Float, _ dx: Line) -> Void)? = nil) -> Tensor {
    reshape([count]).reduceLines(name, 0, keepdim: false, forward: forward, backward: backward)
  }
}
