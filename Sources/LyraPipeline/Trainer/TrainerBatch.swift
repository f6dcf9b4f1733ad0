import LyraData
import LyraTensor

/// Turns a loader's `Batch` into model input and target (VEGA's `make_batch`):
/// features as a float tensor of the batch's shape ([N, C, H, W] images, [N, F] rows) and
/// labels as an int32 tensor [N] (0-based classes, as Lyra's readers produce them).
public enum TrainerBatch {
  public typealias Maker = (Batch) throws -> (input: Tensor, target: Tensor)

  public static func standard(_ b: Batch) throws -> (input: Tensor, target: Tensor) {
    (Tensor(b.data, shape: b.shape), Tensor(indices: b.labels.map { Int($0) }))
  }
}
