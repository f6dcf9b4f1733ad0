import LyraBase
import LyraTensor

/// Reshaping modules: Torch7's `nn.View` and PyTorch's `nn.Unflatten`. Sizes may hold
/// one -1 (inferred from the element count); the checks throw before the tensor core's
/// reshape, which traps on sizes that do not fit.
enum ReshapeSizes {
  /// `requested` with its -1 filled in so that it holds `count` elements, or an error
  /// naming `module` and the input shape.
  static func resolve(_ requested: [Int], count: Int, _ module: String, input: [Int]) throws -> [Int] {
    var shape = requested
    let unknown = shape.indices.filter { shape[$0] == -1 }
    let known = shape.filter { $0 != -1 }.reduce(1, *)
    func refuse() -> ShapeError {
      ShapeError("\(module): sizes \(ShapeText.format(requested)) do not fit input \(ShapeText.format(input)) (\(count) elements)")
    }
    if let u = unknown.first {
      guard known > 0, count % known == 0 else { throw refuse() }
      shape[u] = count / known
    }
    guard shape.reduce(1, *) == count else { throw refuse() }
    return shape
  }

  /// A size list a description or a Lua call gave: positive sizes and at most one -1.
  static func validate(_ sizes: [Int]) -> String? {
    if sizes.isEmpty { return "needs at least one size" }
    if let bad = sizes.first(where: { $0 == 0 || $0 < -1 }) { return "sizes must be positive (or one -1), got \(bad)" }
    if sizes.filter({ $0 == -1 }).count > 1 { return "only one size may be -1" }
    return nil
  }
}

/// Reshapes every sample of a batch to `sizes` (the first dimension is the batch and is
/// kept): [N, 16, 4, 4] through View(256) is [N, 256]. This is Torch7's `nn.View` in
/// batch mode, which is how it is used between convolutions and linear layers.
public final class View: Module {
  public let sizes: [Int]
  public init(_ sizes: [Int]) {
    self.sizes = sizes
    super.init()
  }
  public override func forward(_ x: Tensor) throws -> Tensor {
    guard x.rank >= 1 else { throw ShapeError("View: expected a batch [N, ...], got a 0-d tensor") }
    let n = x.shape[0]
    let sample = try ReshapeSizes.resolve(sizes, count: x.shape.dropFirst().reduce(1, *), "View", input: x.shape)
    return x.reshape([n] + sample)
  }
  public override var summary: String { ShapeText.format(sizes) }
  public override var arguments: [String: JSON] { ["sizes": .array(sizes.map { JSON($0) })] }
}

/// Expands dimension `dim` into `sizes` (PyTorch's `nn.Unflatten`): Unflatten(1, [16, 4, 4])
/// turns [N, 256] into [N, 16, 4, 4]. `dim` is 0-based and may count from the end.
public final class Unflatten: Module {
  public let dim: Int
  public let sizes: [Int]
  public init(dim: Int, sizes: [Int]) {
    self.dim = dim
    self.sizes = sizes
    super.init()
  }
  public override func forward(_ x: Tensor) throws -> Tensor {
    let d = dim < 0 ? x.rank + dim : dim
    guard d >= 0, d < x.rank else {
      throw ShapeError("Unflatten: dimension \(dim) does not exist in input \(ShapeText.format(x.shape))")
    }
    let inner = try ReshapeSizes.resolve(sizes, count: x.shape[d], "Unflatten", input: x.shape)
    return x.reshape(Array(x.shape[..<d]) + inner + Array(x.shape[(d + 1)...]))
  }
  public override var summary: String { "dim \(dim), \(ShapeText.format(sizes))" }
  public override var arguments: [String: JSON] { ["dim": JSON(dim), "unflattened_size": .array(sizes.map { JSON($0) })] }
}
