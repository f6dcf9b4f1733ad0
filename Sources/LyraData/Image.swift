/// An image for augmentation: `Float` values on the [0, 255] scale in CHW order with 1
/// (grey) or 3 (RGB) channels.
///
/// Why Float CHW: samples are already CHW floats, so augmenting inside the loader needs no
/// layout change, and geometric ops can use fractional intermediate values; ops that are
/// defined on 8-bit values (Posterize, Solarize, Equalize) round to integers first.
public struct Image: Equatable {
  public var channels: Int
  public var height: Int
  public var width: Int
  /// channels × height × width values, channel planes one after another.
  public var pixels: [Float]

  public init(channels: Int, height: Int, width: Int, pixels: [Float]) {
    precondition(pixels.count == channels * height * width,
                 "Image: \(channels)×\(height)×\(width) needs \(channels * height * width) values, got \(pixels.count)")
    self.channels = channels
    self.height = height
    self.width = width
    self.pixels = pixels
  }

  /// A constant image.
  public init(channels: Int, height: Int, width: Int, fill: Float = 0) {
    self.init(channels: channels, height: height, width: width,
              pixels: [Float](repeating: fill, count: channels * height * width))
  }

  /// The image held by a CHW sample.
  public init(_ sample: Sample) {
    precondition(sample.shape.count == 3, "Image: sample shape \(sample.shape) is not [C, H, W]")
    self.init(channels: sample.shape[0], height: sample.shape[1], width: sample.shape[2], pixels: sample.features)
  }

  /// [C, H, W].
  public var shape: [Int] { [channels, height, width] }

  @inline(__always)
  public subscript(c: Int, y: Int, x: Int) -> Float {
    get { pixels[(c * height + y) * width + x] }
    set { pixels[(c * height + y) * width + x] = newValue }
  }
}
