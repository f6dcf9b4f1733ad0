import CImage
import Foundation
import LyraBase

/// A decoded 8-bit image in HWC order (what libpng and libjpeg produce).
public struct DecodedImage: Equatable {
  public var width: Int
  public var height: Int
  public var channels: Int
  /// height × width × channels bytes, row after row, channels interleaved.
  public var pixels: [UInt8]

  public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
    precondition(pixels.count == width * height * channels, "DecodedImage: \(height)×\(width)×\(channels) needs \(width * height * channels) bytes, got \(pixels.count)")
    self.width = width
    self.height = height
    self.channels = channels
    self.pixels = pixels
  }

  /// The pixels in CHW order, resized to `height` × `width` with nearest-neighbour sampling
  /// (PyTorch's `F.interpolate(mode='nearest')`: source index floor(dst · in/out), so an
  /// integer upscale repeats pixels and an unchanged size copies exactly), appended to `out`.
  public func appendCHW(to out: inout [UInt8], height outH: Int, width outW: Int) {
    let rows = (0 ..< outH).map { min(Int(Double($0) * Double(height) / Double(outH)), height - 1) }
    let cols = (0 ..< outW).map { min(Int(Double($0) * Double(width) / Double(outW)), width - 1) }
    out.reserveCapacity(out.count + channels * outH * outW)
    for c in 0 ..< channels {
      for y in rows {
        let row = y * width
        for x in cols { out.append(pixels[(row + x) * channels + c]) }
      }
    }
  }
}

/// PNG and JPEG decoding through libpng and libjpeg-turbo (Sources/CImage).
///
/// The format is chosen by the magic bytes, not the file name, so a JPEG saved as `.png`
/// still loads. All of the libraries' error handling (longjmp) stays in the C shim; here
/// every failure is a `DataError` naming the file.
public enum ImageDecoder {
  /// The most bytes one decoded image may take: 1 GiB (e.g. 18,000 × 18,000 RGB), or the
  /// tensor cap if that is lower. Why a fixed bound below the tensor cap: a 200-byte file can
  /// declare 65,535 × 65,535 pixels (12 GiB), and such a header must be refused before
  /// anything is allocated; no real dataset image comes near 1 GiB.
  public static var maxImageBytes: Int { min(1 << 30, CheckedSize.maxTensorBytes) }

  /// Decodes a PNG or JPEG file's bytes to `channels` (1 grey, 3 RGB) 8-bit channels.
  /// Alpha is composited onto black; grey becomes RGB by repetition and RGB grey by luminance.
  public static func decode(_ bytes: [UInt8], file: String, channels: Int, maxBytes: Int = maxImageBytes) throws -> DecodedImage {
    precondition(channels == 1 || channels == 3, "ImageDecoder: channels must be 1 or 3")
    let isPNG = bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    let isJPEG = bytes.starts(with: [0xFF, 0xD8, 0xFF])
    guard isPNG || isJPEG else {
      let head = bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: " ")
      throw DataError(file: file, "not a PNG or JPEG image (the file starts with \(bytes.isEmpty ? "nothing: it is empty" : head))")
    }
    var image = lyra_image()
    let status = bytes.withUnsafeBufferPointer { buf in
      isPNG ? lyra_png_decode(buf.baseAddress, buf.count, Int32(channels), maxBytes, &image)
            : lyra_jpeg_decode(buf.baseAddress, buf.count, Int32(channels), maxBytes, &image)
    }
    guard status == 0, let pixels = image.pixels else {
      let message = withUnsafeBytes(of: image.message) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
      throw DataError(file: file, "\(isPNG ? "PNG" : "JPEG"): \(message)")
    }
    defer { lyra_image_free(&image) }
    let (w, h) = (Int(image.width), Int(image.height))
    return DecodedImage(width: w, height: h, channels: channels,
                        pixels: Array(UnsafeBufferPointer(start: pixels, count: w * h * channels)))
  }

  /// Reads and decodes the image file at `path`.
  /// Files larger than `maxImageBytes` are refused before they are read.
  public static func read(_ path: String, channels: Int) throws -> DecodedImage {
    if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maxImageBytes {
      throw DataError(file: path, "the file is \(size) bytes, more than the \(maxImageBytes)-byte limit for one image")
    }
    return try decode(try FileBytes.readRaw(path), file: path, channels: channels)
  }
}
