import LyraBase
import LyraNN

/// VEGA's `SimpleCnnMFKD` (`vega/algorithms/nas/mfkd/simple_cnn.py`), the network MFKD1's
/// example searches: three stages `conv_layer_0..2`, each
/// `{kernel_size, filters, bn, relu}` — a convolution (with bias, padding (k−1)/2),
/// then BatchNorm when `bn`, ReLU when `relu`, and 2×2 max-pooling — then
/// `fully_connect: {output_unit}` hidden units with ReLU and the classifier.
///
/// VEGA's class fixes 3 input channels, 32×32 images and 10 classes; here `in_channels`
/// and `image_size` come from the data unless given (so Fashion-MNIST's 1×28×28 works)
/// and `num_class` defaults to 10. `bn` and `relu` default to false, as an absent key in
/// VEGA's class.
enum SimpleCnnMFKD {
  static let stages = 3

  static func build(_ r: DescriptionReader) throws -> Module {
    var channels = try r.width("in_channels", 3)
    var size = try r.int("image_size", 32, min: 1)
    let classes = try r.classCount()
    var layers: [Module] = []
    for i in 0..<stages {
      let key = "conv_layer_\(i)"
      let s = try part(r, key)
      let kernel = try s.int("kernel_size", min: 1, max: DescriptionReader.maxWindow)
      let filters = try s.int("filters", min: 1, max: DescriptionReader.maxWidth)
      let bn = try s.bool("bn", false), relu = try s.bool("relu", false)
      try s.finish()
      let padding = (kernel - 1) / 2
      size = size + 2 * padding - kernel + 1
      guard size >= 2 else { throw DescriptionError("\(r.path).\(key).kernel_size: a \(kernel)×\(kernel) kernel and the poolings before it leave no 2×2 window to pool (the image is too small)") }
      try s.checkParameters([filters, channels, kernel, kernel], "convolution weight [filters, input channels, kernel_size, kernel_size]")
      layers.append(Conv2d(channels, filters, kernel, padding: padding))
      if bn { layers.append(BatchNorm2d(filters)) }
      if relu { layers.append(ReLU()) }
      layers.append(MaxPool2d(2, stride: 2))
      channels = filters
      size /= 2
    }
    let fc = try part(r, "fully_connect")
    let hidden = try fc.int("output_unit", min: 1, max: DescriptionReader.maxWidth)
    try fc.finish()
    try r.checkParameters([hidden, channels * size * size], "fully_connect weight [output_unit, filters × (image_size / 8)²]")
    try r.checkParameters([classes, hidden], "classifier weight [num_class, output_unit]")
    layers += [Flatten(), Linear(channels * size * size, hidden), ReLU(), Linear(hidden, classes)]
    return Sequential(layers)
  }

  /// The reader of one nested part (`conv_layer_0: {...}`), which must be present.
  static func part(_ r: DescriptionReader, _ key: String) throws -> DescriptionReader {
    guard let v = r.raw(key) else { throw DescriptionError("\(r.path): missing '\(key)'") }
    guard let o = v.object else { throw DescriptionError("\(r.path).\(key): expected a mapping, got \(v.text)") }
    return DescriptionReader(o, path: "\(r.path).\(key)")
  }
}
