import LyraBase
import LyraNN

/// MobileNetV2 (Sandler et al. 2018) from `{type: MobileNetV2, width_mult: 1, num_class: 10}`:
/// a 3×3 stem to 32 channels, seven stages of inverted residual blocks
/// (expansion t, width c, blocks n, first stride s: 1·16·1·1, 6·24·2·2, 6·32·3·2,
/// 6·64·4·2, 6·96·3·1, 6·160·3·2, 6·320·1·1), a 1×1 conv to 1280, global pooling,
/// dropout and a linear classifier; ReLU6 throughout, as torchvision's model.
///
/// Keys: `width_mult` [1.0] scales every width (rounded to a multiple of 8, never below
/// 90% of the scaled width; the last conv never narrows below 1280); `small_input` [true]:
/// stride 1 in the stem and in the 24-channel stage, so 28×28/32×32 images keep 4×4 maps
/// at the end (false: the ImageNet strides, 32× in all); `in_channels` [3]; `num_class`
/// (alias `n_class`) [10]; `dropout` [0.2]; `layer_0` … `layer_6`: `{channels, repetitions}`
/// replacing stage s+1's width c and block count n (either may be left out), as VEGA's
/// `customs/mobilenetv2.py` reads its `desc` — the keys VEGA's MF-ASC example searches
/// (`network.custom.layer_3.channels`); the channels are scaled by `width_mult` like
/// the table's.
///
/// Module names: `stem.conv1`, `stage<s>.block<b>.{expand,depthwise,project}`, `conv_last`,
/// `pool`, `flatten`, `dropout` (when > 0), `head`.
public enum MobileNetV2 {
  /// (expansion, width, blocks, first stride) per stage.
  static let stages = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]

  /// The nearest multiple of `divisor` (8 unless VEGA's `round_nearest` says) to `v`, at
  /// least `divisor`, never more than 10% below `v`.
  static func divisible(_ v: Double, by divisor: Int = 8) -> Int {
    var n = max(divisor, Int(v + Double(divisor) / 2) / divisor * divisor)
    if Double(n) < 0.9 * v { n += divisor }
    return n
  }

  static func build(_ r: DescriptionReader) throws -> Module {
    let mult = try r.double("width_mult", 1, range: 0.05...16)
    let small = try r.bool("small_input", true)
    let inChannels = try r.width("in_channels", 3)
    let classes = try r.classCount()
    let dropout = try r.double("dropout", 0.2, range: 0...1)
    var width = divisible(32 * mult)
    let last = divisible(1280 * max(1, mult))
    var weights = 0
    var parts: [(String, Module)] = [("stem", Cell([("conv1", Operator(inChannels, width, kernel: 3, stride: small ? 1 : 2, activation: .relu6))]))]
    for (s, (t, c0, n0, firstStride)) in stages.enumerated() {
      let (c, n) = try stageOverride(r, s, channels: c0, repetitions: n0)
      let out = divisible(Double(c) * mult)
      var blocks: [(String, Module)] = []
      for b in 0..<n {
        let stride = b == 0 ? (small && s == 1 ? 1 : firstStride) : 1
        weights += width * t * (width + 9 + out)
        try NetworkRegistry.checkSize(weights, path: r.path)
        blocks.append(("block\(b + 1)", InvertedResidualBlock(width, out, stride: stride, expansion: t)))
        width = out
      }
      parts.append(("stage\(s + 1)", Cell(blocks)))
    }
    parts += [("conv_last", Operator(width, last, kernel: 1, activation: .relu6)), ("pool", AdaptiveAvgPool2d(1)), ("flatten", Flatten())]
    if dropout > 0 { parts.append(("dropout", Dropout(Float(dropout)))) }
    try r.checkParameters([classes, last], "head weight [num_class, last width]")
    parts.append(("head", Linear(last, classes)))
    return Network(type: "MobileNetV2", desc: .object(r.object), parts: parts)
  }

  /// `layer_<s>: {channels, repetitions}`: stage s's width and block count, each
  /// defaulting to the table's.
  static func stageOverride(_ r: DescriptionReader, _ s: Int, channels: Int, repetitions: Int) throws -> (Int, Int) {
    let key = "layer_\(s)"
    guard let v = r.raw(key), v != .null else { return (channels, repetitions) }
    guard let o = v.object else { throw DescriptionError("\(r.path).\(key): expected {channels, repetitions}, got \(v.text)") }
    let layer = DescriptionReader(o, path: "\(r.path).\(key)")
    let c = try layer.width("channels", channels)
    let n = try layer.int("repetitions", repetitions, min: 1, max: 64)
    try layer.finish()
    return (c, n)
  }
}
