import Foundation
import LyraBase
import LyraNets
import LyraNN

/// A trained model read back from disk: a checkpoint (`x.safetensors` with `x.json`
/// beside it, or a task folder's `model_<id>.safetensors` with `desc_<id>.json`), or a
/// description `.json` with those weights when they are beside it (else freshly
/// initialised). `lyra export` and scripts load models through it.
///
/// Why here and not in the command: which file holds a trial's description is the task
/// folder's naming (`TrialFile`), so the reader lives next to the writer; the command only
/// adds the reference models.
public enum SavedModel {
  /// The model in a step's output folder of a task: `output/<step>/model_<id>.safetensors`
  /// with its `desc_<id>.json` (what the step handed on).
  public static func load(taskFolder: String, step: String, id: Int) throws -> (module: Module, origin: String) {
    guard let loaded = try load(TrialFile.weights.path(id, in: TaskLayout(root: taskFolder).stepFolder(step))) else {
      throw DescriptionError("internal: a weights path was not taken for a checkpoint")
    }
    return loaded
  }

  /// The model at `path` (a `.safetensors` checkpoint or a `.json` description) and a line
  /// saying where its architecture and weights came from; nil when `path` is neither kind.
  public static func load(_ path: String) throws -> (module: Module, origin: String)? {
    let fm = FileManager.default
    let dir = PathText.parent(path), file = (path as NSString).lastPathComponent
    func sibling(_ name: String) -> String { dir.isEmpty ? name : dir + "/" + name }
    let stem = (file as NSString).deletingPathExtension
    // `model_<id>.*` or `desc_<id>.*`: the id that names the other half.
    let id = TrialFile.weights.id(inStem: stem) ?? TrialFile.description.id(inStem: stem)
    if path.hasSuffix(".safetensors") {
      let own = sibling(stem + ".json"), pipeline = id.map { sibling(TrialFile.description.name($0)) }
      guard let desc = [own, pipeline].compactMap({ $0 }).first(where: fm.fileExists) else {
        throw DescriptionError("\(path): no model description beside it (\(own)\(pipeline.map { " or \($0)" } ?? ""))")
      }
      let m = try build(desc)
      try Checkpoint.loadWeights(into: m, from: path)
      return (m, "model: \(desc) with weights \(path)")
    }
    if path.hasSuffix(".json") {
      let m = try build(path)
      let weights = [sibling(stem + ".safetensors"), id.map { sibling(TrialFile.weights.name($0)) }].compactMap { $0 }
      if let w = weights.first(where: fm.fileExists) {
        try Checkpoint.loadWeights(into: m, from: w)
        return (m, "model: \(path) with weights \(w)")
      }
      return (m, "model: \(path) (no weights beside it: freshly initialised)")
    }
    return nil
  }

  /// The network a description file describes; errors name the file.
  static func build(_ path: String) throws -> Module {
    guard let data = FileManager.default.contents(atPath: path) else { throw DescriptionError("\(path): cannot read the file") }
    let desc: JSON
    do { desc = try JSON.parse(data) } catch { throw DescriptionError("\(path): \(error)") }
    do { return try NetworkRegistry.build(desc) } catch { throw DescriptionError("\(path): \(error)") }
  }
}
