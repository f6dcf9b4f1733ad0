import Foundation

/// A chart, built by chaining: `Plot.line(x: xs, y: ys, label: "loss").title("Training").svg()`.
///
/// A value type: every modifier returns a changed copy, so a half-built plot can be
/// reused. Three kinds share the type — axes charts (line, scatter, step, histogram),
/// bar charts (categories on x) and image grids — so Lua's `lyra.plot` needs one userdata.
/// Rendering is deterministic: the same plot gives the same SVG bytes.
public struct Plot {
  public internal(set) var series: [Series] = []
  /// Category names of a bar chart (x positions 0, 1, …); nil otherwise.
  public internal(set) var categories: [String]?
  public internal(set) var images: [PlotImage] = []
  var imageColumns: Int?
  var imageCellSize: Int = 64
  var normalization: PlotImage.Normalization = .auto
  var titleText: String?
  var xLabelText: String?
  var yLabelText: String?
  var yLog = false
  /// x values are counts (epochs, trials): ticks only at whole numbers.
  var xIntegers = false
  var legendMode: Bool?
  /// Axis ranges fixed by `xlim`/`ylim` (see AxisLimits.swift); nil: from the data.
  var xLimits: ClosedRange<Double>?
  var yLimits: ClosedRange<Double>?
  public internal(set) var width = 640
  public internal(set) var height = 400

  public init() {}

  // MARK: Starting a plot

  public static func line(x: [Double]? = nil, y: [Double], label: String? = nil, markers: Bool = false) -> Plot {
    Plot().line(x: x, y: y, label: label, markers: markers)
  }

  public static func scatter(x: [Double], y: [Double], label: String? = nil) -> Plot {
    Plot().scatter(x: x, y: y, label: label)
  }

  /// Scatter with a highlighted subset drawn as a step line (see the instance method).
  public static func scatter(x: [Double], y: [Double], label: String? = nil, highlight: [Int],
                             highlightLabel: String? = "Pareto front", step: StepMode = .post) -> Plot {
    Plot().scatter(x: x, y: y, label: label, highlight: highlight, highlightLabel: highlightLabel, step: step)
  }

  public static func step(x: [Double], y: [Double], label: String? = nil, mode: StepMode = .post, markers: Bool = false) -> Plot {
    Plot().step(x: x, y: y, label: label, mode: mode, markers: markers)
  }

  public static func histogram(_ values: [Double], bins: Int = 20, label: String? = nil) -> Plot {
    Plot().histogram(values, bins: bins, label: label)
  }

  public static func bar(_ categories: [String], _ values: [Double], label: String? = nil) -> Plot {
    Plot().bar(categories, values, label: label)
  }

  public static func images(_ images: [PlotImage], columns: Int? = nil, cellSize: Int = 64,
                            normalization: PlotImage.Normalization = .auto) -> Plot {
    var p = Plot()
    p.images = images
    p.imageColumns = columns
    p.imageCellSize = max(8, cellSize)
    p.normalization = normalization
    return p
  }

  // MARK: Adding series

  /// A line; `x` defaults to 1, 2, … (epochs, trial numbers).
  public func line(x: [Double]? = nil, y: [Double], label: String? = nil, markers: Bool = false, color: String? = nil) -> Plot {
    adding(Series(mark: .line, x: x ?? y.indices.map { Double($0 + 1) }, y: y, label: label, color: color, markers: markers))
  }

  public func scatter(x: [Double], y: [Double], label: String? = nil, color: String? = nil) -> Plot {
    adding(Series(mark: .scatter, x: x, y: y, label: label, color: color, markers: true))
  }

