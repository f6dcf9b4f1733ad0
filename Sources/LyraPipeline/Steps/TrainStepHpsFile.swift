import Foundation
import LyraBase

extension TrainStep {
  /// VEGA's `trainer.hps_file`: hyperparameters searched by an earlier step, applied to a
  /// TrainPipeStep that names its own `model.model_desc` (VEGA's HPO examples: `fully_train`
  /// trains `ref: hpo.model` with `hps_file: "{local_base_path}/output/hpo"`). Without it such
  /// a step would train with the defaults, not with what the search found.
  ///
  /// The value is an `hps_<id>.json` file or a folder holding them; of a folder, the first
  /// by name is taken (a search step's output folder holds its best trial). The file's values
  /// fill in under each model's own handed-on hyperparameters; `epochs` is dropped later
  /// with the rest, as VEGA drops it (this step's `epochs` rule).
  func hpsFromFile() throws -> JSON? {
    guard let raw = step.section["trainer"]?["hps_file"], raw != .null else { return nil }
    let key = "\(step.name).trainer.hps_file"
    guard let path = raw.string else { throw pipeline.config.error(key, "expected a file or folder path, got \(raw.text)") }
    let fm = FileManager.default
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
      throw pipeline.config.error(key, "'\(path)' does not exist (an hps_<id>.json file, or a folder of them such as an earlier step's output)")
    }
    var file = path
    if isDir.boolValue {
      let names = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).filter { TrialFile.hyperparameters.id(in: $0) != nil }.sorted()
      guard let first = names.first else { throw pipeline.config.error(key, "no hps_<id>.json in '\(path)'") }
      file = path + "/" + first
    }
    guard let data = fm.contents(atPath: file), let hps = try? JSON.parse(data), hps.object != nil else {
      throw pipeline.config.error(key, "'\(file)' is not a JSON mapping of hyperparameters")
    }
    return hps
  }
}
