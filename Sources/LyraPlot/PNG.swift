/// A minimal PNG encoder for image grids: 8-bit grayscale or RGB, no filtering, and a
/// zlib stream made of *stored* (uncompressed) deflate blocks.
///
/// Why PNG rather than one SVG `<rect>` per pixel: a 28×28 digit is 784 rects (~40 KB of
/// markup) but a ~1 KB PNG; a grid of 64 images stays small enough to inline in a report.
/// Why stored blocks: they need no compressor (LyraPlot has no dependencies, not even
/// zlib), the bytes are fully determined by the pixels, and images are small anyway.
enum PNG {
  static func encode(width: Int, height: Int, channels: Int, samples: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    var ihdr: [UInt8] = []
    ihdr += be32(UInt32(width)) + be32(UInt32(height))
    ihdr += [8, channels == 3 ? 2 : 0, 0, 0, 0] // depth 8, colour type gray/RGB, deflate, filter 0, no interlace
    chunk("IHDR", ihdr, into: &out)
    // Raw scanlines: a filter byte 0 (None) before each row.
    let rowBytes = width * channels
    var raw: [UInt8] = []
    raw.reserveCapacity((rowBytes + 1) * height)
    for r in 0..<height {
      raw.append(0)
      raw += samples[(r * rowBytes)..<((r + 1) * rowBytes)]
    }
    chunk("IDAT", zlibStored(raw), into: &out)
    chunk("IEND", [], into: &out)
    return out
  }

  /// zlib header (deflate, 32K window, no dictionary), stored blocks of ≤ 65535 bytes, Adler-32.
  static func zlibStored(_ data: [UInt8]) -> [UInt8] {
    var z: [UInt8] = [0x78, 0x01]
    var i = 0
    repeat {
      let n = min(65535, data.count - i)
      let final: UInt8 = i + n >= data.count ? 1 : 0
      z.append(final) // BFINAL bit, BTYPE = 00 (stored)
      z += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
      z += data[i..<(i + n)]
      i += n
    } while i < data.count
    return z + be32(adler32(data))
  }

  static func chunk(_ type: String, _ body: [UInt8], into out: inout [UInt8]) {
    let t = Array(type.utf8)
    out += be32(UInt32(body.count))
    out += t + body
    out += be32(crc32(t + body))
  }

  static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

  static func adler32(_ d: [UInt8]) -> UInt32 {
    var a: UInt32 = 1, b: UInt32 = 0
    for x in d {
      a = (a + UInt32(x)) % 65521
      b = (b + a) % 65521
    }
    return (b << 16) | a
  }

  static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  static func crc32(_ d: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for x in d { c = crcTable[Int((c ^ UInt32(x)) & 0xFF)] ^ (c >> 8) }
    return c ^ 0xFFFF_FFFF
  }
}
