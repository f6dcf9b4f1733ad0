/// LyraPlot: SVG charts written in Swift (no browser, no Python), for reports,
/// notebooks and `lyra.plot` (DESIGN.md §8).
public enum LyraPlotLayer {
  public static let name = "LyraPlot"
}
