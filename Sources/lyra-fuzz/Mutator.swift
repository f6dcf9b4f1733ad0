import Foundation

/// A deterministic input mutator: the same seed and corpus give the same inputs in the same
/// order, so a CI run that finds a crash can be reproduced exactly (`--seed`, `--runs`).
///
/// Mutations are those that found the bugs of issue 14: numbers replaced by boundary
/// values (0, -1, 2^31, 2^32, 2^62, ...) in binary and in text, byte flips, inserts,
/// deletes, duplicated ranges, splices of two seeds, and format tokens (YAML aliases, JSON
/// keys, safetensors dtypes, ONNX-ish varints).
struct Mutator {
  private var state: UInt64
  let dictionary: [[UInt8]]

  init(seed: UInt64, dictionary: [String]) {
    state = seed &+ 0x9E37_79B9_7F4A_7C15
    self.dictionary = dictionary.map { Array($0.utf8) }
  }

  /// SplitMix64.
  mutating func next() -> UInt64 {
    state = state &+ 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

  static let interestingIntegers: [Int64] = [0, 1, -1, 2, 3, 7, 16, 255, 256, -128, 32767, 65535, 65536,
    Int64(Int32.max), Int64(Int32.min), 1 << 31, 1 << 32, (1 << 32) + 1, 1 << 40, 1 << 53, 1 << 61, 1 << 62,
    Int64.max, Int64.min, 1_000_000_000_000]
  static let interestingText = ["0", "-1", "1", "2147483648", "4294967296", "4611686018427387904",
    "9223372036854775807", "-9223372036854775808", "18446744073709551616", "1e12", "1e308", "-1e308", "nan",
    "inf", "-0", "0.5", "99999999999999999999999", ""]

  /// One to four mutations of `input`, with `other` (another seed) for splices.
  mutating func mutate(_ input: [UInt8], other: [UInt8]) -> [UInt8] {
    var b = input
    for _ in 0...below(4) { b = mutateOnce(b, other: other) }
    if b.count > 1 << 20 { b.removeLast(b.count - (1 << 20)) }
    return b
  }

  mutating func mutateOnce(_ input: [UInt8], other: [UInt8]) -> [UInt8] {
    var b = input
    let pos = below(b.count + 1)
    switch below(12) {
    case 11: // a protobuf varint made as large as its length allows (ONNX dims, pads, strides)
      if !b.isEmpty {
        var e = below(b.count)
        let s = e
        while e < b.count - 1, b[e] & 0x80 != 0, e - s < 9 { e += 1 }
        if b[e] & 0x80 == 0 {
          for i in s..<e { b[i] = 0xFF }
          b[e] = e - s == 9 ? 0x00 : 0x7F
        }
      }
    case 0: if !b.isEmpty { b[below(b.count)] ^= UInt8(1 << below(8)) }
    case 1: if !b.isEmpty { b[below(b.count)] = UInt8(truncatingIfNeeded: next()) }
    case 2: b.insert(contentsOf: (0..<1 + below(8)).map { _ in UInt8(truncatingIfNeeded: next()) }, at: pos)
    case 3: if !b.isEmpty { let s = below(b.count); b.removeSubrange(s..<s + min(1 + below(16), b.count - s)) }
    case 4: if !b.isEmpty { let s = below(b.count); let n = min(1 + below(64), b.count - s); b.insert(contentsOf: b[s..<s + n], at: pos) }
    case 5: if !other.isEmpty { let s = below(other.count); b = Array(b[..<pos]) + other[s...] }
    case 6: // a binary boundary integer, 1/2/4/8 bytes, either byte order
      let v = UInt64(bitPattern: Mutator.interestingIntegers[below(Mutator.interestingIntegers.count)])
      let width = [1, 2, 4, 8][below(4)]
      var bytes = (0..<width).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) }
      if below(2) == 1 { bytes.reverse() }
      if pos + width <= b.count { b.replaceSubrange(pos..<pos + width, with: bytes) } else { b.append(contentsOf: bytes) }
    case 7, 8: // a decimal number in text replaced by a boundary value
      let digits = b.indices.filter { (b[$0] >= 0x30 && b[$0] <= 0x39) }
      if let d = digits.isEmpty ? nil : digits[below(digits.count)] {
        var s = d, e = d
        while s > 0, b[s - 1] >= 0x30 && b[s - 1] <= 0x39 || b[s - 1] == 0x2D || b[s - 1] == 0x2E { s -= 1 }
        while e + 1 < b.count, b[e + 1] >= 0x30 && b[e + 1] <= 0x39 || b[e + 1] == 0x2E || b[e + 1] == 0x65 { e += 1 }
        b.replaceSubrange(s...e, with: Array(Mutator.interestingText[below(Mutator.interestingText.count)].utf8))
      } else {
        b.insert(contentsOf: Array(Mutator.interestingText[below(Mutator.interestingText.count)].utf8), at: pos)
      }
    case 9: if !dictionary.isEmpty { b.insert(contentsOf: dictionary[below(dictionary.count)], at: pos) }
    default: // repeat a range many times (size blow-ups, deep nesting)
      if !b.isEmpty {
        let s = below(b.count); let n = min(1 + below(8), b.count - s)
        let chunk = Array(b[s..<s + n])
        b.insert(contentsOf: Array([[UInt8]](repeating: chunk, count: 2 + below(200)).joined()), at: pos)
      }
    }
    return b
  }
}
