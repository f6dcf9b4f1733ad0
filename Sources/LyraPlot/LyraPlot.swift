/// LyraPlot: SVG charts written in Swift (no browser, no Python, no dependencies), for
/// reports, notebooks and `lyra.plot` (docs/architecture.md#console-and-notebook-output). Start from `Plot`.
public enum LyraPlotLayer {
  public static let name = "LyraPlot"
}
