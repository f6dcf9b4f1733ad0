import LyraBase

/// The training augmentation of super-resolution sets (VEGA's DIV2K `crop`, `hflip`,
/// `vflip`, `rot90`): a random LR patch of `lrSize` × `lrSize` and the HR patch aligned
/// with it, then random flips and a random transpose, each with probability 1/2.
/// Works on packed pairs (`SRPair`), so it runs in the loader like any other transform.
public struct SRPairCrop: Transform {
  public let channels: Int
  /// LR patch side (VEGA's `crop` is the HR side; this is crop / scale).
  public let lrSize: Int?
  public let hflip: Bool
  public let vflip: Bool
  public let rot90: Bool

  public init(channels: Int, lrSize: Int?, hflip: Bool, vflip: Bool, rot90: Bool) {
    self.channels = channels
    self.lrSize = lrSize
    self.hflip = hflip
    self.vflip = vflip
    self.rot90 = rot90
  }

  public func apply(_ sample: inout Sample, generator: Generator) {
    var pair = SRPair(packed: sample, channels: channels)
    if let n = lrSize, n <= pair.lr.height, n <= pair.lr.width {
      let y = generator.int(in: 0...(pair.lr.height - n)), x = generator.int(in: 0...(pair.lr.width - n))
      pair = pair.cropped(y: y, x: x, height: n, width: n)
    }
    let h = hflip && generator.bernoulli(0.5), v = vflip && generator.bernoulli(0.5), t = rot90 && generator.bernoulli(0.5)
    if h || v || t { pair = pair.transformed(hflip: h, vflip: v, transpose: t) }
    sample = pair.packed()
  }
}
