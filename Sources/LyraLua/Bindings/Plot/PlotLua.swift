import LyraBase
import CLua
import Foundation
import LyraPlot

/// What a `lyra.plot.Plot` userdata holds. `Plot` is a value type whose modifiers return
/// copies; Lua's methods configure in place and return self (docs/architecture.md#lua-api-conventions), so the
/// userdata owns one mutable plot.
final class PlotBox {
  var plot: Plot
  init(_ plot: Plot) { self.plot = plot }
}

/// `lyra.plot`: SVG charts from Lua over LyraPlot (line, scatter, step, histogram, bar,
/// image grids), saved as files, shown in the REPL as a file plus a braille sketch, and
/// embedded in notebooks by `display(p)`.
enum PlotLua {
  static let className = "lyra.plot.Plot"

  static func push(_ p: Plot, _ s: LuaStack) { s.push(object: PlotBox(p), className: className) }

  static func check(_ call: LuaCall, _ i: Int) throws -> PlotBox {
    try call.object(i, PlotBox.self, what: className)
  }

  /// Where `p:show()` and the REPL write plots: `lyra.plot.dir(path)`, else `$LYRA_PLOT_DIR`,
  /// else `lyra-plots` in the temporary folder.
  nonisolated(unsafe) static var directory: String?
  nonisolated(unsafe) static var shown = 0

  static var plotDirectory: String {
    directory ?? ProcessInfo.processInfo.environment["LYRA_PLOT_DIR"]
      ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("lyra-plots")
  }

  static func open(_ state: LuaState) {
    state.defineClass(className, methods: PlotMethods.all, metamethods: PlotMethods.meta)
    let ctor = "plot options (below)"
    let plotOptions = "Plot options: title, xlabel, ylabel, width, height, legend, logy, xlim = {lo, hi},\nylim = {lo, hi}."
    state.register("lyra.plot.new", help: """
      lyra.plot.new([opts]) -> plot
      An empty chart to add series to with p:line, p:scatter, p:step, p:hist, p:bar.
      opts: plot options.
      \(plotOptions)
      """) { call in
      let o = try call.options(1)
      let p = try PlotOptions.decorate(Plot(), o)
      try o?.finish()
      push(p, call.stack)
      return 1
    }
    state.register("lyra.plot.line", help: """
      lyra.plot.line([x,] y [, opts]) -> plot
      A line chart of y (a table of numbers or a tensor) against x (default 1, 2, ...).
      opts: label, color ('#1f77b4'), markers (boolean), and \(ctor).
      \(plotOptions)
      Example: lyra.plot.line(losses, {label = 'train', title = 'loss', xlabel = 'epoch'})
      """) { call in try construct(call) { try PlotMethods.addLine(Plot(), call, 1) } }
    state.register("lyra.plot.scatter", help: """
      lyra.plot.scatter(x, y [, opts]) -> plot
      Points (x[i], y[i]). opts: label, color, front = {i, ...} (1-based indices of points
      joined by a step line: a Pareto front; front_label, mode = 'post' | 'pre'), and \(ctor).
      \(plotOptions)
      Example: lyra.plot.scatter(latency, accuracy, {front = {2, 5, 9}, xlabel = 'ms'})
      """) { call in try construct(call) { try PlotMethods.addScatter(Plot(), call, 1, step: false) } }
    state.register("lyra.plot.step", help: """
      lyra.plot.step(x, y [, opts]) -> plot
      A step line (a best-so-far trace, a Pareto front). opts: mode ('post': the value
      holds until the next x, or 'pre'), label, color, markers, and \(ctor).
      \(plotOptions)
      """) { call in try construct(call) { try PlotMethods.addScatter(Plot(), call, 1, step: true) } }
    state.register("lyra.plot.hist", help: """
      lyra.plot.hist(values [, opts]) -> plot
      A histogram of the finite values in equal bins from their min to their max.
      opts: bins (default 20), label, color, and \(ctor).
      \(plotOptions)
      """) { call in try construct(call) { try PlotMethods.addHist(Plot(), call, 1) } }
    state.register("lyra.plot.bar", help: """
      lyra.plot.bar(categories, values [, opts]) -> plot
      Bars for named categories ({'a', 'b'}, {3, 5}); p:bar with the same categories adds a
      grouped series. opts: label, color, and \(ctor).
      \(plotOptions)
      """) { call in try construct(call) { try PlotMethods.addBar(Plot(), call, 1) } }
    state.register("lyra.plot.image", help: """
      lyra.plot.image(images [, opts]) -> plot
      A grid of pictures from a tensor [H,W], [C,H,W] or [N,C,H,W] (C = 1 grey or 3 RGB) or
      a table of such tensors. Values in 0...1 are used as they are, others are stretched
      per image (normalize = 'auto'; or 'unit', 'minmax'). opts: columns, size (cell
      pixels, default 64, larger for one image), captions ({'cat', 'dog', ...}), title.
      Example: lyra.plot.image(batch[{{1, 16}}], {columns = 8, title = 'samples'})
      """) { call in try construct(call) { try image(call) } }
    state.register("lyra.plot.dir", help: """
      lyra.plot.dir([path]) -> path
      The folder where p:show() and the REPL write plots (default: $LYRA_PLOT_DIR or
      lyra-plots in the temporary folder); with an argument, sets it.
      """) { call in
      if !call.isNil(1) { directory = try call.string(1) }
      call.push(plotDirectory)
      return 1
    }
    state.stack.pushTable(path: "lyra.plot")
    state.setHelp(-1, name: "lyra.plot", help: """
      lyra.plot: SVG charts. lyra.plot.line/scatter/step/hist/bar/image make a plot;
      p:title, p:xlabel, p:xlim, p:legend, ... configure it (and return it); p:save('f.svg')
      writes it. In the REPL a plot value is written to a file shown with a terminal
      sketch; in a notebook display(p) embeds it.
      """)
    state.stack.pop()
    // Same function, the name numpy and matplotlib users reach for.
    _ = try? state.execute("lyra.plot.histogram = lyra.plot.hist")
  }

