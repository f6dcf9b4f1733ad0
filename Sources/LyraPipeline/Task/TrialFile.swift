/// The files one trial leaves in a folder of a task (its worker folder, its checkpoint
/// folder, a step's output folder, a models folder handed to the next step), each named
/// after the trial's id: `desc_<id>.json`, `model_<id>.safetensors`, ...
///
/// Why one enum: the names are VEGA's and are read back by other code (a resumed task, a
/// `models_folder` of an earlier run, `lyra export model_3.safetensors`), so writer and
/// readers must agree byte for byte; spelling each name once here makes that a fact
/// rather than a convention. `TaskLayout` places these files in folders.
public enum TrialFile: CaseIterable, Sendable {
  /// `desc_<id>.json`: the model description (completed with what the data told).
  case description
  /// `hps_<id>.json`: the hyperparameters the trial trained with.
  case hyperparameters
  /// `performance_<id>.json`: the best validation values and model statistics.
  case performance
  /// `model_<id>.safetensors`: the best epoch's weights.
  case weights
  /// `model_<id>.json`: the description `Checkpoint.save` writes beside the weights
  /// (LyraNN names it after the weights file; listed here so the layout is complete).
  case weightsDescription
  /// `model_<id>.int.safetensors`: a quantised model's integer weights (QuantizedCheckpoint).
  case quantizedWeights
  /// `checkpoint.safetensors`: the resumable trainer state (no id: one per folder).
  case trainerCheckpoint
  /// `curve.json`: the learning curve the reports plot (no id: one per worker folder).
  case curve

  var prefix: String {
    switch self {
    case .description: return "desc_"
    case .hyperparameters: return "hps_"
    case .performance: return "performance_"
    case .weights, .weightsDescription, .quantizedWeights: return "model_"
    case .trainerCheckpoint, .curve: return ""
    }
  }

  var suffix: String {
    switch self {
    case .description, .hyperparameters, .performance, .weightsDescription: return ".json"
    case .weights: return ".safetensors"
    case .quantizedWeights: return ".int.safetensors"
    case .trainerCheckpoint: return "checkpoint.safetensors"
    case .curve: return "curve.json"
    }
  }

  /// Whether the name carries the trial's id.
  public var hasID: Bool { !prefix.isEmpty }

  /// The file name for trial `id` (ignored by the two files without one).
  public func name(_ id: String) -> String { hasID ? prefix + id + suffix : suffix }
  public func name(_ id: Int) -> String { name(String(id)) }

  /// The path of the file in `folder` (joined with one `/`, as every writer did).
  public func path(_ id: String, in folder: String) -> String { folder + "/" + name(id) }
  public func path(_ id: Int, in folder: String) -> String { path(String(id), in: folder) }

  /// The id in `fileName` when it is this kind's name (`"3"` for `desc_3.json` and
  /// `.description`), else nil. Matches prefix and suffix only, as the readers always
  /// did: `model_3.int.safetensors` is `.weights` of id `3.int` too; `parse` decides.
  public func id(in fileName: String) -> String? {
    guard hasID else { return nil }
    guard fileName.hasPrefix(prefix), fileName.hasSuffix(suffix), fileName.count > prefix.count + suffix.count else { return nil }
    return String(fileName.dropFirst(prefix.count).dropLast(suffix.count))
  }

  /// The id after this kind's prefix in a name without its extension (`model_3` → `3`),
  /// whatever the extension was: how `lyra export` pairs `model_3.*` with `desc_3.json`.
  public func id(inStem stem: String) -> String? {
    hasID && stem.hasPrefix(prefix) ? String(stem.dropFirst(prefix.count)) : nil
  }

  /// The kind and id of a file name (id nil for the files without one); the longest
  /// suffix wins, so `model_3.int.safetensors` is quantised weights of trial 3.
  public static func parse(_ fileName: String) -> (file: TrialFile, id: String?)? {
    for f in [TrialFile.trainerCheckpoint, .curve] where fileName == f.suffix { return (f, nil) }
    for f in [TrialFile.quantizedWeights, .weights, .weightsDescription, .description, .hyperparameters, .performance] {
      if let id = f.id(in: fileName) { return (f, id) }
    }
    return nil
  }
}
