import Foundation
import LyraNN
import LyraONNX

/// Weights to start training from (`pretrained_model_file`, `init_model_file`), whatever
/// wrote them: a PyTorch checkpoint (read without Python, `PthFile`), safetensors (Lyra's
/// own checkpoints included), or an ONNX model's initialisers. The format is told by the
/// first bytes (`.onnx` by its name: protobuf has no magic); the tensors are mapped onto
/// the model by `StateDictMapping` and the mapping's report is returned for the log.
enum WeightsFile {
  static func entries(_ path: String) throws -> [ForeignWeights.Entry] {
    guard path.lowercased().hasSuffix(".onnx") else { return try ForeignWeights.read(path) }
    let graph = try ONNXProtoModel(data: try Data(contentsOf: URL(fileURLWithPath: path))).graph()
    return graph.initializers.map { t in
      var isInteger = false
      if case .ints = t.values { isInteger = true }
      return ForeignWeights.Entry(name: t.name, tensor: t.tensor().float(), isInteger: isInteger)
    }
  }

  @discardableResult
  static func load(_ path: String, into model: Module, head: [String], strict: Bool?) throws -> StateDictMapping {
    try ForeignWeights.load(try entries(path), into: model, exclude: head, strict: strict ?? head.isEmpty, file: path)
  }
}
