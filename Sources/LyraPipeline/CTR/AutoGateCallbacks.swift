import Foundation
import LyraBase
import LyraNN
import LyraNets
import LyraTensor

/// AutoFIS's search stage under VEGA's names: `AutoGateGrdaS1TrainerCallback` trains the
/// gates of an AutoGateModel with GRDA (`struc_optim.struct_lr`, `c`, `mu`) while the
/// optimiser trains the rest; `AutoGateS1TrainerCallback` lets the optimiser train the
/// gates too (VEGA's first AutoGate version; the retrain then keeps the `fis_ratio` largest).
/// After training it writes the kept pairs (non-zero gates; at most `fis_ratio` of all
/// pairs, largest |α| first) to `selected_pairs.json` in its work folder and in the task's
/// output folder, where the retrain stage reads them, and logs them.
final class AutoGateSearchCallback: TrainerCallback {
  let grda: Bool
  private var optimizer: GRDA?
  init(grda: Bool) { self.grda = grda }
  override var name: String { grda ? "AutoGateGrdaS1TrainerCallback" : "AutoGateS1TrainerCallback" }

  private func network() throws -> CTRNetwork {
    guard let n = trainer?.model as? CTRNetwork, n.kind == .autoGate, n.alpha != nil else {
      throw TrainerError.config(key: "trainer.callbacks", "\(name) needs model_desc type AutoGateModel with at least one pair")
    }
    return n
  }

  private var warmup: Int { trainer?.config.ctr?.gateWarmupEpochs ?? 0 }

  override func beforeTrain() throws {
    let n = try network()
    if grda && warmup > 0 { n.alpha!.storage.floats.update(repeating: 1, count: n.alpha!.count) }
  }

  override func beforeEpoch(_ epoch: Int) throws {
    guard grda, epoch == warmup, optimizer == nil else { return }
    let n = try network(), k = trainer?.config.ctr ?? CTRTrainerKeys()
    if warmup > 0 { n.alpha!.storage.floats.update(repeating: Float(n.options.alphaInitMean), count: n.alpha!.count) }
    n.gatesOwnedByGRDA = true
    do { optimizer = try GRDA([n.alpha!], lr: k.structLR, c: k.c, mu: k.mu) } catch { throw TrainerError.config(key: "trainer", "\(error)") }
  }

  override func afterTrainStep(_ step: Int) throws {
    guard let optimizer, let n = trainer?.model as? CTRNetwork else { return }
    if n.moveGateGradient() {
      optimizer.step()
      n.alpha?.grad = nil
    }
  }

  override func afterTrain() throws {
    let n = try network()
    var kept = n.keptPairs()
    if let r = n.options.fisRatio {
      let k = Int(Double(n.pairs.count) * r)
      kept = Array(kept.sorted { abs($0.alpha) > abs($1.alpha) }.prefix(k)).sorted { ($0.pair.0, $0.pair.1) < ($1.pair.0, $1.pair.1) }
    }
    let json = JSON.object([
      "selected_pairs": .array(kept.map { .array([JSON($0.pair.0), JSON($0.pair.1)]) }),
      "alpha": .array(kept.map { .number(Double($0.alpha)) }),
      "candidates": JSON(n.pairs.count),
    ])
    trainer?.log("[\(name)] kept \(kept.count) of \(n.pairs.count) pairs: " + kept.map { "(\($0.pair.0),\($0.pair.1)) α=\(String(format: "%.3f", $0.alpha))" }.joined(separator: " "))
    for f in [trainer?.workDir, AutoGatePairsFile.taskOutput(trainer?.workDir)].compactMap({ $0 }) {
      try FileManager.default.createDirectory(atPath: f, withIntermediateDirectories: true)
      try Data((json.description + "\n").utf8).write(to: URL(fileURLWithPath: f + "/" + AutoGatePairsFile.name))
    }
  }
}

/// AutoFIS's retrain stage (`AutoGateS2TrainerCallback`, `AutoGateGrdaS2TrainerCallback`):
/// before training, replaces the model by a fresh AutoGateModel of the same settings over the
/// pairs the search stage kept (`selected_pairs.json` in the task's output folder).
final class AutoGateRetrainCallback: TrainerCallback {
  let vegaName: String
  init(_ name: String) { vegaName = name }
  override var name: String { vegaName }

  override func initTrainer() throws {
    guard let t = trainer, let n = t.model as? CTRNetwork, n.kind == .autoGate else {
      throw TrainerError.config(key: "trainer.callbacks", "\(vegaName) needs model_desc type AutoGateModel")
    }
    guard let dir = AutoGatePairsFile.taskOutput(t.workDir) else {
      throw TrainerError.config(key: "trainer.callbacks", "\(vegaName): no task folder to read the search stage's selected_pairs.json from")
    }
    let path = dir + "/" + AutoGatePairsFile.name
    guard let data = FileManager.default.contents(atPath: path) else {
      throw TrainerError.config(key: "trainer.callbacks", "\(vegaName): \(path) does not exist (run the AutoGate search stage first in this task)")
    }
    let pairs = try (JSON.parse(data)["selected_pairs"]?.array ?? []).map { v -> (Int, Int) in
      guard let a = v.array, a.count == 2, let i = a[0].int, let j = a[1].int else { throw TrainerError.input("\(path): bad pair \(v.text)") }
      return (i, j)
    }
    var o = n.options
    o.selectedPairs = pairs
    o.emptyMeansNone = true
    o.alphaInitMean = 1
    Tensor.manualSeed(t.config.seed)
    do { t.model = try CTRNetwork(.autoGate, inputDim: n.inputDim, fields: n.fields, embedDim: n.embedDim, options: o) } catch {
      throw TrainerError.config(key: "model", "\(error)")
    }
    t.log("[\(vegaName)] retraining over \(pairs.count) pairs from \(path): " + pairs.map { "(\($0.0),\($0.1))" }.joined(separator: " "))
  }
}

enum AutoGatePairsFile {
  static let name = "selected_pairs.json"
  /// `<task>/output` for a trial folder `<task>/workers/<step>/<id>`.
  static func taskOutput(_ workDir: String?) -> String? {
    guard let w = workDir else { return nil }
    let parts = (w as NSString).pathComponents
    guard parts.count > 3, parts[parts.count - 3] == TaskLayout.workersFolderName else { return nil }
    return NSString.path(withComponents: Array(parts.dropLast(3))) + "/" + TaskLayout.outputFolderName
  }
}
