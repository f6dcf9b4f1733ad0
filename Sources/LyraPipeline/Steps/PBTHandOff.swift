import LyraBase
import LyraSearch
import LyraSpace

/// What a PBT search hands to the next step besides the last values: the optimiser
/// hyper-parameters (`trainer.optimizer.params.*`) its best member's lineage trained with,
/// segment by segment (`PBT.schedule(of:)`: the trial's own earlier segments and the donors
/// it copied), as `trainer.hps_schedule` (HpsSchedule) in the chosen record's hps. A
/// TrainPipeStep that merges those hps (`hps_file`, or the search step's output as its
/// models folder) replays it epoch by epoch, as VEGA's PbtTrainerCallback replays its
/// `trainer.all_configs`.
///
/// Only the optimiser's parameters change between epochs (VEGA's callback sets only the
/// optimiser's keys too); other searched keys (the optimiser's type, `dataset.batch_size`)
/// keep the last segment's value for the whole training. A PBA search (a PBT) hands on
/// its jointly searched optimiser parameters the same way.
enum PBTHandOff {
  /// `r` with its lineage's optimiser schedule when `algorithm` is a PBT whose configs set
  /// optimiser parameters; otherwise `r` unchanged.
  static func withSchedule(_ r: TrialRecord, algorithm: SearchAlgorithm) -> TrialRecord {
    guard let pbt = algorithm as? PBT, let s = schedule(of: r.workerID, in: pbt) else { return r }
    var out = r
    out.hps = PBAHandOff.replacing(r.hps, at: ["trainer", "hps_schedule"], with: s.json)
    return out
  }

  /// The optimiser-parameter segments of a trial's lineage (equal neighbours merged), or
  /// nil when its configs set no optimiser parameter.
  static func schedule(of trialID: Int, in pbt: PBT) -> HpsSchedule? {
    var segments: [HpsSchedule.Segment] = []
    for (budget, config) in pbt.schedule(of: trialID) {
      let (_, hps) = Binding.apply(config, modelDescription: .object([:]))
      var params: [String: Double] = [:]
      for (k, v) in hps["trainer"]?["optimizer"]?["params"]?.object ?? [:] { if let d = v.double { params[k] = d } }
      if segments.last?.params == params { continue }
      segments.append(HpsSchedule.Segment(fromEpoch: Int(budget), params: params))
    }
    guard segments.contains(where: { !$0.params.isEmpty }) else { return nil }
    return HpsSchedule(searchEpochs: max(1, Int(pbt.maxBudget)), segments: segments)
  }
}
