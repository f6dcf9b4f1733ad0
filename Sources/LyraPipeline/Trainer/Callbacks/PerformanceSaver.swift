import Foundation
import LyraNN

/// Priority 250: after each validated epoch, `performance_<id>.json` in the work
/// directory: the best validation values so far with the model statistics, one flat
/// object as VEGA's (`{"accuracy": 0.91, "flops": 0.0002, "params": 235.1}`), plus
/// `epoch` (1-based). Written atomically, so a reader never sees half a file.
public final class PerformanceSaver: TrainerCallback {
  public override var priority: Int { 250 }

  public override func afterEpoch(_ epoch: Int) throws {
    guard let t = trainer, let dir = t.workDir, t.logs.validated else { return }
    var o = t.logs.bestPerfs.merging(t.logs.statistics) { a, _ in a }.mapValues { JSON.number($0) }
    o["epoch"] = JSON(epoch + 1)
    let path = TrialFile.performance.path(t.trialID, in: dir)
    try FileAccessError.guarding(path, "write") { try Data(JSON.object(o).description.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) }
  }
}