  /// Runs a constructor: `make` reads the data and series options; the trailing options
  /// table may also hold plot options.
  static func construct(_ call: LuaCall, _ make: () throws -> (Plot, LuaOptions?)) throws -> Int {
    var (p, o) = try make()
    p = try PlotOptions.decorate(p, o)
    try o?.finish()
    push(p, call.stack)
    return 1
  }

  static func image(_ call: LuaCall) throws -> (Plot, LuaOptions?) {
    let imgs = try PlotData.images(call, 1)
    let o = try call.options(2)
    var columns: Int?, size: Int?, norm = PlotImage.Normalization.auto
    var list = imgs
    if let o {
      columns = try o.int("columns")
      if let c = columns, c < 1 { throw LuaArgumentError(2, "option 'columns' must be positive, got \(c)") }
      size = try o.int("size")
      if let z = size, !(8...2048).contains(z) { throw LuaArgumentError(2, "option 'size' must be in 8...2048 pixels, got \(z)") }
      norm = try PlotData.normalization(try o.string("normalize"), argument: 2)
      if let caps = try o.list("captions", LuaItem.text) {
        for (k, c) in caps.prefix(list.count).enumerated() { list[k].caption = c }
      }
    }
    let longest = imgs.map { max($0.width, $0.height) }.max() ?? 1
    let cell = size ?? (imgs.count == 1 ? min(256, max(64, longest * 4)) : 64)
    return (Plot.images(list, columns: columns, cellSize: cell, normalization: norm), o)
  }

  /// Writes the plot to `path` (creating its folder), as SVG.
  static func save(_ p: Plot, to path: String) throws {
    let dir = PathText.parent(path)
    if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    do { try p.write(to: path) } catch {
      throw LuaFailure("cannot write \(path): \((error as NSError).localizedDescription)")
    }
  }

  /// A fresh file name in the plot folder for the REPL and `p:show()`.
  static func nextShowPath() -> String {
    shown += 1
    return (plotDirectory as NSString).appendingPathComponent("plot-\(getpid())-\(shown).svg")
  }
}
