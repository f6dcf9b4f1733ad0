/// How a tensor shape is written in messages and printouts, the same way in every layer.
///
/// Why one place: the tensor ops, the modules and the Lua bindings each spelled shapes
/// themselves, so a message from one layer could write `[2, 3]` where another wrote
/// `2x3` for the same idea. Two spellings remain, each with its own job (`Style`).
public enum ShapeText {
  public enum Style: Sendable {
    /// `[2, 3, 4]` (`[]` for a 0-d tensor): error messages, as PyTorch writes sizes.
    case list
    /// `2x3x4` (`()` for a 0-d tensor): Torch7's way, in tensor printouts, module
    /// summaries and profile tables, where brackets would read as a nested list.
    case size
  }

  /// `shape` written in `style`: `[2, 3, 4]` or `2x3x4`.
  public static func format(_ shape: [Int], _ style: Style = .list) -> String {
    let parts = shape.map(String.init)
    switch style {
    case .list: return "[" + parts.joined(separator: ", ") + "]"
    case .size: return parts.isEmpty ? "()" : parts.joined(separator: "x")
    }
  }
}
