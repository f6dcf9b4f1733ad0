/// Standard base64 (RFC 4648, with padding) for data URIs.
enum Base64 {
  static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func encode(_ d: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity((d.count + 2) / 3 * 4)
    var i = 0
    while i < d.count {
      let b0 = UInt32(d[i]), b1 = i + 1 < d.count ? UInt32(d[i + 1]) : 0, b2 = i + 2 < d.count ? UInt32(d[i + 2]) : 0
      let v = (b0 << 16) | (b1 << 8) | b2
      out.append(alphabet[Int((v >> 18) & 63)])
      out.append(alphabet[Int((v >> 12) & 63)])
      out.append(i + 1 < d.count ? alphabet[Int((v >> 6) & 63)] : UInt8(ascii: "="))
      out.append(i + 2 < d.count ? alphabet[Int(v & 63)] : UInt8(ascii: "="))
      i += 3
    }
    return String(decoding: out, as: UTF8.self)
  }
}
