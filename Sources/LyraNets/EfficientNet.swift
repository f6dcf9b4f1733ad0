import LyraBase
import LyraNN
import LyraTensor

/// EfficientNet B0–B4 (Tan & Le 2019) as timm builds them (`timm.create_model`, which
/// VEGA's TimmTrainerCallback calls with the trainer's `model_desc`):
///
/// `{type: EfficientNet, model_name: efficientnet_b0, num_classes: 1000, drop: 0.2, drop_path: 0.2}`
///
/// A 3×3 stride-2 stem to round(32·w) channels (BN, swish), seven stages of MBConv blocks
/// with squeeze-excitation 0.25 (kernel k, stride s, expansion e, width c, repeats r:
/// 3·1·1·16·1, 3·2·6·24·2, 5·2·6·40·2, 3·2·6·80·3, 5·1·6·112·3, 5·2·6·192·4, 3·1·6·320·1),
/// a 1×1 conv to round(1280·w) (BN, swish), global average pooling, dropout `drop` and a
/// linear classifier. Widths are rounded to multiples of 8 (never 10% below), repeats
/// to ⌈r·d⌉ (timm's depth_trunc 'ceil'); the compound scaling (w, d, the paper's resolution):
/// b0 1.0·1.0·224, b1 1.0·1.1·240, b2 1.1·1.2·260, b3 1.2·1.4·300, b4 1.4·1.8·380. Block i
/// of n drops its residual branch with rate `drop_path`·i/n (timm's drop-connect).
///
/// Keys (timm's names): `model_name` [efficientnet_b0]; `num_classes` (or num_class,
/// n_class) [10, as Lyra's other networks; timm's is 1000]; `drop` [0, timm's default];
/// `drop_path` [0];
/// `gp` [avg] (the only pooling); `bn_tf` [false] (true: BN eps 1e-3, momentum 0.01 as
/// TensorFlow's); `bn_momentum`, `bn_eps` [null: PyTorch's 0.1, 1e-5, or bn_tf's];
/// `pretrained` [false] and `initial_checkpoint` [null] (timm's downloads and files: give
/// the trainer's `pretrained_model_file` instead); `in_channels` [3]; `small_input`
/// [true when the data's images are under 64 pixels]: stride 1 in the stem and in the
/// 24-channel stage, so 28×28 images keep 4×4 maps at the end (false: timm's 32×).
///
/// Module names as timm's: `conv_stem`, `bn1`, `act1`, `blocks.<stage>.<block>.…`,
/// `conv_head`, `bn2`, `act2`, `global_pool`, `flatten`, `dropout` (when > 0), `classifier`.
public enum EfficientNet {
  /// (kernel, stride, expansion, width, repeats) per stage.
  static let stages = [(3, 1, 1, 16, 1), (3, 2, 6, 24, 2), (5, 2, 6, 40, 2), (3, 2, 6, 80, 3),
                       (5, 1, 6, 112, 3), (5, 2, 6, 192, 4), (3, 1, 6, 320, 1)]
  /// timm's model names → (width multiplier, depth multiplier, the paper's resolution).
  static let variants: [(String, Double, Double, Int)] = [
    ("efficientnet_b0", 1.0, 1.0, 224), ("efficientnet_b1", 1.0, 1.1, 240), ("efficientnet_b2", 1.1, 1.2, 260),
    ("efficientnet_b3", 1.2, 1.4, 300), ("efficientnet_b4", 1.4, 1.8, 380),
  ]

  /// Repeats of a stage under depth multiplier `d`: ⌈r·d⌉.
  static func repeats(_ r: Int, _ d: Double) -> Int { Int((Double(r) * d - 1e-9).rounded(.up)) }

  static func build(_ r: DescriptionReader) throws -> Module {
    let name = try r.string("model_name", "efficientnet_b0")
    guard let (_, w, d, _) = variants.first(where: { $0.0 == name }) else {
      throw DescriptionError("\(r.path).model_name: '\(name)' is not one of \(variants.map(\.0).joined(separator: ", "))\(Suggest.hint(name, in: variants.map(\.0)))")
    }
    let classes = try r.numClasses()
    let drop = try r.double("drop", 0, range: 0...1)
    let dropPath = try r.double("drop_path", 0, range: 0...1)
    let gp = try r.string("gp", "avg")
    guard gp == "avg" else { throw DescriptionError("\(r.path).gp: only 'avg' global pooling is supported, got '\(gp)'") }
    let tf = try r.bool("bn_tf", false)
    // timm's null: the default (PyTorch's, or TensorFlow's with bn_tf).
    func nullable(_ key: String, _ range: ClosedRange<Double>) throws -> Double? {
      guard let v = r.raw(key), v != .null else { return nil }
      return try r.double(key, 0, range: range)
    }
    let momentum = try nullable("bn_momentum", 0...1), eps = try nullable("bn_eps", 1e-12...1)
    let norm = MBConvBlock.Norm(eps: Float(eps ?? (tf ? 1e-3 : 1e-5)), momentum: Float(momentum ?? (tf ? 0.01 : 0.1)))
    if try r.bool("pretrained", false) {
      throw DescriptionError("\(r.path).pretrained: timm's downloaded weights are not available; give the trainer's pretrained_model_file (a .pth) instead")
    }
    if let c = r.raw("initial_checkpoint"), c != .null {
      throw DescriptionError("\(r.path).initial_checkpoint: give the file as the trainer's pretrained_model_file instead (it loads .pth by name)")
    }
    let inChannels = try r.width("in_channels", 3)
    let imageSize = try r.optionalInt("image_size")
    let small = try r.bool("small_input", (imageSize ?? 224) < 64)
    let stem = MobileNetV2.divisible(32 * w), head = MobileNetV2.divisible(1280 * w)
    let total = stages.reduce(0) { $0 + repeats($1.4, d) }
    var width = stem, index = 0, weights = 0
    var stageCells: [(String, Module)] = []
    for (s, (k, stride, e, c, n)) in stages.enumerated() {
      let out = MobileNetV2.divisible(Double(c) * w)
      var blocks: [(String, Module)] = []
      for b in 0..<repeats(n, d) {
        let st = b == 0 ? (small && s == 1 ? 1 : stride) : 1
        weights += width * e * (width + k * k + out)
        try NetworkRegistry.checkSize(weights, path: r.path)
        blocks.append(("\(b)", MBConvBlock(width, out, kernel: k, stride: st, expansion: e, seRatio: 0.25,
                                           dropPath: dropPath * Double(index) / Double(total), norm: norm)))
        width = out
        index += 1
      }
      stageCells.append(("\(s)", Cell(blocks)))
    }
    var parts: [(String, Module)] = [
      ("conv_stem", Conv2d(inChannels, stem, 3, stride: small ? 1 : 2, padding: 1, bias: false)),
      ("bn1", BatchNorm2d(stem, eps: norm.eps, momentum: norm.momentum)), ("act1", SiLU()),
      ("blocks", Cell(stageCells)),
      ("conv_head", Conv2d(width, head, 1, bias: false)), ("bn2", BatchNorm2d(head, eps: norm.eps, momentum: norm.momentum)),
      ("act2", SiLU()), ("global_pool", AdaptiveAvgPool2d(1)), ("flatten", Flatten()),
    ]
    if drop > 0 { parts.append(("dropout", Dropout(Float(drop)))) }
    try r.checkParameters([classes, head], "classifier weight [num_classes, head width]")
    parts.append(("classifier", Linear(head, classes)))
    return Network(type: "EfficientNet", desc: .object(r.object), parts: parts)
  }
}
