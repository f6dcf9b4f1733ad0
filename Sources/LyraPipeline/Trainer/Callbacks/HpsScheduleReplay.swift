import LyraNN

/// Priority 100 (VEGA's PbtTrainerCallback): before each epoch, sets the optimiser's
/// hyper-parameters to the `trainer.hps_schedule` segment for that epoch (HpsSchedule says
/// how the search's epochs stretch over this training's). The trainer adds it whenever the
/// config has a schedule, so a TrainPipeStep after a PBTHpo search replays it whether or
/// not `callbacks` names PbtTrainerCallback.
///
/// `lr` becomes the base rate the trainer's `lr_scheduler` scales (`LRSchedule.rebase`;
/// with `lr_scheduler: null`, the rate itself): VEGA's callback writes the optimiser's
/// param group, which a chained PyTorch scheduler then scales. Other hyper-parameters go
/// through the optimiser's state (`loadStateDict` checks their names and values). A resumed
/// run sets the resumed epoch's segment again, so it replays as an uninterrupted one.
final class HpsScheduleReplay: TrainerCallback {
  override var priority: Int { 100 }

  override func beforeTrain() throws {
    guard let t = trainer, let s = t.config.hpsSchedule, let opt = t.optimizer else { return }
    let known = Set(opt.hyperparameters.keys)
    for (i, seg) in s.segments.enumerated() {
      for k in seg.params.keys.sorted() where !known.contains(k) {
        throw TrainerError.config(key: "trainer.hps_schedule.segments[\(i)].params.\(k)",
                                  "\(opt.name) has no hyper-parameter '\(k)' (it has: \(known.sorted().joined(separator: ", ")))")
      }
    }
  }

  override func beforeEpoch(_ epoch: Int) throws {
    guard let t = trainer, let s = t.config.hpsSchedule, let opt = t.optimizer else { return }
    let params = s.segment(forEpoch: epoch, of: t.epochs).params
    let others = params.filter { $0.key != "lr" }
    if !others.isEmpty {
      var state = opt.stateDict()
      for (k, v) in others { state.hyperparameters[k] = v }
      do { try opt.loadStateDict(state) } catch {
        throw TrainerError.config(key: "trainer.hps_schedule", "epoch \(epoch + 1): \(error)")
      }
    }
    if let lr = params["lr"] {
      guard lr >= 0 else { throw TrainerError.config(key: "trainer.hps_schedule", "epoch \(epoch + 1): lr must be at least 0, got \(lr)") }
      if let sched = t.schedule { sched.rebase(lr) } else { opt.lr = lr }
      t.logs.lr = opt.lr
    }
  }
}
