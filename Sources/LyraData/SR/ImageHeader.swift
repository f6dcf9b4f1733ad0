/// What a PNG or JPEG file says about itself before decoding: size, bits per sample and
/// colour channels. Super-resolution sets check these first, because the decoder converts
/// silently (16-bit to 8-bit, grey to RGB by repetition), and a set mixing them would be
/// measured wrongly rather than fail.
public struct ImageHeader: Equatable {
  public var width: Int
  public var height: Int
  public var bitDepth: Int
  /// 1 grey, 2 grey + alpha, 3 colour, 4 colour + alpha (PNG palettes count as colour).
  public var channels: Int

  public init(width: Int, height: Int, bitDepth: Int, channels: Int) {
    self.width = width
    self.height = height
    self.bitDepth = bitDepth
    self.channels = channels
  }

  /// The header of a PNG (IHDR) or JPEG (first SOF marker) file's bytes.
  public static func read(_ b: [UInt8], file: String) throws -> ImageHeader {
    if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
      guard b.count >= 26, b[12..<16].elementsEqual(Array("IHDR".utf8)) else {
        throw DataError(file: file, "PNG: truncated before the IHDR header")
      }
      func be32(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
      let kinds: [UInt8: Int] = [0: 1, 2: 3, 3: 3, 4: 2, 6: 4]
      guard let ch = kinds[b[25]] else { throw DataError(file: file, "PNG: unknown colour type \(b[25])") }
      return ImageHeader(width: be32(16), height: be32(20), bitDepth: Int(b[24]), channels: ch)
    }
    guard b.starts(with: [0xFF, 0xD8]) else { throw DataError(file: file, "not a PNG or JPEG image") }
    var i = 2
    while i + 4 <= b.count {
      guard b[i] == 0xFF else { throw DataError(file: file, "JPEG: corrupt marker at byte \(i)") }
      let m = b[i + 1]
      if m == 0xFF { i += 1; continue }
      if m == 0xD8 || m == 0x01 || (0xD0...0xD7).contains(m) { i += 2; continue }
      let len = Int(b[i + 2]) << 8 | Int(b[i + 3])
      let isSOF = (0xC0...0xCF).contains(m) && m != 0xC4 && m != 0xC8 && m != 0xCC
      if isSOF {
        guard i + 10 <= b.count else { break }
        return ImageHeader(width: Int(b[i + 7]) << 8 | Int(b[i + 8]), height: Int(b[i + 5]) << 8 | Int(b[i + 6]),
                           bitDepth: Int(b[i + 4]), channels: Int(b[i + 9]))
      }
      i += 2 + len
    }
    throw DataError(file: file, "JPEG: truncated before the frame header (no SOF marker)")
  }
}
