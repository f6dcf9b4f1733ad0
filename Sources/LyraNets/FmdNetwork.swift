import LyraBase
import LyraNN
import LyraTensor

/// VEGA's `FmdNetwork` (examples/fully_train/fmd: its `resnet_cifar`), a pre-activation
/// ResNet for small images whose last stage regularises with feature map distortion
/// (`FeatureMapDistortion`) after each 3×3 convolution:
///
/// `{type: FmdNetwork, depth: 56, wide_factor: 1, num_classes: 10,
///   args: {drop_prob: 0.03, alpha: 5, block_size: 6}}`
///
/// A 3×3 conv to 16·k channels (no norm), three stages of n = (depth − 2)/6 pre-activation
/// basic blocks (BN-ReLU-conv3×3 twice, the identity or a 1×1 conv without norm as
/// shortcut) at 16·k, 32·k (stride 2) and 64·k (stride 2) channels, BN, ReLU, global
/// average pooling and a linear classifier. The stem takes `in_channels` (the data's, for
/// Fashion-MNIST 1) and the pooling is adaptive, so 28×28 inputs work as 32×32 do (VEGA's
/// `AvgPool2d(8)` is the same on 32×32 CIFAR). `depth` must be 6n + 2.
///
/// Module names: `conv`, `layer<s>.block<b>.{bn1,conv1,fmd1,bn2,conv2,fmd2,downsample}`,
/// `bn`, `pool`, `flatten`, `fc`.
public enum FmdNetwork {
  static func build(_ r: DescriptionReader) throws -> Module {
    let depth = try r.int("depth", min: 8, max: 10_000)
    guard (depth - 2) % 6 == 0 else {
      throw DescriptionError("\(r.path).depth: must be 6n + 2 (20, 32, 44, 56, 110, ...), got \(depth)")
    }
    let k = try r.int("wide_factor", 1, min: 1, max: 64)
    let inChannels = try r.width("in_channels", 3)
    let classes = try r.numClasses()
    guard let argsJSON = r.raw("args"), let args = argsJSON.object else {
      throw DescriptionError("\(r.path).args: expected {drop_prob, alpha, block_size} (the feature map distortion's settings)")
    }
    let a = DescriptionReader(args, path: "\(r.path).args")
    let dropProb = try a.double("drop_prob", 0.1, range: 0...1)
    let alpha = try a.double("alpha", 1, range: 0...1000)
    let blockSize = try a.int("block_size", 1, min: 1, max: DescriptionReader.maxWindow)
    try a.finish()
    let n = (depth - 2) / 6
    try NetworkRegistry.checkSize(n * 3 * 2 * 9 * (64 * k) * (64 * k), path: r.path) // at most 2 3×3 convs of 64·k per block
    var parts: [(String, Module)] = [("conv", Conv2d(inChannels, 16 * k, 3, padding: 1, bias: false))]
    var width = 16 * k
    for s in 0..<3 {
      let out = 16 * k << s
      let blocks = (0..<n).map { b -> (String, Module) in
        let block = PreActBlock(b == 0 ? width : out, out, stride: b == 0 && s > 0 ? 2 : 1,
                                fmd: s == 2 ? (dropProb, blockSize, alpha) : nil)
        return ("block\(b + 1)", block)
      }
      width = out
      parts.append(("layer\(s + 1)", Cell(blocks)))
    }
    try r.checkParameters([classes, width], "fc weight [num_classes, 64·wide_factor]")
    parts += [("bn", BatchNorm2d(width)), ("relu", ReLU()), ("pool", AdaptiveAvgPool2d(1)), ("flatten", Flatten()), ("fc", Linear(width, classes))]
    let net = Network(type: "FmdNetwork", desc: .object(r.object), parts: parts)
    wireNoiseScales(net)
    return net
  }

  /// Each distortion's `next`: the first convolution after it in module order that is not
  /// a shortcut (VEGA's `convloc`); the last unit has none.
  static func wireNoiseScales(_ net: Module) {
    var pending: [FeatureMapDistortion] = []
    for (name, m) in net.namedModules() {
      if let f = m as? FeatureMapDistortion { pending.append(f) } else if let c = m as? Conv2d, !name.contains("downsample") {
        for f in pending { f.next = c }
        pending = []
      }
    }
  }
}

/// The pre-activation basic block of VEGA's resnet_cifar (`both_preact`): the shortcut
/// starts before the first BN-ReLU; with `fmd`, a `FeatureMapDistortion` follows each conv.
final class PreActBlock: Block {
  private let body: [Module]
  private let downsample: Conv2d?

  init(_ inChannels: Int, _ outChannels: Int, stride: Int, fmd: (Double, Int, Double)?) {
    var parts: [(String, Module)] = [("bn1", BatchNorm2d(inChannels)), ("relu1", ReLU()),
                                     ("conv1", Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false))]
    if let (p, b, a) = fmd { parts.append(("fmd1", FeatureMapDistortion(dropProb: p, blockSize: b, alpha: a))) }
    parts += [("bn2", BatchNorm2d(outChannels)), ("relu2", ReLU()), ("conv2", Conv2d(outChannels, outChannels, 3, padding: 1, bias: false))]
    if let (p, b, a) = fmd { parts.append(("fmd2", FeatureMapDistortion(dropProb: p, blockSize: b, alpha: a))) }
    body = parts.map(\.1)
    downsample = stride != 1 || inChannels != outChannels ? Conv2d(inChannels, outChannels, 1, stride: stride, bias: false) : nil
    super.init()
    if let downsample { register(child: "downsample", downsample) }
    for (n, m) in parts { register(child: n, m) }
  }

  override func forward(_ x: Tensor) throws -> Tensor {
    var h = x
    for m in body { h = try m(h) }
    return h + (try downsample?(x) ?? x)
  }
}
