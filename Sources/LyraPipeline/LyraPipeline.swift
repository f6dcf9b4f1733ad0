import LyraSearch

/// Objectives the pipeline reports on, re-exported for its callers.
public typealias PipelineObjective = Objective
import LyraNets
import LyraData
import LyraONNX

/// The `LyraPipeline` layer (DESIGN.md §1). Its contents arrive with the pipeline issue;
/// the target exists from the start so the layering is fixed and checked by the compiler.
public enum LyraPipelineLayer {
  /// The layer's name, for diagnostics.
  public static let name = "LyraPipeline"
  /// The layers below, in import order (a compile-time check that they exist).
  public static let below = [LyraNetsLayer.name, LyraDataLayer.name, LyraONNXLayer.name]
}
