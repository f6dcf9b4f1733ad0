import LyraBase
import LyraSpace

/// A weight-sharing search as the trial store sees it (VEGA's `DifferentialAlgorithm`):
/// one trial that trains the supernet, α included, and whose trainer callback (DARTS')
/// writes the derived architecture as the trial's description. `sample_num` trials (VEGA's
/// key, default 1) run the same supernet from different seeds when more than one.
///
/// Why a search algorithm at all: the trial store, resume, reports and the hand-off to
/// `fully_train` then work as for every other search; the search itself happens inside
/// the trial, step by step, where the weights are.
public final class SupernetSearch: SearchBase {
  public let config: Config
  public let samples: Int
  private var handed = 0

  public init(config: Config, samples: Int = 1, objectives: [Objective] = [Objective("accuracy", .maximize)]) {
    self.config = config
    self.samples = max(1, samples)
    super.init(objectives: objectives)
  }

  public override func propose() -> Trial? {
    guard handed < samples else { return nil }
    handed += 1
    var c = config
    if samples > 1 { c["trainer.seed"] = .int(handed - 1) }
    return newTrial(c)
  }

  public override var exhausted: Bool { handed >= samples }

  public override var settings: JSON {
    .object(["type": .string("SupernetSearch"), "samples": JSON(samples),
             "keys": .array(config.keys.sorted().map { .string($0) })])
  }
}
