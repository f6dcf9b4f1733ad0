import LyraKernels
import LyraTensor

/// Inference-time fusion of a convolution stage with the max pooling after it: a `Sequential`
/// running conv (→ BN) (→ ReLU) → MaxPool2d without gradients runs the stage on a few images at
/// a time and pools each group while its output is still in cache.
///
/// Why: the stage's output for a whole batch (the reference CNN's first block: 256 images ×
/// 32 × 28 × 28 floats, 26 MB) goes to memory and is read back by the pooling; a profile of CNN
/// inference had the 2×2 pooling at 16 % of the time, nearly all of it waiting on memory. Every
/// op in the stage works image by image in evaluation (batch norm uses its running statistics),
/// so the result is the same, bit for bit. Training and gradient recording never take this path.
///
/// Only on one kernel thread (`threadLimit`), which is how a search runs its parallel trials.
/// Measured on the 2-vCPU AVX-512 Xeon (reference CNN inference, batch 256, three alternating
/// runs each): 1 thread 7,900–8,700 img/s whole-batch against 10,200–10,600 in 512 KiB groups
/// (+22 %); 2 threads 13,400–18,000 against 15,100–15,300 (512 KiB) and 15,500–17,200 (2 MiB):
/// each group's conv, batch norm and pooling open their own parallel regions, and on two
/// threads those regions cost what the cache saves.
public enum PoolFusion {
  /// The stage output, in bytes, one group may produce (L2-sized on the machines Lyra targets).
  nonisolated(unsafe) public static var groupBytes = 512 * 1024
  /// The most kernel threads (`KernelParallel.maxThreads`) at which the grouping runs.
  nonisolated(unsafe) public static var threadLimit = 1

  /// When modules[i...] is conv (→ BN) (→ ReLU) → MaxPool2d, all in evaluation mode: the stage's
  /// length (modules before the pool) and the pool.
  static func match(_ modules: [Module], at i: Int) -> (stage: Int, pool: MaxPool2d)? {
    guard KernelParallel.maxThreads <= threadLimit else { return nil }
    guard i < modules.count, modules[i] is Conv2d || modules[i] is QuantConv2d, !modules[i].training else { return nil }
    var j = i + 1
    if j < modules.count, let bn = modules[j] as? BatchNorm, bn.spatial, !bn.training { j += 1 }
    if j < modules.count, type(of: modules[j]) == ReLU.self { j += 1 }
    guard j < modules.count, let pool = modules[j] as? MaxPool2d else { return nil }
    return (j - i, pool)
  }

  /// pool(stage(x)), `stage` applied to groups of images along dimension 0.
  static func run(_ x: Tensor, pool: MaxPool2d, stage: (Tensor) throws -> Tensor) throws -> Tensor {
    let n = x.shape[0]
    guard n > 1 else { return try pool(stage(x)) }
    let first = try stage(x.narrow(0, 0, 1))
    let perImage = max(1, first.count * 4)
    let group = max(1, min(n, groupBytes / perImage))
    if group >= n { return try pool(stage(x)) }
    let firstPooled = try pool(first)
    let out = Tensor.empty([n] + Array(firstPooled.shape.dropFirst()))
    let row = firstPooled.count
    out.data.update(from: firstPooled.contiguous().data, count: row)
    var b = 1
    while b < n {
      let m = min(group, n - b)
      let pooled = try pool(stage(x.narrow(0, b, m))).contiguous()
      (out.data + b * row).update(from: pooled.data, count: m * row)
      b += m
    }
    return out
  }
}
