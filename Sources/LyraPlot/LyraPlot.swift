/// LyraPlot: SVG charts written in Swift (no browser, no Python, no dependencies), for
/// reports, notebooks and `lyra.plot` (DESIGN.md §8). Start from `Plot`.
public enum LyraPlotLayer {
  public static let name = "LyraPlot"
}
