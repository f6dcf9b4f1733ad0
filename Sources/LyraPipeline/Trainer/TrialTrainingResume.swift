import Foundation

extension TrialTraining {
  /// Where a trial continues from: its own last checkpoint when an earlier attempt left
  /// one (a restarted trial continues from its last epoch), else the checkpoint of the
  /// trial it resumes (ASHA promotion, PBT exploit), else from scratch.
  enum Resume {
    static func apply(to trainer: Trainer, spec: TrialSpec) {
      let own = trainer.checkpointPath.map { FileManager.default.fileExists(atPath: $0) } ?? false
      if own, let p = trainer.checkpointPath {
        trainer.resume(from: p)
      } else if let from = spec.resumeFromCheckpointDir {
        let p = TrialFile.trainerCheckpoint.path("", in: from)
        if FileManager.default.fileExists(atPath: p) { trainer.resume(from: p) }
      }
    }
  }
}
