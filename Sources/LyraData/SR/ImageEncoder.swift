import CImage

/// PNG encoding of a Float CHW image (0…255, rounded and clipped) through libpng, for
/// `lyra sr` and `m:upscale` results.
public enum ImageEncoder {
  public static func png(_ image: Image, file: String) throws -> [UInt8] {
    guard image.channels == 1 || image.channels == 3 else { throw DataError(file: file, "PNG: \(image.channels) channels (1 or 3 can be written)") }
    let n = image.height * image.width
    var hwc = [UInt8](repeating: 0, count: n * image.channels)
    for c in 0..<image.channels {
      for i in 0..<n { hwc[i * image.channels + c] = UInt8(min(max(image.pixels[c * n + i].rounded(), 0), 255)) }
    }
    var out: UnsafeMutablePointer<UInt8>?
    var size = 0
    var message = [CChar](repeating: 0, count: 200)
    let rc = lyra_png_encode(hwc, Int32(image.width), Int32(image.height), Int32(image.channels), &out, &size, &message)
    guard rc == 0, let out else {
      throw DataError(file: file, "PNG: " + String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    defer { lyra_bytes_free(out) }
    return Array(UnsafeBufferPointer(start: out, count: size))
  }
}
