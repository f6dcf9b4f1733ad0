import LyraBase
import LyraKernels

/// VEGA's data-parallel train steps, `HcclTrainStep` (Ascend NPUs over HCCL) and
/// `HorovodTrainStep` (GPUs over Horovod): each runs a TrainPipeStep whose batches are split
/// over the devices of one or more machines. Lyra has no such devices, so they run as a
/// TrainPipeStep on this machine, with the kernels' intra-op threads doing the parallel part
/// (one warning line says so). Training over several machines belongs to the multi-machine
/// store (issue 21), which does not exist yet; these steps would map onto it once it does.
enum DataParallelSteps {
  /// The VEGA step type → the devices it spreads training over (for the warning).
  static let devices = ["HcclTrainStep": "Ascend devices (HCCL)", "HorovodTrainStep": "GPUs (Horovod)"]

  /// The names `PipelineConfig.stepAliases` maps to TrainPipeStep.
  static var aliases: [String: String] { devices.mapValues { _ in "TrainPipeStep" } }

  /// One warning per step declared as a data-parallel step.
  static func warnings(steps: [(name: String, section: JSON)], warn: (String?, String) -> ConfigError) -> [ConfigError] {
    steps.compactMap { name, section in
      guard let type = section["pipe_step"]?["type"]?.string, let what = devices[type] else { return nil }
      let threads = KernelParallel.maxThreads
      return warn("\(name).pipe_step.type", "\(type): data-parallel training over \(what) is not available on CPU; " +
                  "training with \(threads) thread\(threads == 1 ? "" : "s") on this machine")
    }
  }
}
