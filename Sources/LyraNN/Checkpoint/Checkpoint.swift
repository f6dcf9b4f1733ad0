import Foundation
import LyraTensor

/// A model on disk: weights in safetensors (`model.safetensors`) plus the JSON model
/// description beside it (`model.json`), so description + weights rebuild the model
/// without any code (docs/architecture.md#descriptions-are-data).
public enum Checkpoint {
  /// The description file that goes with a weights file: `x.safetensors` → `x.json`.
  public static func descriptionPath(for weights: String) -> String {
    (weights as NSString).deletingPathExtension + ".json"
  }

  /// Writes weights (parameters and buffers, F32) and the description. Both files are
  /// written atomically, so a crash never leaves a half-written checkpoint.
  public static func save(_ model: Module, to path: String, metadata: [String: String] = [:]) throws {
    var st = SafeTensors(metadata: metadata.merging(["format": "pt", "producer": "lyra"]) { a, _ in a })
    for (name, t) in model.stateDict() {
      st.entries[name] = .init(floats: t.toArray(), shape: t.shape)
    }
    try st.write(to: path)
    let desc = Data(model.describe().description.utf8)
    try desc.write(to: URL(fileURLWithPath: descriptionPath(for: path)), options: .atomic)
  }

  /// Rebuilds a model from its description and loads its weights.
  public static func load(_ path: String) throws -> Module {
    let model = try buildDescribed(path)
    try loadWeights(into: model, from: path)
    return model
  }

  /// The model the description beside the weights file `path` describes, untrained (what
  /// `load` and `QuantizedCheckpoint.load` start from); errors name the description file.
  static func buildDescribed(_ path: String) throws -> Module {
    let descPath = descriptionPath(for: path)
    guard let d = FileManager.default.contents(atPath: descPath) else {
      throw DescriptionError("\(descPath): cannot read the model description that goes with \(path)")
    }
    do {
      let desc = try JSON.parse(d)
      try ParameterSizeChecks.checkTree(desc)
      return try ModuleRegistry.build(desc)
    } catch { throw DescriptionError("\(descPath): \(error)") }
  }

  /// Loads weights into an existing model (names and shapes must match exactly).
  public static func loadWeights(into model: Module, from path: String) throws {
    let st = try SafeTensors.read(from: path)
    var state: [String: Tensor] = [:]
    for (name, e) in st.entries { state[name] = Tensor(e.floats(), shape: e.shape) }
    do { try model.loadStateDict(state) } catch { throw DescriptionError("\(path): \(error)") }
  }
}
