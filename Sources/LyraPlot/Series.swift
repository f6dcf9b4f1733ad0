/// One data series of an axes chart and how it is drawn.
public struct Series {
  /// How the points are drawn.
  public enum Mark: Equatable {
    /// Points joined by straight segments; a NaN breaks the line.
    case line
    /// Points only.
    case scatter
    /// Horizontal-then-vertical steps (the value holds until the next x): a best-so-far
    /// trace, or a Pareto front whose x is minimised.
    case stepPost
    /// Vertical-then-horizontal steps: a Pareto front whose x is maximised.
    case stepPre
    /// Bars at category indices 0, 1, … (bar charts); grouped when several bar series.
    case bars
    /// Histogram: `x` holds n+1 bin edges and `y` n counts.
    case histogram
  }

  public var mark: Mark
  public var x: [Double]
  public var y: [Double]
  public var label: String?
  public var color: String?
  /// Draw a marker at each point (always on for scatter).
  public var markers: Bool

  public init(mark: Mark, x: [Double], y: [Double], label: String? = nil, color: String? = nil, markers: Bool = false) {
    self.mark = mark
    self.x = x
    self.y = y
    self.label = label
    self.color = color
    self.markers = markers
  }

  /// (x, y) pairs that exist in both arrays (shorter array wins).
  var points: [(Double, Double)] { Array(zip(x, y)) }
}

/// Which way a step line turns at each point (see `Series.Mark.stepPost`/`stepPre`).
public enum StepMode { case post, pre }
