/// Images held as `UInt8` in CHW order with their labels, converted to `Float` (and
/// normalised, if `normalization` is set) when an item is read.
///
/// Why bytes: 60,000 Fashion-MNIST images take 47 MB as bytes and 188 MB as floats; the
/// conversion is one table lookup per pixel, cheap next to a training step.
public struct ImageDataset: Dataset {
  /// All pixels, image after image, each image CHW.
  public let pixels: [UInt8]
  public let labels: [Int32]
  /// [C, H, W] of one image.
  public let imageShape: [Int]
  /// Class names, index = label.
  public let classes: [String]
  /// Applied when items are read; nil gives raw pixel values in [0, 255] (what the
  /// augmentation ops take; normalise afterwards with the `Normalize` transform).
  public var normalization: Normalization? {
    didSet { tables = normalization.map { $0.lookupTables(channels: imageShape[0]) } ?? ImageDataset.identityTables(imageShape[0]) }
  }
  private var tables: [[Float]]
  private let stride: Int

  public init(pixels: [UInt8], labels: [Int32], imageShape: [Int], classes: [String] = [], normalization: Normalization? = nil) {
    precondition(imageShape.count == 3, "ImageDataset: imageShape must be [C, H, W], got \(imageShape)")
    let stride = imageShape.reduce(1, *)
    precondition(pixels.count == stride * labels.count, "ImageDataset: \(labels.count) images of \(imageShape) need \(stride * labels.count) bytes, got \(pixels.count)")
    if let n = normalization {
      precondition(n.mean.count == 1 || n.mean.count == imageShape[0], "ImageDataset: normalization has \(n.mean.count) channels, images have \(imageShape[0])")
    }
    self.pixels = pixels
    self.labels = labels
    self.imageShape = imageShape
    self.classes = classes
    self.normalization = normalization
    self.stride = stride
    self.tables = normalization.map { $0.lookupTables(channels: imageShape[0]) } ?? ImageDataset.identityTables(imageShape[0])
  }

  public var count: Int { labels.count }

  public func item(at index: Int) -> Sample {
    let plane = imageShape[1] * imageShape[2]
    var out = [Float](repeating: 0, count: stride)
    pixels.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        let base = index * stride
        for c in 0 ..< imageShape[0] {
          tables[c].withUnsafeBufferPointer { lut in
            for i in c * plane ..< (c + 1) * plane { dst[i] = lut[Int(src[base + i])] }
          }
        }
      }
    }
    return Sample(features: out, shape: imageShape, label: labels[index])
  }

  /// The raw image at `index` with values in [0, 255], for augmentation and display.
  public func image(at index: Int) -> Image {
    Image(channels: imageShape[0], height: imageShape[1], width: imageShape[2],
          pixels: pixels[index * stride ..< (index + 1) * stride].map { Float($0) })
  }

  private static func identityTables(_ channels: Int) -> [[Float]] {
    Array(repeating: (0 ..< 256).map { Float($0) }, count: channels)
  }
}
