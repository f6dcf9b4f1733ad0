/// A low-resolution image and its high-resolution original, `scale` times larger, both
/// Float CHW on the 0…255 scale, and the way such a pair travels as one `Sample`.
///
/// Why a packed sample: the loader, its prefetching and its seeded per-epoch randomness
/// all move `Sample`s, which carry one feature array. A pair is stored as one
/// [C·(1 + s²), h, w] tensor: channels 0..<C are the LR image, the rest the HR image in
/// space-to-depth order (HR[c, y·s+i, x·s+j] at channel C + c·s² + i·s + j, position
/// (y, x)), the inverse of `pixelShuffle`. A crop or flip of the pair unpacks, works on
/// both images, and packs again; `SRBatch` unpacks a batch into input and target.
public struct SRPair: Equatable {
  public var lr: Image
  public var hr: Image
  public let scale: Int

  /// Fails (precondition) unless hr is exactly `scale` times lr: callers check sizes first.
  public init(lr: Image, hr: Image, scale: Int) {
    precondition(hr.height == lr.height * scale && hr.width == lr.width * scale && hr.channels == lr.channels,
                 "SRPair: HR \(hr.shape) is not \(scale)x LR \(lr.shape)")
    self.lr = lr
    self.hr = hr
    self.scale = scale
  }

  /// The packed sample's shape for LR images of `channels` × `height` × `width`.
  public static func packedShape(channels: Int, height: Int, width: Int, scale: Int) -> [Int] {
    [channels * (1 + scale * scale), height, width]
  }

  /// The pair as one sample (label 0).
  public func packed() -> Sample {
    let (c, h, w, s) = (lr.channels, lr.height, lr.width, scale)
    var f = lr.pixels
    f.reserveCapacity(c * h * w * (1 + s * s))
    for ch in 0..<c {
      for i in 0..<s {
        for j in 0..<s {
          for y in 0..<h {
            let row = (ch * hr.height + y * s + i) * hr.width + j
            for x in 0..<w { f.append(hr.pixels[row + x * s]) }
          }
        }
      }
    }
    return Sample(features: f, shape: SRPair.packedShape(channels: c, height: h, width: w, scale: s), label: 0)
  }

  /// The pair packed in `sample` of a set with `channels` image channels.
  public init(packed sample: Sample, channels c: Int) {
    let (h, w) = (sample.shape[1], sample.shape[2])
    let s = Int(Double(sample.shape[0] / c - 1).squareRoot().rounded())
    precondition(sample.shape[0] == c * (1 + s * s), "SRPair: \(sample.shape) is not a packed pair of \(c) channels")
    let lr = Image(channels: c, height: h, width: w, pixels: Array(sample.features[0..<(c * h * w)]))
    var hr = Image(channels: c, height: h * s, width: w * s)
    SRPair.unpackHR(sample.features, offset: c * h * w, into: &hr.pixels, channels: c, height: h, width: w, scale: s)
    self.init(lr: lr, hr: hr, scale: s)
  }

  /// Space-to-depth planes at `offset` of `src` written as an HR CHW image into `dst`.
  public static func unpackHR(_ src: [Float], offset: Int, into dst: inout [Float], channels c: Int, height h: Int, width w: Int, scale s: Int) {
    let (hh, ww) = (h * s, w * s)
    var k = offset
    for ch in 0..<c {
      for i in 0..<s {
        for j in 0..<s {
          for y in 0..<h {
            let row = (ch * hh + y * s + i) * ww + j
            for x in 0..<w { dst[row + x * s] = src[k]; k += 1 }
          }
        }
      }
    }
  }

  /// The aligned crop: LR rows y..<y+h, columns x..<x+w, and the HR region they came from.
  public func cropped(y: Int, x: Int, height: Int, width: Int) -> SRPair {
    SRPair(lr: SRPair.crop(lr, y, x, height, width),
           hr: SRPair.crop(hr, y * scale, x * scale, height * scale, width * scale), scale: scale)
  }

  /// Both images mirrored left-right, top-bottom, and/or transposed (with the two flips,
  /// transposing gives all 8 rotations and reflections, as EDSR's augmentation).
  public func transformed(hflip: Bool, vflip: Bool, transpose: Bool) -> SRPair {
    SRPair(lr: SRPair.orient(lr, hflip, vflip, transpose), hr: SRPair.orient(hr, hflip, vflip, transpose), scale: scale)
  }

  public static func crop(_ im: Image, _ y0: Int, _ x0: Int, _ h: Int, _ w: Int) -> Image {
    var out = Image(channels: im.channels, height: h, width: w)
    for c in 0..<im.channels {
      for y in 0..<h {
        let src = (c * im.height + y0 + y) * im.width + x0, dst = (c * h + y) * w
        for x in 0..<w { out.pixels[dst + x] = im.pixels[src + x] }
      }
    }
    return out
  }

  static func orient(_ im: Image, _ hflip: Bool, _ vflip: Bool, _ transpose: Bool) -> Image {
    let (h, w) = (im.height, im.width)
    let (oh, ow) = transpose ? (w, h) : (h, w)
    var out = Image(channels: im.channels, height: oh, width: ow)
    for c in 0..<im.channels {
      for y in 0..<oh {
        for x in 0..<ow {
          var (sy, sx) = transpose ? (x, y) : (y, x)
          if vflip { sy = h - 1 - sy }
          if hflip { sx = w - 1 - sx }
          out.pixels[(c * oh + y) * ow + x] = im.pixels[(c * h + sy) * w + sx]
        }
      }
    }
    return out
  }
}
