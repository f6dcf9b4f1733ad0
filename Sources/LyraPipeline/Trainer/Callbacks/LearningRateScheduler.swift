/// Priority 260: steps the learning-rate schedule after each epoch (VEGA's default,
/// `by_epoch: true`) or after each training step. Before training it puts the schedule
/// at the position the run has reached (epochs or steps done), which is what makes a
/// resumed run use the same rates as an uninterrupted one.
public final class LearningRateScheduler: TrainerCallback {
  public override var priority: Int { 260 }

  public override func beforeTrain() throws {
    guard let t = trainer, let s = t.schedule else { return }
    s.resume(at: t.config.schedulerByEpoch ? t.startEpoch : t.globalStep)
    t.logs.lr = s.lastLR
  }

  public override func afterTrainStep(_ step: Int) throws {
    guard let t = trainer, !t.config.schedulerByEpoch else { return }
    t.schedule?.step()
  }

  public override func afterEpoch(_ epoch: Int) throws {
    guard let t = trainer, t.config.schedulerByEpoch, t.config.withTrain else { return }
    t.schedule?.step()
  }
}