  /// Scatter of all points with a highlighted subset (by index) drawn on top as a step
  /// line with markers — the Pareto front of a two-objective search.
  public func scatter(x: [Double], y: [Double], label: String? = nil, highlight: [Int],
                      highlightLabel: String? = "Pareto front", step: StepMode = .post) -> Plot {
    let idx = highlight.filter { $0 >= 0 && $0 < min(x.count, y.count) }
    var pts: [(x: Double, y: Double)] = idx.map { (x: x[$0], y: y[$0]) }
    pts = pts.filter { $0.x.isFinite && $0.y.isFinite }
    pts.sort { a, b in a.x < b.x || (a.x == b.x && a.y < b.y) }
    return scatter(x: x, y: y, label: label, color: Palette.muted)
      .step(x: pts.map { $0.x }, y: pts.map { $0.y }, label: highlightLabel, mode: step, markers: true)
  }

  /// A step line (points in the given order): best-so-far traces, Pareto fronts.
  public func step(x: [Double], y: [Double], label: String? = nil, mode: StepMode = .post, markers: Bool = false,
                   color: String? = nil) -> Plot {
    adding(Series(mark: mode == .post ? .stepPost : .stepPre, x: x, y: y, label: label, color: color, markers: markers))
  }

  /// A histogram of the finite values in `bins` equal bins from their min to their max.
  public func histogram(_ values: [Double], bins: Int = 20, label: String? = nil, color: String? = nil) -> Plot {
    let v = values.filter(\.isFinite)
    let n = min(max(1, bins), 10_000) // more bins than pixels draws nothing more
    guard var lo = v.min(), var hi = v.max() else {
      return adding(Series(mark: .histogram, x: [], y: [], label: label, color: color))
    }
    if lo == hi {
      // ±0.5 vanishes next to 4e20; widen relative to the value so the bin has a width.
      let half = Swift.max(0.5, abs(lo) * 1e-9)
      (lo, hi) = (lo - half, hi + half)
    }
    // Halves keep every difference finite even for values near ±Double.greatestFiniteMagnitude.
    let span = hi / 2 - lo / 2
    var counts = [Double](repeating: 0, count: n)
    for x in v {
      let f = (x / 2 - lo / 2) / span * Double(n)
      counts[f.isFinite ? Int(Swift.min(Double(n - 1), Swift.max(0, f))) : 0] += 1
    }
    let edges = (0...n).map { $0 == n ? hi : lo + 2 * (span * Double($0) / Double(n)) }
    return adding(Series(mark: .histogram, x: edges, y: counts, label: label, color: color))
  }

  /// Bars for named categories; a second call with the same categories groups the bars.
  public func bar(_ categories: [String], _ values: [Double], label: String? = nil, color: String? = nil) -> Plot {
    var p = self
    if p.categories == nil || p.categories!.count < categories.count { p.categories = categories }
    return p.adding(Series(mark: .bars, x: values.indices.map(Double.init), y: values, label: label, color: color))
  }

  func adding(_ s: Series) -> Plot {
    var p = self
    p.series.append(s)
    return p
  }

  // MARK: Decoration

  public func title(_ s: String?) -> Plot { with { $0.titleText = s } }
  public func xlabel(_ s: String?) -> Plot { with { $0.xLabelText = s } }
  public func ylabel(_ s: String?) -> Plot { with { $0.yLabelText = s } }
  /// Log-10 y axis; values ≤ 0 are skipped.
  public func logY(_ on: Bool = true) -> Plot { with { $0.yLog = on } }
  /// Ticks of the x axis at whole numbers only (x counts epochs, trials, ...).
  public func integerX(_ on: Bool = true) -> Plot { with { $0.xIntegers = on } }
  /// Forces the legend on or off (default: shown when any series has a label).
  public func legend(_ on: Bool) -> Plot { with { $0.legendMode = on } }
  public func size(width: Int, height: Int) -> Plot { with { $0.width = max(120, width); $0.height = max(80, height) } }

  func with(_ f: (inout Plot) -> Void) -> Plot {
    var p = self
    f(&p)
    return p
  }

  // MARK: Output

  /// The chart as a standalone SVG document (also valid inline in HTML).
  public func svg() -> String {
    images.isEmpty ? AxesRenderer(plot: self).render() : ImageGridRenderer(plot: self).render()
  }

  /// Writes `svg()` to `path` (atomically).
  public func write(to path: String) throws {
    try Data(svg().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
  }
}
