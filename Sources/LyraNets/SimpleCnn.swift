import LyraBase
import LyraNN

/// A plain convolutional network: `blocks` stages of conv3×3-BN-ReLU-maxpool with the
/// channel count doubling from `channels`, then a hidden linear layer and the classifier.
/// With `blocks: 2, channels: 32, hidden: 128` it is the reference CNN of
/// docs/architecture.md#reference-models-and-benchmark-problems, so `width` (a channel multiplier) is a natural search dimension.
public enum SimpleCnn {
  static func build(_ r: DescriptionReader) throws -> Module {
    let inC = try r.int("in_channels", 1, min: 1), size = try r.int("image_size", 28, min: 4)
    let blocks = try r.int("blocks", 2, min: 1), hidden = try r.int("hidden", 128, min: 1)
    let base = try r.int("channels", 32, min: 1)
    let width = try r.double("width", 1, range: 0.0625...16)
    let classes = try r.int("num_class", 10, min: 1)
    var layers: [Module] = []
    var c = inC, s = size
    _ = try r.bool("fp16", false) // VEGA's SimpleCnn takes it (half precision on GPUs); no effect on the CPU
    for b in 0..<blocks {
      let out = max(1, Int((Double(base << b) * width).rounded()))
      guard s >= 2 else { throw DescriptionError("\(r.path).blocks: \(blocks) pooling stages do not fit a \(size)x\(size) image") }
      try r.checkParameters([out, c, 3, 3], "block \(b + 1)'s convolution weight (channels × width)")
      layers += [Conv2d(c, out, 3, padding: 1, bias: false), BatchNorm2d(out), ReLU(), MaxPool2d(2)]
      c = out
      s /= 2
    }
    try r.checkParameters([hidden, c, s, s], "hidden layer weight [hidden, channels × (image_size / 2^blocks)²]")
    try r.checkParameters([classes, hidden], "classifier weight [num_class, hidden]")
    layers += [Flatten(), Linear(c * s * s, hidden), ReLU(), Linear(hidden, classes)]
    return Sequential(layers)
  }

  /// The reference CNN exactly (docs/architecture.md#reference-models-and-benchmark-problems), optionally widened.
  static func buildReference(_ r: DescriptionReader) throws -> Module {
    let width = try r.double("width", 1, range: 0.0625...16)
    let classes = try r.int("num_class", 10, min: 1)
    let reader = DescriptionReader(["channels": JSON(32), "width": .number(width), "num_class": JSON(classes)], path: r.path)
    return try build(reader)
  }
}
