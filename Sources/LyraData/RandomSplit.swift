import LyraBase

/// An invalid `random_split` request (sizes that do not cover the dataset).
public struct SplitError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// PyTorch's `torch.utils.data.random_split`: disjoint random parts that together cover
/// the dataset, sized by counts or by fractions.
public enum RandomSplit {
  /// Part sizes for `count` samples. `sizes` are counts summing to `count`, or fractions
  /// in [0, 1] summing to 1 (PyTorch's rule: floor(count · f) each, then the remainder
  /// one by one to the first parts, so {0.5, 0.5} of 5 gives {3, 2}).
  public static func lengths(count: Int, sizes: [Double]) throws -> [Int] {
    guard !sizes.isEmpty else { throw SplitError("give at least one size") }
    if let bad = sizes.first(where: { !$0.isFinite || $0 < 0 }) { throw SplitError("sizes must be >= 0, got \(bad)") }
    let total = sizes.reduce(0, +)
    var lengths: [Int]
    if abs(total - 1) < 1e-6 && total <= Double(count) {
      lengths = sizes.map { Int((Double(count) * $0).rounded(.down)) }
      let remainder = count - lengths.reduce(0, +)
      for i in 0 ..< max(0, remainder) { lengths[i % lengths.count] += 1 }
    } else {
      if let bad = sizes.first(where: { $0 != $0.rounded() }) {
        throw SplitError("sizes are counts or fractions summing to 1; \(bad) is neither an integer nor part of fractions summing to 1 (they sum to \(total))")
      }
      guard total < 1e18 else { throw SplitError("sizes sum to \(total), but the dataset has \(count) samples") }
      lengths = sizes.map { Int($0) }
    }
    let sum = lengths.reduce(0, +)
    guard sum == count else {
      throw SplitError("sizes sum to \(sum), but the dataset has \(count) samples; give counts that sum to \(count) or fractions that sum to 1")
    }
    return lengths
  }

  /// The 0-based indices of each part: a random permutation of 0..<count cut into `lengths`.
  public static func indices(count: Int, lengths: [Int], generator: Generator) -> [[Int]] {
    precondition(lengths.reduce(0, +) == count && lengths.allSatisfy { $0 >= 0 }, "RandomSplit: lengths must sum to count")
    let order = generator.permutation(count)
    var parts: [[Int]] = []
    var start = 0
    for n in lengths {
      parts.append(Array(order[start ..< start + n]))
      start += n
    }
    return parts
  }
}
