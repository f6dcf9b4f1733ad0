import CImage
import CZlib
import Foundation

/// Image files for the ImageFolder tests. `handPNG` is encoded here from the PNG spec
/// (chunks, CRC-32 and zlib through CZlib), independent of libpng, so a decoder that
/// misreads PNG cannot agree with a matching encoder bug; `libPNG` and `libJPEG` go through
/// the CImage shim's encoders.
enum ImageFiles {
  /// HWC pixels: value of channel c at (y, x) for image number `k`.
  static func pattern(_ k: Int, h: Int, w: Int, channels: Int) -> [UInt8] {
    var out: [UInt8] = []
    for y in 0 ..< h { for x in 0 ..< w { for c in 0 ..< channels { out.append(UInt8((k * 40 + y * 17 + x * 5 + c * 90) % 256)) } } }
    return out
  }

  /// An 8-bit PNG (colour type 0 grey or 2 RGB), no filtering; `declared` overrides the IHDR size.
  static func handPNG(_ pixels: [UInt8], h: Int, w: Int, channels: Int, declared: (h: Int, w: Int)? = nil) -> [UInt8] {
    let (dh, dw) = declared ?? (h, w)
    return rawPNG(pixels, rowBytes: w * channels, h: h, declaredW: dw, declaredH: dh, colourType: channels == 1 ? 0 : 2, bitDepth: 8)
  }

  /// A PNG of any colour type and bit depth from its unfiltered scanline bytes (`rowBytes`
  /// per row), with `plte` as the palette for colour type 3.
  static func rawPNG(_ bytes: [UInt8], rowBytes: Int, h: Int, declaredW: Int, declaredH: Int, colourType: UInt8, bitDepth: UInt8,
                     plte: [UInt8]? = nil) -> [UInt8] {
    var raw: [UInt8] = []
    for y in 0 ..< h {
      raw.append(0)
      raw += bytes[y * rowBytes ..< (y + 1) * rowBytes]
    }
    var packed = [UInt8](repeating: 0, count: Int(compressBound(uLong(raw.count))))
    var n = uLongf(packed.count)
    precondition(compress2(&packed, &n, raw, uLong(raw.count), 6) == Z_OK)
    let ihdr = be32(declaredW) + be32(declaredH) + [bitDepth, colourType, 0, 0, 0]
    return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + (plte.map { chunk("PLTE", $0) } ?? [])
      + chunk("IDAT", Array(packed[..<Int(n)])) + chunk("IEND", [])
  }

  static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 255), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }

  static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let body = Array(type.utf8) + data
    return be32(data.count) + body + be32(Int(crc32(0, body, uInt(body.count))))
  }

  static func libPNG(_ pixels: [UInt8], h: Int, w: Int, channels: Int) -> [UInt8] {
    encoded { lyra_png_encode(pixels, Int32(w), Int32(h), Int32(channels), &$0, &$1, $2) }
  }

  static func libJPEG(_ pixels: [UInt8], h: Int, w: Int, channels: Int, quality: Int = 95) -> [UInt8] {
    encoded { lyra_jpeg_encode(pixels, Int32(w), Int32(h), Int32(channels), Int32(quality), &$0, &$1, $2) }
  }

  static func encoded(_ body: (inout UnsafeMutablePointer<UInt8>?, inout Int, UnsafeMutablePointer<CChar>) -> Int32) -> [UInt8] {
    var out: UnsafeMutablePointer<UInt8>?
    var size = 0
    var message = [CChar](repeating: 0, count: 200)
    let rc = message.withUnsafeMutableBufferPointer { body(&out, &size, $0.baseAddress!) }
    precondition(rc == 0, "encoder failed: \(String(cString: message))")
    defer { lyra_bytes_free(out) }
    return Array(UnsafeBufferPointer(start: out, count: size))
  }

  /// `jpeg` with its SOF0 frame header declaring `h` × `w` pixels.
  static func withJPEGSize(_ jpeg: [UInt8], h: Int, w: Int) -> [UInt8] {
    var out = jpeg
    var i = 2
    while i + 9 < out.count {
      precondition(out[i] == 0xFF, "not at a JPEG marker")
      let marker = out[i + 1], length = Int(out[i + 2]) << 8 | Int(out[i + 3])
      if marker == 0xC0 {
        out[i + 5] = UInt8(h >> 8); out[i + 6] = UInt8(h & 255)
        out[i + 7] = UInt8(w >> 8); out[i + 8] = UInt8(w & 255)
        return out
      }
      i += 2 + length
    }
    preconditionFailure("no SOF0 marker")
  }
}
