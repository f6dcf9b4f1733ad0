import CLua
import LyraBase
import LyraTensor

/// Matrix methods (bmm, addmm, mv, outer/ger, diag, trace, tril/triu, inverse, det) and
/// `lyra.linalg.*` (inv, solve, det, svd, eigh, eig, qr, cholesky) over LAPACK. LAPACK's
/// refusals (singular, not positive definite, NaN input) arrive as Lua errors.
enum TensorLinalgMethods {
  /// Runs a LAPACK-backed op, turning its `LinalgError` into this function's Lua error.
  static func lapack<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as LinalgError { throw LuaFailure(e.message) }
  }

  /// Pushes the results of a decomposition; returns their count.
  static func push(_ call: LuaCall, _ results: Tensor...) -> Int {
    for t in results { TensorLua.push(t, call.stack) }
    return results.count
  }

  /// Argument `i` as a float matrix, optionally square.
  static func matrix(_ call: LuaCall, _ i: Int, square: Bool = false) throws -> Tensor {
    let a = try TensorOps.floatTensor(call, i)
    guard a.rank == 2 else { throw LuaArgumentError(i, "expected a 2-D matrix, got shape \(ShapeText.format(a.shape))") }
    if square && a.shape[0] != a.shape[1] { throw LuaArgumentError(i, "expected a square matrix, got \(ShapeText.format(a.shape))") }
    return a
  }

  /// Argument `i` as a float square matrix or a batch of them [..., n, n].
  static func squareBatch(_ call: LuaCall, _ i: Int) throws -> Tensor {
    let a = try TensorOps.floatTensor(call, i)
    guard a.rank >= 2, a.shape[a.rank - 1] == a.shape[a.rank - 2] else {
      throw LuaArgumentError(i, "expected a square matrix or a batch of them [..., n, n], got shape \(ShapeText.format(a.shape))")
    }
    return a
  }

  /// A diagonal offset: bounded, so that size arithmetic on it cannot overflow.
  static func offset(_ call: LuaCall, _ i: Int) throws -> Int {
    let k = try call.optInteger(i, 0)
    guard k > -(1 << 31) && k < 1 << 31 else { throw LuaArgumentError(i, "diagonal offset \(k) is out of range") }
    return k
  }

  static func triangle(_ name: String, lower: Bool) -> LuaMethod {
    LuaMethod(name, help: "x:\(name)([k = 0]) -> tensor\nThe elements on and \(lower ? "below" : "above") the k-th diagonal of the last two dimensions (k > 0 above the main one, k < 0 below), zeros elsewhere.\nDifferentiable.") { call in
      let x = try TensorOps.floatTensor(call, 1)
      guard x.rank >= 2 else { throw LuaFailure("expected at least 2 dimensions, got shape \(ShapeText.format(x.shape))") }
      let k = try offset(call, 2)
      TensorLua.push(lower ? x.tril(k) : x.triu(k), call.stack)
      return 1
    }
  }

  /// An op on a square matrix or a batch of them (inverse, det).
  static func squareOp(_ name: String, _ help: String, _ f: @escaping (Tensor) throws -> Tensor) -> LuaMethod {
    LuaMethod(name, help: help) { call in
      let a = try squareBatch(call, 1)
      TensorLua.push(try lapack { try f(a) }, call.stack)
      return 1
    }
  }

  static func outer(_ name: String, _ help: String) -> LuaMethod {
    LuaMethod(name, help: help) { call in
      let a = try TensorOps.floatTensor(call, 1), b = try TensorOps.floatTensor(call, 2)
      guard a.rank == 1, b.rank == 1 else { throw LuaFailure("expected two 1-D tensors, got \(ShapeText.format(a.shape)) and \(ShapeText.format(b.shape))") }
      try call.checkedAllocation([a.count, b.count], "outer product")
      TensorLua.push(a.outer(b), call.stack)
      return 1
    }
  }

  static var all: [LuaMethod] {
    [
      LuaMethod("bmm", help: "x:bmm(y) -> tensor\nBatched matrix product: [b, n, m] · [b, m, p] -> [b, n, p]. Differentiable.") { call in
        let a = try TensorOps.floatTensor(call, 1), b = try TensorOps.floatTensor(call, 2)
        guard a.rank == 3, b.rank == 3, a.shape[0] == b.shape[0], a.shape[2] == b.shape[1] else {
          throw LuaFailure("expected [b, n, m] and [b, m, p], got \(ShapeText.format(a.shape)) and \(ShapeText.format(b.shape))")
        }
        try TensorReduceMethods.checkMatmul(a, b)
        TensorLua.push(a.bmm(b), call.stack)
        return 1
      },
      LuaMethod("addmm", help: "x:addmm(mat1, mat2 [, {beta = 1, alpha = 1}]) -> tensor\nbeta * x + alpha * (mat1 · mat2) (PyTorch's addmm; x broadcasts to the product's shape). Differentiable.") { call in
        let x = try TensorOps.floatTensor(call, 1), a = try matrix(call, 2), b = try matrix(call, 3)
        guard a.shape[1] == b.shape[0] else { throw LuaArgumentError(3, "cannot multiply \(ShapeText.format(a.shape)) by \(ShapeText.format(b.shape))") }
        let product = [a.shape[0], b.shape[1]]
        guard Shape.broadcast(x.shape, product) == product else {
          throw LuaArgumentError(1, "shape \(ShapeText.format(x.shape)) does not broadcast to the product's \(ShapeText.format(product))")
        }
        try TensorReduceMethods.checkMatmul(a, b)
        var beta: Float = 1, alpha: Float = 1
        if let o = try call.options(4) {
          beta = Float(try o.number("beta") ?? 1)
          alpha = Float(try o.number("alpha") ?? 1)
          try o.finish()
        }
        TensorLua.push(x.addmm(a, b, beta: beta, alpha: alpha), call.stack)
        return 1
      },
      LuaMethod("mv", help: "x:mv(v) -> tensor\nMatrix [m, n] times vector [n] -> [m]. Differentiable.") { call in
        let a = try matrix(call, 1), v = try TensorOps.floatTensor(call, 2)
        guard v.rank == 1, v.count == a.shape[1] else { throw LuaArgumentError(2, "expected a vector of \(a.shape[1]) elements, got \(ShapeText.format(v.shape))") }
        TensorLua.push(a.mv(v), call.stack)
        return 1
      },
      outer("outer", "x:outer(y) -> tensor\nThe outer product of two vectors: out[i][j] = x[i] * y[j]. Differentiable."),
      outer("ger", "x:ger(y) -> tensor\nTorch7's name for outer: out[i][j] = x[i] * y[j]. Differentiable."),
      LuaMethod("diag", help: "x:diag([k = 0]) -> tensor\nFor a vector: a square matrix with x on the k-th diagonal (k > 0 above the main one).\nFor a matrix: its k-th diagonal as a vector. Differentiable.") { call in
        let x = try TensorOps.floatTensor(call, 1)
        guard x.rank == 1 || x.rank == 2 else { throw LuaFailure("expected a 1-D or 2-D tensor, got shape \(ShapeText.format(x.shape))") }
        let k = try offset(call, 2)
        if x.rank == 1 { try call.checkedAllocation([x.count + abs(k), x.count + abs(k)], "diagonal matrix") }
        TensorLua.push(x.diag(k), call.stack)
        return 1
      },
      LuaMethod("trace", help: "x:trace() -> tensor\nThe sum of a matrix's main diagonal (a 0-d tensor). Differentiable.") { call in
        TensorLua.push(try matrix(call, 1).trace(), call.stack)
        return 1
      },
      triangle("tril", lower: true), triangle("triu", lower: false),
      squareOp("inverse", "x:inverse() -> tensor\nThe inverse of a square matrix, or of each in a batch [..., n, n], through LAPACK (sgetrf/sgetri); also lyra.linalg.inv.\nA singular matrix is an error. Differentiable: the gradient is -A^-T g A^-T.") { try $0.inverse() },
      squareOp("det", "x:det() -> tensor\nThe determinant of a square matrix (a 0-d tensor; 0 for a singular one), or of each in a batch [..., n, n] (a tensor of the batch's shape),\nfrom an LU factorisation; also lyra.linalg.det. Differentiable: the gradient is g * det * A^-T (the cofactor matrix where A is singular).") { try $0.det() },
    ]
  }

  /// `lyra.linalg.*`.
  static var linalg: [LuaMethod] {
    [
      squareOp("inv", "lyra.linalg.inv(A) -> tensor\nThe inverse of a square matrix, or of each in a batch [..., n, n] (LAPACK sgetrf/sgetri), as x:inverse().\nA singular matrix is an error. Differentiable: the gradient is -A^-T g A^-T.") { try $0.inverse() },
      LuaMethod("solve", help: "lyra.linalg.solve(A, B) -> X\nX with A · X = B, for a square A and B a vector [n] or a matrix [n, k] (LAPACK sgetrf/sgetrs; cheaper and more accurate than inv(A) · B);\nfor a batch A [..., n, n], B [..., n, k] with the same batch shape. A singular A is an error. Differentiable for A and B.") { call in
        let a = try squareBatch(call, 1), b = try TensorOps.floatTensor(call, 2)
        let n = a.shape[a.rank - 1]
        if a.rank == 2 {
          guard (b.rank == 1 || b.rank == 2) && b.shape[0] == n else {
            throw LuaArgumentError(2, "B must be [\(n)] or [\(n), k] for A \(ShapeText.format(a.shape)), got \(ShapeText.format(b.shape))")
          }
        } else {
          guard b.rank == a.rank, b.shape.dropLast(2) == a.shape.dropLast(2), b.shape[b.rank - 2] == n else {
            throw LuaArgumentError(2, "for a batch A \(ShapeText.format(a.shape)), B must be [..., \(n), k] with the same batch, got \(ShapeText.format(b.shape))")
          }
        }
        TensorLua.push(try lapack { try Tensor.solve(a, b) }, call.stack)
        return 1
      },
      squareOp("det", "lyra.linalg.det(A) -> tensor\nThe determinant of a square matrix (0-d; 0 for a singular one), or of each in a batch [..., n, n], as x:det().\nDifferentiable: the gradient is g * det * A^-T (the cofactor matrix where A is singular).") { try $0.det() },
      LuaMethod("svd", help: "lyra.linalg.svd(A [, full_matrices = true]) -> U, S, Vh\nA = U · diag(S) · Vh, as torch.linalg.svd (note: Vh, the transpose of Torch7's V): S descending;\nU [m, m] and Vh [n, n], or U [m, k] and Vh [k, n] with k = min(m, n) when full_matrices is false (LAPACK sgesdd).\nNo gradient: the results are off the tape.") { call in
        let a = try matrix(call, 1)
        let full = try call.optBool(2, true)
        let r = try lapack { try a.detach().svd(fullMatrices: full) }
        return push(call, r.u, r.s, r.vh)
      },
      LuaMethod("eigh", help: "lyra.linalg.eigh(A) -> values, vectors\nEigenvalues in ascending order and orthonormal eigenvectors (the columns of vectors) of a symmetric matrix;\nonly the lower triangle is read (LAPACK ssyev). No gradient: the results are off the tape.") { call in
        let a = try matrix(call, 1, square: true)
        let r = try lapack { try a.detach().eigh() }
        return push(call, r.values, r.vectors)
      },
      LuaMethod("eig", help: "lyra.linalg.eig(A) -> values, vectors, imag\nEigenvalues and right eigenvectors (unit columns) of a general square matrix (LAPACK sgeev), unordered.\nLyra has no complex tensors: values holds the real parts and imag the imaginary parts; where imag[j] ~= 0,\nthe pair j, j+1 has the complex vectors vectors[:, j] ± i·vectors[:, j+1]. For a symmetric matrix use eigh.\nNo gradient: the results are off the tape.") { call in
        let a = try matrix(call, 1, square: true)
        let r = try lapack { try a.detach().eig() }
        return push(call, r.real, r.vectors, r.imag)
      },
      LuaMethod("qr", help: "lyra.linalg.qr(A) -> Q, R\nThe reduced QR decomposition A = Q · R: Q [m, k] with orthonormal columns, R [k, n] upper triangular,\nk = min(m, n) (LAPACK sgeqrf/sorgqr; torch.linalg.qr's default mode). No gradient: the results are off the tape.") { call in
        let a = try matrix(call, 1)
        let r = try lapack { try a.detach().qr() }
        return push(call, r.q, r.r)
      },
      LuaMethod("cholesky", help: "lyra.linalg.cholesky(A [, upper = false]) -> L\nThe lower-triangular L with A = L · Lᵀ of a symmetric positive-definite matrix (only the lower triangle is read;\nLAPACK spotrf); with upper = true its transpose U, A = Uᵀ · U. A matrix that is not positive definite is an error.\nNo gradient: the result is off the tape.") { call in
        let a = try matrix(call, 1, square: true)
        let upper = try call.optBool(2, false)
        let l = try lapack { try a.detach().cholesky() }
        TensorLua.push(upper ? l.t().contiguous() : l, call.stack)
        return 1
      },
    ]
  }

  static func open(_ state: LuaState) {
    for f in linalg { state.register("lyra.linalg.\(f.name)", help: f.help, f.body) }
  }
}
