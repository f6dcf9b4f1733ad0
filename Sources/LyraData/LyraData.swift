/// The `LyraData` layer (DESIGN.md §1, §4): datasets, readers (IDX, CIFAR-10 binary, CSV),
/// a seeded prefetching `DataLoader` and the AutoAugment/PBA augmentation ops.
///
/// Batches are plain Swift values (`Batch`) so this layer does not depend on the tensor
/// type; a higher layer turns them into tensors.
public enum LyraDataLayer {
  /// The layer's name, for diagnostics.
  public static let name = "LyraData"
}
