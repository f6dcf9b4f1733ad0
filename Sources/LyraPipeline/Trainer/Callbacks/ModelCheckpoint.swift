import Foundation
import LyraNN

/// Priority 240: after every epoch, `checkpoint.safetensors` in the work directory
/// (weights, optimiser state, counters, best values) so a restarted or promoted trial
/// continues from it; when the epoch set a new best, the weights and description as
/// `model_<id>.safetensors` + `model_<id>.json` (VEGA's `model_<id>.pth`).
public final class ModelCheckpoint: TrainerCallback {
  public override var priority: Int { 240 }

  public override func afterEpoch(_ epoch: Int) throws {
    guard let t = trainer, let dir = t.workDir else { return }
    try FileAccessError.guarding(dir, "create the folder") { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    // The best weights first, the checkpoint last: a kill between the two leaves the
    // previous checkpoint, so the resumed run repeats this epoch and writes both again.
    // (The other order could resume past a new best whose weights were never saved.)
    if t.logs.validated && t.logs.bestChanged, let m = t.model {
      let path = TrialFile.weights.path(t.trialID, in: dir)
      do { try Checkpoint.save(m, to: path, metadata: ["epoch": "\(epoch + 1)"]) } catch {
        throw TrainerError.checkpoint("\(FileAccessError.wrap(error, path: path, action: "write"))")
      }
    }
    if t.config.saveCheckpoint, let path = t.checkpointPath, let ck = t.makeCheckpoint(epochsDone: epoch + 1) {
      try ck.write(to: path)
    }
  }
}
