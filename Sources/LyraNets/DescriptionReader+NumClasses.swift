import LyraBase
import LyraNN

extension DescriptionReader {
  /// The class count of networks whose VEGA source spells it `num_classes` (FmdNetwork,
  /// GhostNetNas, NAGO, EfficientNet); `num_class` and `n_class` are accepted as for
  /// Lyra's other networks. More than one spelling at once is ambiguous.
  func numClasses(_ d: Int = 10) throws -> Int {
    let given = ["num_classes", "num_class", "n_class"].filter { object[$0] != nil }
    if given.count > 1 { throw DescriptionError("\(path): give one of \(given.joined(separator: ", ")), not several") }
    return try width(given.first ?? "num_classes", d)
  }
}
