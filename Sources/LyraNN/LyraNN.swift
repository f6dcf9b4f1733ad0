/// The `LyraNN` layer (docs/architecture.md#layers). Its contents arrive with the issue that builds it;
/// the target exists from the start so the layering is fixed and checked by the compiler.
public enum LyraNNLayer {
  /// The layer's name, for diagnostics.
  public static let name = "LyraNN"
}
