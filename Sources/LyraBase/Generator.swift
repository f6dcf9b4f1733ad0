/// A seeded random number generator: Philox4x32-10 (Salmon et al., "Parallel Random
/// Numbers: As Easy as 1, 2, 3", SC 2011), the counter-based generator PyTorch's CUDA
/// backend and JAX use.
///
/// Why counter-based: the stream is a pure function of (seed, counter), so a generator
/// can be split for worker threads or saved and restored exactly as two integers, and
/// the same seed on the same machine always gives the same numbers.
///
/// Why in LyraBase: search spaces, search algorithms, data loaders and tensors all draw
/// from it, and none of the first three needs LyraKernels for anything else.
public final class Generator {
  /// The key (from the seed); never changes after seeding.
  public private(set) var seed: UInt64
  /// How many 128-bit blocks have been produced.
  public private(set) var counter: UInt64
  private var buffer: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
  private var available = 0
  private var spareNormal: Double?

  public init(seed: UInt64) {
    self.seed = seed
    self.counter = 0
  }

  /// Re-seeds in place (`manual_seed`).
  public func manualSeed(_ seed: UInt64) {
    self.seed = seed
    counter = 0
    available = 0
    spareNormal = nil
  }

  /// The state as two integers (seed, counter), enough to resume the stream exactly
  /// at a block boundary; `restore` discards any partially used block.
  public var state: (seed: UInt64, counter: UInt64) { (seed, counter) }
  public func restore(seed: UInt64, counter: UInt64) {
    self.seed = seed
    self.counter = counter
    available = 0
    spareNormal = nil
  }

  /// An independent generator for a sub-task (a worker, a trial): its seed mixes this
  /// one's seed with `stream`, so splits of the same parent differ.
  public func split(stream: UInt64) -> Generator {
    Generator(seed: Generator.mix(seed &+ 0x9E37_79B9_7F4A_7C15 &* (stream &+ 1)))
  }

  /// SplitMix64's finaliser: spreads nearby seeds over the key space.
  static func mix(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  @inline(__always)
  static func mulhilo(_ a: UInt32, _ b: UInt32) -> (hi: UInt32, lo: UInt32) {
    let p = UInt64(a) &* UInt64(b)
    return (UInt32(truncatingIfNeeded: p >> 32), UInt32(truncatingIfNeeded: p))
  }

  /// One Philox4x32-10 block for `counter` under `key`.
  static func block(counter: UInt64, key: UInt64) -> (UInt32, UInt32, UInt32, UInt32) {
    var c0 = UInt32(truncatingIfNeeded: counter), c1 = UInt32(truncatingIfNeeded: counter >> 32)
    var c2: UInt32 = 0, c3: UInt32 = 0
    var k0 = UInt32(truncatingIfNeeded: key), k1 = UInt32(truncatingIfNeeded: key >> 32)
    for _ in 0..<10 {
      let p0 = mulhilo(0xD251_1F53, c0)
      let p1 = mulhilo(0xCD9E_8D57, c2)
      (c0, c1, c2, c3) = (p1.hi ^ c1 ^ k0, p1.lo, p0.hi ^ c3 ^ k1, p0.lo)
      k0 = k0 &+ 0x9E37_79B9
      k1 = k1 &+ 0xBB67_AE85
    }
    return (c0, c1, c2, c3)
  }

  /// The next 32 random bits.
  @inline(__always)
  public func nextUInt32() -> UInt32 {
    if available == 0 {
      buffer = Generator.block(counter: counter, key: seed)
      counter &+= 1
      available = 4
    }
    available -= 1
    switch available {
    case 3: return buffer.0
    case 2: return buffer.1
    case 1: return buffer.2
    default: return buffer.3
    }
  }

  /// The next 64 random bits.
  public func nextUInt64() -> UInt64 { UInt64(nextUInt32()) << 32 | UInt64(nextUInt32()) }

  /// Uniform in [0, 1) with 24 random bits (every Float32 step of that grid).
  @inline(__always)
  public func nextFloat() -> Float { Float(nextUInt32() >> 8) * (1.0 / 16_777_216.0) }

  /// Uniform in [0, 1) with 53 random bits.
  public func nextDouble() -> Double { Double(nextUInt64() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

  /// Uniform in [low, high).
  public func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * nextDouble() }

  /// A standard normal sample (Box-Muller; the second value of each pair is kept).
  public func normal() -> Double {
    if let s = spareNormal {
      spareNormal = nil
      return s
    }
    var u1 = nextDouble()
    while u1 <= .leastNormalMagnitude { u1 = nextDouble() }
    let u2 = nextDouble()
    let r = (-2 * _log(u1)).squareRoot()
    let t = 2 * Double.pi * u2
    spareNormal = r * _sin(t)
    return r * _cos(t)
  }

  /// Uniform integer in 0..<n without modulo bias (Lemire's method). n must be > 0.
  public func int(below n: Int) -> Int {
    precondition(n > 0, "Generator.int(below:): n must be positive, got \(n)")
    let bound = UInt64(n)
    if bound <= UInt64(UInt32.max) {
      let b32 = UInt32(bound)
      var m = UInt64(nextUInt32()) &* UInt64(b32)
      var l = UInt32(truncatingIfNeeded: m)
      if l < b32 {
        let t = (0 &- b32) % b32
        while l < t {
          m = UInt64(nextUInt32()) &* UInt64(b32)
          l = UInt32(truncatingIfNeeded: m)
        }
      }
      return Int(m >> 32)
    }
    let limit = UInt64.max - UInt64.max % bound
    var x = nextUInt64()
    while x >= limit { x = nextUInt64() }
    return Int(x % bound)
  }

  /// Uniform integer in the closed range.
  public func int(in range: ClosedRange<Int>) -> Int { range.lowerBound + int(below: range.upperBound - range.lowerBound + 1) }

  /// Shuffles in place (Fisher-Yates).
  public func shuffle<T>(_ a: inout [T]) {
    guard a.count > 1 else { return }
    for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, int(below: i + 1)) }
  }

  /// A random permutation of 0..<n.
  public func permutation(_ n: Int) -> [Int] {
    var p = Array(0..<n)
    shuffle(&p)
    return p
  }

  /// True with probability p.
  public func bernoulli(_ p: Double) -> Bool { nextDouble() < p }
}

import Foundation
@inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) func _sin(_ x: Double) -> Double { Foundation.sin(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Foundation.cos(x) }
