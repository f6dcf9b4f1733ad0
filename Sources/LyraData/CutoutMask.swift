import LyraBase

/// VEGA's `Cutout(length)` transform (`vega/datasets/transforms/Cutout.py`; DeVries & Taylor
/// 2017), which `cutout_length` in a dataset section asks for: a square centred on a
/// uniformly drawn pixel, rows and columns [centre − length/2, centre + length/2) clipped
/// to the image, set to 0 in every channel.
///
/// Why a separate transform from the augmentation op `Cutout`: that one works on [0, 255]
/// pixels at a magnitude (PBA's scale) and fills grey; VEGA's runs after normalisation,
/// where 0 is the channel mean, and takes its side in pixels. Samples that are not
/// [C, H, W] images are left unchanged.
public struct CutoutMask: Transform {
  public let length: Int
  public init(length: Int) { self.length = max(length, 0) }

  public func apply(_ sample: inout Sample, generator: Generator) {
    guard sample.shape.count == 3, length > 0 else { return }
    let (c, h, w) = (sample.shape[0], sample.shape[1], sample.shape[2])
    guard h > 0, w > 0 else { return }
    let y = generator.int(below: h), x = generator.int(below: w)
    let y0 = max(y - length / 2, 0), y1 = min(y + length / 2, h)
    let x0 = max(x - length / 2, 0), x1 = min(x + length / 2, w)
    guard y0 < y1, x0 < x1 else { return }
    for ch in 0..<c {
      for row in y0..<y1 {
        let base = (ch * h + row) * w
        for col in x0..<x1 { sample.features[base + col] = 0 }
      }
    }
  }
}
