import LyraBase
import LyraNN

/// VEGA's `MobileNetV2Tiny {width_mult: 1, round_nearest: 8}`: MobileNetV2's feature
/// layers only — the 3×3 stem (stride 2) and the seven stages of inverted residual blocks
/// (`MobileNetV2.stages`, ImageNet strides, 32× in all) — without the last 1×1 conv, the
/// pooling or a classifier; the backbone VEGA's multi-task example puts under a head
/// (`modules: [backbone, head]`). VEGA's module returns the maps of four blocks (24, 32,
/// 96 and 320 channels, for a segmentation decoder); Lyra's returns the last one, the
/// input a classification head takes: its head's `base_channel` is 320 (×`width_mult`).
///
/// Keys: `width_mult` [1.0], `round_nearest` [8] (the multiple every width is rounded to,
/// never below 90% of the scaled width), `in_channels` [3]. VEGA's `load_path` (weights
/// from a PyTorch file) is `model.pretrained_model_file` in Lyra.
///
/// Module names: `stem.conv1`, `stage<s>.block<b>.{expand,depthwise,project}` (as MobileNetV2).
enum MobileNetV2Tiny {
  static func build(_ r: DescriptionReader) throws -> Module {
    let mult = try r.double("width_mult", 1, range: 0.05...16)
    let round = try r.int("round_nearest", 8, min: 1, max: 64)
    let inChannels = try r.width("in_channels", 3)
    if r.raw("load_path") != nil {
      throw DescriptionError("\(r.path).load_path: give the weights as model.pretrained_model_file (a .pth, safetensors or ONNX file)")
    }
    func rounded(_ c: Int) -> Int { MobileNetV2.divisible(Double(c) * mult, by: round) }
    var width = rounded(32)
    var parts: [(String, Module)] = [("stem", Cell([("conv1", Operator(inChannels, width, kernel: 3, stride: 2, activation: .relu6))]))]
    var weights = 0
    for (s, stage) in MobileNetV2.stages.enumerated() {
      let out = rounded(stage.1)
      let blocks = try (0..<stage.2).map { b -> (String, Module) in
        weights += width * stage.0 * (width + 9 + out)
        try NetworkRegistry.checkSize(weights, path: r.path)
        defer { width = out }
        return ("block\(b + 1)", InvertedResidualBlock(width, out, stride: b == 0 ? stage.3 : 1, expansion: stage.0))
      }
      parts.append(("stage\(s + 1)", Cell(blocks)))
    }
    return Network(type: "MobileNetV2Tiny", desc: .object(r.object), parts: parts)
  }
}
