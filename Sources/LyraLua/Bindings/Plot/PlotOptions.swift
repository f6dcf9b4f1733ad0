import CLua
import LyraPlot

/// The options tables of `lyra.plot`: per-series ones (label, colour, markers, bins)
/// and whole-plot ones (title, axis labels, limits, size), read with `LuaOptions` so
/// an unknown key is an error naming the closest known one.
struct SeriesOptions {
  var label: String?
  var color: String?
  var markers = false
  var bins = 20
  var step: StepMode = .post

  init(_ o: LuaOptions?, bins allowBins: Bool = false, step allowStep: Bool = false) throws {
    guard let o else { return }
    label = try o.string("label")
    color = try o.string("color")
    markers = try o.bool("markers") ?? false
    if allowBins, let b = try o.int("bins") {
      guard b >= 1 && b <= 10_000 else { throw LuaArgumentError(Int(o.index), "option 'bins' must be in 1...10000, got \(b)") }
      bins = b
    }
    if allowStep, let m = try o.string("mode") {
      switch m {
      case "post": step = .post
      case "pre": step = .pre
      default: throw LuaArgumentError(Int(o.index), "option 'mode' must be 'post' or 'pre', got '\(m)'")
      }
    }
  }
}

enum PlotOptions {
  /// Applies title, xlabel, ylabel, width, height, legend, logy, xlim and ylim.
  static func decorate(_ p: Plot, _ o: LuaOptions?) throws -> Plot {
    guard let o else { return p }
    var p = p
    if let t = try o.string("title") { p = p.title(t) }
    if let t = try o.string("xlabel") { p = p.xlabel(t) }
    if let t = try o.string("ylabel") { p = p.ylabel(t) }
    let w = try o.int("width"), h = try o.int("height")
    if w != nil || h != nil { p = try size(p, w ?? p.width, h ?? p.height, argument: Int(o.index)) }
    if let on = try o.bool("legend") { p = p.legend(on) }
    if let on = try o.bool("logy") { p = p.logY(on) }
    if let r = try pair(o, "xlim") { p = p.xlim(r.0, r.1) }
    if let r = try pair(o, "ylim") { p = p.ylim(r.0, r.1) }
    return p
  }

  static func size(_ p: Plot, _ w: Int, _ h: Int, argument i: Int) throws -> Plot {
    guard (120...8000).contains(w), (80...8000).contains(h) else {
      throw LuaArgumentError(i, "size must be 120...8000 wide and 80...8000 high, got \(w)x\(h)")
    }
    return p.size(width: w, height: h)
  }

  /// A `{lo, hi}` pair of different finite numbers.
  static func pair(_ o: LuaOptions, _ key: String) throws -> (Double, Double)? {
    try o.pair(key, LuaItem.number, "a pair of different finite numbers {lo, hi}") { a, b in a.isFinite && b.isFinite && a != b }
  }
}
