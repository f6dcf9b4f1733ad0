/// Python's `random.Random(seed)` for a small integer seed: the MT19937 generator seeded by
/// `init_by_array([seed])`, `random()` from two 32-bit draws (53 bits), `choice` by
/// rejection on `getrandbits(bit_length(n))`. NAGO's graphs are networkx's random graphs
/// drawn with these seeds (0, 1, 2, ... until one is usable), so the same description
/// gives VEGA's architecture only when the draws are Python's, bit for bit.
struct PythonRandom {
  private var mt = [UInt32](repeating: 0, count: 624)
  private var index = 624

  init(seed: UInt32) {
    mt[0] = 19_650_218
    for i in 1..<624 { mt[i] = 1_812_433_253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i) }
    var i = 1, j = 0
    let key = [seed]
    for _ in 0..<max(624, key.count) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
      i += 1
      j += 1
      if i >= 624 { mt[0] = mt[623]; i = 1 }
      if j >= key.count { j = 0 }
    }
    for _ in 0..<623 {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
      i += 1
      if i >= 624 { mt[0] = mt[623]; i = 1 }
    }
    mt[0] = 0x8000_0000
  }

  mutating func nextUInt32() -> UInt32 {
    if index >= 624 {
      for k in 0..<624 {
        let y = (mt[k] & 0x8000_0000) | (mt[(k + 1) % 624] & 0x7fff_ffff)
        mt[k] = mt[(k + 397) % 624] ^ (y >> 1) ^ (y & 1 == 1 ? 0x9908_b0df : 0)
      }
      index = 0
    }
    var y = mt[index]
    index += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9d2c_5680
    y ^= (y << 15) & 0xefc6_0000
    y ^= y >> 18
    return y
  }

  /// `random.random()`: uniform in [0, 1) with 53 bits.
  mutating func random() -> Double {
    let a = Double(nextUInt32() >> 5), b = Double(nextUInt32() >> 6)
    return (a * 67_108_864 + b) / 9_007_199_254_740_992
  }

  /// `random._randbelow(n)` (n ≥ 1, below 2^32): rejection sampling on the top bits.
  mutating func below(_ n: Int) -> Int {
    let bits = Int.bitWidth - (n).leadingZeroBitCount
    while true {
      let r = Int(nextUInt32() >> UInt32(32 - bits))
      if r < n { return r }
    }
  }
}
