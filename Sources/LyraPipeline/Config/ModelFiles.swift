import Foundation
import LyraBase

/// A step's `model` keys that name files (VEGA's placement): `model_desc_file` (a network
/// description, JSON or YAML, used instead of `model_desc`), `pretrained_model_file` with
/// `head` (weights to start from; names under `head` are not loaded, the layer a
/// fine-tuning replaces) and `strict_load` (VEGA's `need_adjust: true` means `strict_load: false`).
///
/// Resolved when the config is read, so a missing file is a config problem with its
/// file:line:key before anything runs. A path inside the task folder (VEGA's
/// `{local_base_path}/output/…`) may be written by an earlier step: it is checked when
/// the step starts instead. The weights keys are handed to the trainer section
/// (`trainer.pretrained_model_file`, `pretrained_head`, `strict_load`), where the trainer's
/// `ModelBuilder` loads them; a trainer's own `pretrained_model_file` wins.
enum ModelFiles {
  static func resolve(_ section: JSON, step: String, taskFolder: String, fail: (String?, String) -> ConfigError) -> (JSON, [ConfigError]) {
    guard var model = section["model"]?.object else { return (section, []) }
    var out = section.object ?? [:]
    var problems: [ConfigError] = []
    func later(_ path: String) -> Bool { inside(path, taskFolder) }
    // VEGA's MindSpore networks also take `need_adjust` as a part's key (`model_desc.backbone`):
    // the same meaning as the model's, so it moves there and leaves the description.
    if var desc = model["model_desc"]?.object {
      for (part, value) in desc {
        guard var o = value.object, let adjust = o.removeValue(forKey: "need_adjust") else { continue }
        if adjust.bool == true, model["need_adjust"] == nil { model["need_adjust"] = adjust }
        desc[part] = .object(o)
      }
      model["model_desc"] = .object(desc)
    }
    if let f = model["model_desc_file"] {
      if let path = f.string {
        if FileManager.default.fileExists(atPath: path) {
          do { model["model_desc"] = try description(path); model.removeValue(forKey: "model_desc_file") } catch {
            problems.append(fail("\(step).model.model_desc_file", "\(error)"))
          }
        } else if !later(path) {
          problems.append(fail("\(step).model.model_desc_file", "'\(path)' does not exist (a network description, JSON or YAML, as VEGA writes desc_<id>.json)"))
        }
      } else { problems.append(fail("\(step).model.model_desc_file", "must be a path, got \(f.text)")) }
    }
    if let f = model["pretrained_model_file"], f != .null {
      if let path = f.string {
        if FileManager.default.fileExists(atPath: path) || later(path) {
          var trainer = out["trainer"]?.object ?? [:]
          if trainer["pretrained_model_file"] == nil && trainer["init_model_file"] == nil {
            trainer["pretrained_model_file"] = .string(path)
            if let h = model["head"] { trainer["pretrained_head"] = h }
            if let s = model["strict_load"] { trainer["strict_load"] = s } else if model["need_adjust"]?.bool == true {
              // VEGA's need_adjust: load what fits, skip what the new model changed (its head).
              trainer["strict_load"] = .bool(false)
            }
          }
          out["trainer"] = .object(trainer)
        } else {
          problems.append(fail("\(step).model.pretrained_model_file", "'\(path)' does not exist (weights: a PyTorch .pth, safetensors or ONNX file)"))
        }
      } else { problems.append(fail("\(step).model.pretrained_model_file", "must be a path, got \(f.text)")) }
    }
    out["model"] = .object(model)
    return (.object(out), problems)
  }

  /// Whether `path` lies inside `folder` (both taken from the working directory when relative).
  static func inside(_ path: String, _ folder: String) -> Bool {
    func absolute(_ p: String) -> String {
      ((p.hasPrefix("/") ? p : FileManager.default.currentDirectoryPath + "/" + p) as NSString).standardizingPath
    }
    return absolute(path).hasPrefix(absolute(folder) + "/")
  }

  /// A network description file: JSON or YAML; VEGA's `{"desc": …}` wrapper is unwrapped.
  static func description(_ path: String) throws -> JSON {
    let doc = try YAMLDocument(contentsOf: path)
    var desc = doc.value
    for k in ["desc", "model_desc"] where desc["type"] == nil {
      if let inner = desc[k], inner.object != nil { desc = inner }
    }
    guard desc.object != nil else { throw ConfigError(file: path, line: nil, key: nil, message: "a network description must be a mapping") }
    return desc
  }
}
