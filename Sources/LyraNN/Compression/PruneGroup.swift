/// One set of output channels that pruning keeps or removes as a unit: the outputs of one
/// convolution, or of several convolutions whose outputs a residual `Add` sums (they must
/// keep the same channels, so they share one mask).
///
/// A mask for the group has `channels` entries; entry i keeps or removes channel i of
/// every convolution in `convolutions`, of the depthwise convolutions in `depthwise`
/// (which filter those channels one by one), of the batch norms that follow, and the
/// matching input slice of every layer that reads them.
public struct PruneGroup: Equatable, CustomStringConvertible {
  /// Position in `Pruning.groups(model)`, the order masks are given in.
  public var index: Int
  /// Output channels of each member convolution.
  public var channels: Int
  /// Dotted names of the convolutions that produce these channels, in execution order.
  public var convolutions: [String]
  /// Dotted names of depthwise convolutions that carry these channels through.
  public var depthwise: [String]

  public var description: String {
    "group \(index): \(channels) channels of \(convolutions.joined(separator: ", "))"
      + (depthwise.isEmpty ? "" : " (depthwise: \(depthwise.joined(separator: ", ")))")
  }
}
