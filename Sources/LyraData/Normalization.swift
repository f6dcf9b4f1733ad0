/// Per-channel mean and standard deviation on the [0, 1] pixel scale, as torchvision's
/// `Normalize` takes them: x = (pixel/255 − mean[c]) / std[c].
///
/// Kept as data (not a closure) so image datasets can fold it into a 256-entry lookup
/// table per channel and convert `UInt8` pixels at batch time without storing floats.
public struct Normalization: Equatable {
  public var mean: [Float]
  public var std: [Float]

  public init(mean: [Float], std: [Float]) {
    precondition(mean.count == std.count && !mean.isEmpty, "Normalization: need one mean and one std per channel")
    precondition(std.allSatisfy { $0 > 0 }, "Normalization: std must be positive, got \(std)")
    self.mean = mean
    self.std = std
  }

  /// Fashion-MNIST training-set statistics (docs/architecture.md#reference-models-and-benchmark-problems: (pixel/255 − 0.2860)/0.3530).
  public static let fashionMNIST = Normalization(mean: [0.2860], std: [0.3530])
  /// MNIST training-set statistics (the values PyTorch's examples use).
  public static let mnist = Normalization(mean: [0.1307], std: [0.3081])
  /// CIFAR-10 training-set per-channel statistics (R, G, B).
  public static let cifar10 = Normalization(mean: [0.4914, 0.4822, 0.4465], std: [0.2470, 0.2435, 0.2616])
  /// CIFAR-100 training-set per-channel statistics (R, G, B), the values its common training recipes use.
  public static let cifar100 = Normalization(mean: [0.5071, 0.4865, 0.4409], std: [0.2673, 0.2564, 0.2762])

  /// The mean and std for channel `c` of an image with `channels` channels; a single
  /// mean/std applies to every channel.
  func stats(channel c: Int) -> (mean: Float, std: Float) {
    mean.count == 1 ? (mean[0], std[0]) : (mean[c], std[c])
  }

  /// Normalised value of `value` (on the [0, 255] scale) in channel `c`.
  @inline(__always)
  public func apply(_ value: Float, channel c: Int) -> Float {
    let (m, s) = stats(channel: c)
    return (value / 255 - m) / s
  }

  /// lut[c][p] = normalised value of pixel p in channel c.
  func lookupTables(channels: Int) -> [[Float]] {
    (0 ..< channels).map { c in (0 ..< 256).map { apply(Float($0), channel: c) } }
  }
}
