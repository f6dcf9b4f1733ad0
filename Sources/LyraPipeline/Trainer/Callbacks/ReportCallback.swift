/// Priority 280: hands results to the pipeline's `trainer.reporter` — after every
/// validated epoch (intermediate results for ASHA/Hyperband rungs) and once at the end
/// (`final: true`, the trial's record).
public final class ReportCallback: TrainerCallback {
  public override var priority: Int { 280 }

  public override func afterEpoch(_ epoch: Int) throws {
    guard let t = trainer, t.logs.validated else { return }
    t.reporter?(t.report(final: false))
  }

  public override func afterTrain() throws {
    guard let t = trainer else { return }
    t.reporter?(t.report(final: true))
  }
}
