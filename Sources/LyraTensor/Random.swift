import LyraBase

/// Random tensors. Every function takes an optional `Generator`; without one the process
/// default (`Tensor.defaultGenerator`, reseeded by `manualSeed`) is used, so a seeded run
/// repeats exactly.
extension Tensor {
  /// The process-wide generator used when none is passed.
  nonisolated(unsafe) public static var defaultGenerator = Generator(seed: 0)

  /// Reseeds the default generator (`torch.manual_seed`).
  public static func manualSeed(_ seed: UInt64) { defaultGenerator.manualSeed(seed) }

  /// Uniform in [0, 1).
  public static func rand(_ shape: [Int], generator: Generator? = nil) -> Tensor {
    empty(shape).uniform_(0, 1, generator: generator)
  }

  /// Standard normal.
  public static func randn(_ shape: [Int], generator: Generator? = nil) -> Tensor {
    empty(shape).normal_(0, 1, generator: generator)
  }

  /// Uniform integers in `low..<high` as an int32 tensor.
  public static func randint(_ low: Int, _ high: Int, _ shape: [Int], generator: Generator? = nil) -> Tensor {
    precondition(high > low, "Tensor.randint: high (\(high)) must exceed low (\(low))")
    let g = generator ?? defaultGenerator
    let t = empty(shape, dtype: .int32)
    for i in 0..<t.count { t.intData[i] = Int32(low + g.int(below: high - low)) }
    return t
  }

  /// A random permutation of `0..<n` as an int32 tensor.
  public static func randperm(_ n: Int, generator: Generator? = nil) -> Tensor {
    Tensor(indices: (generator ?? defaultGenerator).permutation(n))
  }

  /// Fills with uniform values in [low, high) in place; not recorded.
  @discardableResult
  public func uniform_(_ low: Float = 0, _ high: Float = 1, generator: Generator? = nil) -> Tensor {
    requireFloat("Tensor.uniform_")
    let g = generator ?? Tensor.defaultGenerator
    let c = isContiguous ? self : Tensor.empty(shape)
    let p = c.data, scale = high - low
    for i in 0..<count { p[i] = low + scale * g.nextFloat() }
    if c !== self { copy_(c) }
    return self
  }

  /// Fills with normal values in place; not recorded.
  @discardableResult
  public func normal_(_ mean: Float = 0, _ std: Float = 1, generator: Generator? = nil) -> Tensor {
    requireFloat("Tensor.normal_")
    let g = generator ?? Tensor.defaultGenerator
    let c = isContiguous ? self : Tensor.empty(shape)
    let p = c.data
    for i in 0..<count { p[i] = mean + std * Float(g.normal()) }
    if c !== self { copy_(c) }
    return self
  }

  /// Fills with 1 with probability `p`, else 0, in place; not recorded.
  @discardableResult
  public func bernoulli_(_ p: Float, generator: Generator? = nil) -> Tensor {
    requireFloat("Tensor.bernoulli_")
    let g = generator ?? Tensor.defaultGenerator
    let c = isContiguous ? self : Tensor.empty(shape)
    for i in 0..<count { c.data[i] = g.nextFloat() < p ? 1 : 0 }
    if c !== self { copy_(c) }
    return self
  }
}
