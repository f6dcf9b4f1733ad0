import Foundation
import LyraNN
import LyraTensor

/// A resumable training checkpoint in one safetensors file (`checkpoint.safetensors`, TrialFile.trainerCheckpoint,
/// VEGA's `checkpoint.pth`): model parameters and buffers as `model.<name>`, optimiser
/// buffers and step counts as `optimizer.<key>`, and in the metadata the trainer state
/// (epochs completed, global step, scheduler step, best values) as JSON.
///
/// One file written atomically, so a crash leaves either the old or the new checkpoint,
/// never weights from one epoch with optimiser state from another.
public struct TrainerCheckpoint {
  public var model: [String: Tensor]
  public var optimizer: OptimizerState
  /// Epochs completed when it was written.
  public var epoch: Int
  public var globalStep: Int
  public var schedulerStep: Int
  public var bestPerfs: [String: Double]
  public var bestEpoch: Int?
  public var currentPerfs: [String: Double]

  public func write(to path: String) throws {
    var st = SafeTensors()
    for (name, t) in model { st.entries["model." + name] = .init(floats: t.contiguous().toArray(), shape: t.shape) }
    let o = optimizer.safeTensors
    for (k, e) in o.entries { st.entries["optimizer." + k] = e }
    for (k, v) in o.metadata { st.metadata["optimizer." + k] = v }
    var state: [String: JSON] = [
      "epoch": JSON(epoch), "global_step": JSON(globalStep), "scheduler_step": JSON(schedulerStep),
      "best_perfs": .object(bestPerfs.mapValues { .number($0) }),
      "current_perfs": .object(currentPerfs.mapValues { .number($0) }),
    ]
    if let bestEpoch { state["best_epoch"] = JSON(bestEpoch) }
    st.metadata["lyra.trainer"] = JSON.object(state).text
    st.metadata["format"] = "pt"
    do { try st.write(to: path) } catch {
      throw TrainerError.checkpoint("cannot write the checkpoint: \(FileAccessError.wrap(error, path: path, action: "write"))")
    }
  }

  public static func read(from path: String) throws -> TrainerCheckpoint {
    let st: SafeTensors
    do { st = try SafeTensors.read(from: path) } catch { throw TrainerError.checkpoint("\(path): \(error)") }
    guard let text = st.metadata["lyra.trainer"], let state = try? JSON.parse(Data(text.utf8)) else {
      throw TrainerError.checkpoint("\(path): no trainer state in the metadata (not a Lyra training checkpoint)")
    }
    var model: [String: Tensor] = [:]
    var opt = SafeTensors()
    for (k, e) in st.entries {
      if k.hasPrefix("model.") { model[String(k.dropFirst(6))] = Tensor(e.floats(), shape: e.shape) }
      else if k.hasPrefix("optimizer.") { opt.entries[String(k.dropFirst(10))] = e }
      else { throw TrainerError.checkpoint("\(path): unexpected entry '\(k)'") }
    }
    for (k, v) in st.metadata where k.hasPrefix("optimizer.") { opt.metadata[String(k.dropFirst(10))] = v }
    let optimizer: OptimizerState
    do { optimizer = try OptimizerState(safeTensors: opt) } catch { throw TrainerError.checkpoint("\(path): \(error)") }
    func perfs(_ key: String) -> [String: Double] { (state[key]?.object ?? [:]).compactMapValues(\.double) }
    guard let epoch = state["epoch"]?.int, let step = state["global_step"]?.int, let sched = state["scheduler_step"]?.int else {
      throw TrainerError.checkpoint("\(path): trainer state lacks epoch, global_step or scheduler_step")
    }
    return TrainerCheckpoint(model: model, optimizer: optimizer, epoch: epoch, globalStep: step, schedulerStep: sched,
                             bestPerfs: perfs("best_perfs"), bestEpoch: state["best_epoch"]?.int, currentPerfs: perfs("current_perfs"))
  }
}
