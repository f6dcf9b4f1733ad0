import LyraBase

/// A transform that may change a sample's shape, and says to what, so the model can be
/// built for the images it will see before any is read (`DatasetSection.sampleShape`).
public protocol ShapeTransform: Transform {
  /// The shape of a sample of `shape` after this transform.
  func outputShape(_ shape: [Int]) -> [Int]
}

/// A target size as torchvision writes it: `N` (the shorter side becomes N, the aspect
/// ratio kept) or `[h, w]`.
public enum ImageSize: Equatable {
  case shorterSide(Int)
  case exact(height: Int, width: Int)

  /// (height, width) for an image of `h`×`w`.
  public func resolve(height h: Int, width w: Int) -> (Int, Int) {
    switch self {
    case .exact(let a, let b): return (a, b)
    case .shorterSide(let n):
      if h <= w { return (n, max(1, Int((Double(w) * Double(n) / Double(h)).rounded(.down)))) }
      return (max(1, Int((Double(h) * Double(n) / Double(w)).rounded(.down))), n)
    }
  }
}

/// The [C, H, W] reading of a sample (a [F] row is one channel of one row).
private func planes(_ shape: [Int]) -> (c: Int, h: Int, w: Int) {
  switch shape.count {
  case 3: return (shape[0], shape[1], shape[2])
  case 2: return (1, shape[0], shape[1])
  default: return (1, 1, shape.last ?? 1)
  }
}

/// torchvision's `Resize` (bilinear, half-pixel centres, no antialiasing: PyTorch's
/// `interpolate(mode='bilinear', align_corners=False)`). Bilinear weights sum to one, so
/// resizing commutes with the per-channel normalisation and may run after it.
public struct Resize: ShapeTransform {
  public let size: ImageSize
  public init(_ size: ImageSize) { self.size = size }

  public func outputShape(_ shape: [Int]) -> [Int] {
    let p = planes(shape)
    let (h, w) = size.resolve(height: p.h, width: p.w)
    return [p.c, h, w]
  }

  public func apply(_ sample: inout Sample, generator: Generator) {
    let p = planes(sample.shape)
    let (oh, ow) = size.resolve(height: p.h, width: p.w)
    if oh == p.h && ow == p.w { return }
    let (ys, xs) = (Resize.taps(from: p.h, to: oh), Resize.taps(from: p.w, to: ow))
    var out = [Float](repeating: 0, count: p.c * oh * ow)
    sample.features.withUnsafeBufferPointer { src in
      for c in 0 ..< p.c {
        let plane = c * p.h * p.w
        for (y, ty) in ys.enumerated() {
          let r0 = plane + ty.i0 * p.w, r1 = plane + ty.i1 * p.w
          for (x, tx) in xs.enumerated() {
            let top = src[r0 + tx.i0] * (1 - tx.f) + src[r0 + tx.i1] * tx.f
            let bottom = src[r1 + tx.i0] * (1 - tx.f) + src[r1 + tx.i1] * tx.f
            out[(c * oh + y) * ow + x] = top * (1 - ty.f) + bottom * ty.f
          }
        }
      }
    }
    sample = Sample(features: out, shape: [p.c, oh, ow], label: sample.label)
  }

  /// For each output index: the two source indices and the weight of the second.
  static func taps(from n: Int, to m: Int) -> [(i0: Int, i1: Int, f: Float)] {
    let scale = Double(n) / Double(m)
    return (0 ..< m).map { o in
      let s = max(0, (Double(o) + 0.5) * scale - 0.5)
      let i0 = min(Int(s), n - 1)
      let i1 = min(i0 + 1, n - 1)
      return (i0, i1, Float(s - Double(i0)))
    }
  }
}

/// A `height`×`width` window of the image, padded with zeros first by `padding` on every
/// side (and as far as needed when the window is larger): torchvision's `CenterCrop`
/// (`random` false) and `RandomCrop` (`random` true, the window's corner uniform).
public struct Crop2D: ShapeTransform {
  public let height: Int, width: Int, padding: Int, random: Bool
  public init(height: Int, width: Int, padding: Int = 0, random: Bool) {
    (self.height, self.width, self.padding, self.random) = (height, width, padding, random)
  }

  public func outputShape(_ shape: [Int]) -> [Int] { [planes(shape).c, height, width] }

  public func apply(_ sample: inout Sample, generator: Generator) {
    let p = planes(sample.shape)
    let ph = max(p.h + 2 * padding, height), pw = max(p.w + 2 * padding, width)
    // Top-left of the window in the padded image, then in the original's coordinates.
    let oy = random ? generator.int(below: ph - height + 1) : (ph - height) / 2
    let ox = random ? generator.int(below: pw - width + 1) : (pw - width) / 2
    let top = oy - (ph - p.h) / 2, left = ox - (pw - p.w) / 2
    var out = [Float](repeating: 0, count: p.c * height * width)
    for c in 0 ..< p.c {
      for y in 0 ..< height {
        let sy = top + y
        guard sy >= 0 && sy < p.h else { continue }
        for x in 0 ..< width {
          let sx = left + x
          if sx >= 0 && sx < p.w { out[(c * height + y) * width + x] = sample.features[(c * p.h + sy) * p.w + sx] }
        }
      }
    }
    sample = Sample(features: out, shape: [p.c, height, width], label: sample.label)
  }
}
