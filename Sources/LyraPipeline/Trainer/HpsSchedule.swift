import LyraBase

/// `trainer.hps_schedule`: the optimiser hyper-parameters a PBT search's best member
/// trained with, segment by segment (PBTHandOff writes it into the chosen record's hps; a
/// TrainPipeStep that merges them replays it, HpsScheduleReplay):
///
///     hps_schedule:
///       search_epochs: 6          # the search's epochs the segments are counted in
///       segments:
///         - {from_epoch: 0, params: {lr: 0.01, momentum: 0.9}}
///         - {from_epoch: 3, params: {lr: 0.012, momentum: 0.9}}
///
/// `params` are the optimiser's own (`trainer.optimizer.params` names). Why a schedule and
/// not the last segment's values: PBT's product is the schedule (Jaderberg et al. 2017),
/// and VEGA's PbtTrainerCallback replays it in fully_train.
public struct HpsSchedule: Equatable {
  public struct Segment: Equatable {
    public var fromEpoch: Int
    public var params: [String: Double]
    public init(fromEpoch: Int, params: [String: Double]) {
      self.fromEpoch = fromEpoch
      self.params = params
    }
  }

  public var searchEpochs: Int
  public var segments: [Segment]

  public init(searchEpochs: Int, segments: [Segment]) {
    self.searchEpochs = searchEpochs
    self.segments = segments
  }

  /// Parses the section; errors name `path` and the segment.
  public init(json: JSON, path: String) throws {
    guard let o = json.object else { throw TrainerError.config(key: path, "expected {search_epochs, segments}, got \(json.text)") }
    for k in o.keys where k != "search_epochs" && k != "segments" {
      throw TrainerError.config(key: "\(path).\(k)", "unknown key '\(k)'\(Suggest.hint(k, in: ["search_epochs", "segments"]))")
    }
    guard let s = o["search_epochs"]?.int, s >= 1 else {
      throw TrainerError.config(key: "\(path).search_epochs", "expected a positive integer, got \(o["search_epochs"]?.text ?? "nothing")")
    }
    guard let list = o["segments"]?.array, !list.isEmpty else {
      throw TrainerError.config(key: "\(path).segments", "expected a non-empty list of {from_epoch, params}")
    }
    var segments: [Segment] = []
    for (i, seg) in list.enumerated() {
      let at = "\(path).segments[\(i)]"
      guard let so = seg.object else { throw TrainerError.config(key: at, "expected {from_epoch, params}, got \(seg.text)") }
      for k in so.keys where k != "from_epoch" && k != "params" {
        throw TrainerError.config(key: "\(at).\(k)", "unknown key '\(k)'\(Suggest.hint(k, in: ["from_epoch", "params"]))")
      }
      guard let e = so["from_epoch"]?.int, e >= 0 else { throw TrainerError.config(key: "\(at).from_epoch", "expected an epoch (0 or more)") }
      if i == 0, e != 0 { throw TrainerError.config(key: "\(at).from_epoch", "the first segment must start at epoch 0, got \(e)") }
      if let last = segments.last, e <= last.fromEpoch { throw TrainerError.config(key: "\(at).from_epoch", "epochs must increase (\(last.fromEpoch), then \(e))") }
      var params: [String: Double] = [:]
      for (k, v) in so["params"]?.object ?? [:] {
        guard let d = v.double, d.isFinite else { throw TrainerError.config(key: "\(at).params.\(k)", "expected a number, got \(v.text)") }
        params[k] = d
      }
      segments.append(Segment(fromEpoch: e, params: params))
    }
    self.init(searchEpochs: s, segments: segments)
  }

  public var json: JSON {
    .object(["search_epochs": JSON(searchEpochs), "segments": .array(segments.map { s in
      .object(["from_epoch": JSON(s.fromEpoch), "params": .object(s.params.mapValues { .number($0) })])
    })])
  }

  /// The segment for epoch `epoch` (0-based) of a training of `epochs` epochs: the search's
  /// epochs stretched over this training's, as VEGA's PbtTrainerCallback does (a search of
  /// 200 rounds of 3 epochs replayed in 2000 epochs gives each round 10). Epoch e stands
  /// for search epoch ⌊e·search_epochs/epochs⌋; equal lengths replay epoch for epoch.
  /// Why ⌊e·S/E⌋ and not VEGA's `e // (E // rounds)`: it is the same where E is a multiple
  /// of the rounds, and where E is shorter than the rounds VEGA's divides by zero.
  public func segment(forEpoch epoch: Int, of epochs: Int) -> Segment {
    let at = epochs > 0 ? Int((Double(epoch) * Double(searchEpochs) / Double(epochs)).rounded(.down)) : epoch
    return segments.last { $0.fromEpoch <= at } ?? segments[0]
  }
}
