import Foundation
import LyraNN
import LyraONNX

/// Weights to start training from (`pretrained_model_file`, `init_model_file`), whatever
/// wrote them: a PyTorch checkpoint (read without Python, `PthFile`), safetensors (Lyra's
/// own checkpoints included), or an ONNX model's initialisers. The format is told by the
/// first bytes (`.onnx` by its name: protobuf has no magic); the tensors are mapped onto
/// the model by `StateDictMapping` and the mapping's report is returned for the log.
enum WeightsFile {
  /// Suffixes of the weights files a folder may hold, in the order they are looked for.
  static let suffixes = [".safetensors", ".pth", ".pt", ".onnx"]

  /// A folder (VEGA's `{local_base_path}/output/fine_tune/`, an earlier step's output)
  /// stands for the first weights file in it by name, as VEGA takes the first checkpoint
  /// of a folder; a file stands for itself.
  static func file(_ path: String) throws -> String {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      throw ConfigError(file: path, line: nil, key: nil, message: "'\(path)' does not exist (weights: a PyTorch .pth, safetensors or ONNX file, or a folder holding one)")
    }
    guard isFolder.boolValue else { return path }
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    for s in suffixes { if let n = names.first(where: { $0.lowercased().hasSuffix(s) }) { return (path as NSString).appendingPathComponent(n) } }
    throw ConfigError(file: path, line: nil, key: nil, message: "the folder '\(path)' holds no weights file (\(suffixes.joined(separator: ", ")))")
  }

  static func entries(_ path: String) throws -> [ForeignWeights.Entry] {
    let path = try file(path)
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
