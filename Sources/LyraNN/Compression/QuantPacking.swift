import Foundation

/// How quantised weights lie in a safetensors file: 8-bit (and 3, 5, 6, 7-bit) integers
/// as `I8` with the weight's shape; 4-bit and 2-bit integers packed two or four to a byte
/// as `U8` of shape [bytes], two's complement, the first value in the lowest bits (the
/// common int4 layout), the last byte zero-padded.
enum QuantPacking {
  static func packed(_ bits: Int) -> Bool { bits == 2 || bits == 4 }

  static func entry(_ ints: [Int8], bits: Int, shape: [Int]) -> SafeTensors.Entry {
    guard packed(bits) else {
      return SafeTensors.Entry(dtype: .i8, shape: shape, data: Data(ints.map { UInt8(bitPattern: $0) }))
    }
    let per = 8 / bits, mask = (1 << bits) - 1
    var bytes = [UInt8](repeating: 0, count: (ints.count + per - 1) / per)
    for (i, q) in ints.enumerated() { bytes[i / per] |= UInt8((Int(q) & mask) << ((i % per) * bits)) }
    return SafeTensors.Entry(dtype: .u8, shape: [bytes.count], data: Data(bytes))
  }

  /// The `count` integers of `bits` bits in `e`, each checked to lie in −qmax…qmax.
  static func ints(_ e: SafeTensors.Entry, bits: Int, shape: [Int], name: String) throws -> [Int8] {
    let count = shape.reduce(1, *), qm = QuantScheme.qmax(bits)
    var out: [Int8]
    if packed(bits) {
      let per = 8 / bits, mask = (1 << bits) - 1
      let bytes = (count + per - 1) / per
      guard e.dtype == .u8, e.shape == [bytes] else {
        throw CompressionError("\(name): expected \(bits)-bit integers packed as U8 [\(bytes)], found \(e.dtype.rawValue) \(e.shape)")
      }
      let raw = [UInt8](e.data)
      out = (0..<count).map { i in
        var v = (Int(raw[i / per]) >> ((i % per) * bits)) & mask
        if v > mask >> 1 { v -= mask + 1 }
        return Int8(v)
      }
    } else {
      guard e.dtype == .i8, e.shape == shape else {
        throw CompressionError("\(name): expected \(bits)-bit integers as I8 \(shape), found \(e.dtype.rawValue) \(e.shape)")
      }
      out = e.data.map { Int8(bitPattern: $0) }
    }
    if let bad = out.first(where: { Int($0) < -qm || Int($0) > qm }) {
      throw CompressionError("\(name): integer \(bad) is outside the \(bits)-bit range ±\(qm)")
    }
    return out
  }
}
