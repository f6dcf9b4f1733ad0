import Foundation

extension TrainerConfig {
  /// VEGA's `trainer.init_model_file` as Lyra reads it: empty means none (train from
  /// scratch: `--set STEP.trainer.init_model_file=` runs an example whose file is not at
  /// hand), and a path without its `.pth` is completed as VEGA's PruneTrainerCallback
  /// completes it (`init_model_file + '.pth'`, `examples/compression/prune_ea/prune.yml`
  /// names `/cache/models/resnet20`) when only the completed file exists.
  static func initModelFile(_ path: String) -> String? {
    if path.isEmpty { return nil }
    let fm = FileManager.default
    if !fm.fileExists(atPath: path), fm.fileExists(atPath: path + ".pth") { return path + ".pth" }
    return path
  }
}
