import CLua
import Foundation
import LyraPlot

/// Methods of `lyra.plot.Plot`. Configuring methods change the plot and return it, so
/// calls chain: `lyra.plot.line(y):title('loss'):ylim(0, 1):save('loss.svg')`.
enum PlotMethods {
  // MARK: - Series (shared with the constructors; `first` is the first data argument)

  static func addLine(_ p: Plot, _ call: LuaCall, _ first: Int) throws -> (Plot, LuaOptions?) {
    let twoArrays = call.count > first && PlotData.isData(call, first + 1)
    let y = try PlotData.numbers(call, twoArrays ? first + 1 : first, what: "y")
    let x = twoArrays ? try PlotData.numbers(call, first, what: "x") : nil
    if let x, x.count != y.count { throw LuaFailure("x has \(x.count) values but y has \(y.count)") }
    let o = try call.options(twoArrays ? first + 2 : first + 1)
    let so = try SeriesOptions(o)
    return (p.line(x: x, y: y, label: so.label, markers: so.markers, color: so.color), o)
  }

  static func addScatter(_ p: Plot, _ call: LuaCall, _ first: Int, step: Bool) throws -> (Plot, LuaOptions?) {
    let x = try PlotData.numbers(call, first, what: "x"), y = try PlotData.numbers(call, first + 1, what: "y")
    if x.count != y.count { throw LuaFailure("x has \(x.count) values but y has \(y.count)") }
    let o = try call.options(first + 2)
    let so = try SeriesOptions(o, step: true)
    if step { return (p.step(x: x, y: y, label: so.label, mode: so.step, markers: so.markers, color: so.color), o) }
    if let o, let front = try o.ints("front") {
      // All points muted, the chosen ones (1-based) joined by a step line: a Pareto front.
      let label = try o.string("front_label") ?? "Pareto front"
      return (p.scatter(x: x, y: y, label: so.label, highlight: front.map { $0 - 1 }, highlightLabel: label, step: so.step), o)
    }
    return (p.scatter(x: x, y: y, label: so.label, color: so.color), o)
  }

  static func addHist(_ p: Plot, _ call: LuaCall, _ first: Int) throws -> (Plot, LuaOptions?) {
    let v = try PlotData.numbers(call, first, what: "values")
    let o = try call.options(first + 1)
    let so = try SeriesOptions(o, bins: true)
    return (p.histogram(v, bins: so.bins, label: so.label, color: so.color), o)
  }

  static func addBar(_ p: Plot, _ call: LuaCall, _ first: Int) throws -> (Plot, LuaOptions?) {
    let c = try PlotData.strings(call, first, what: "categories"), v = try PlotData.numbers(call, first + 1, what: "values")
    if c.count != v.count { throw LuaFailure("\(c.count) categories but \(v.count) values") }
    if !p.images.isEmpty { throw LuaFailure("an image grid cannot hold bars") }
    let o = try call.options(first + 2)
    let so = try SeriesOptions(o)
    return (p.bar(c, v, label: so.label, color: so.color), o)
  }

  /// A method that adds a series to the plot at argument 1 and returns it.
  static func series(_ name: String, help: String, _ add: @escaping (Plot, LuaCall) throws -> (Plot, LuaOptions?)) -> LuaMethod {
    LuaMethod(name, help: help) { call in
      let box = try PlotLua.check(call, 1)
      guard box.plot.images.isEmpty else { throw LuaFailure("an image grid has no axes to draw \(name) series on") }
      var (p, o) = try add(box.plot, call)
      p = try PlotOptions.decorate(p, o)
      try o?.finish()
      box.plot = p
      call.stack.pushValue(1)
      return 1
    }
  }

  /// A method that changes the plot and returns it.
  static func setter(_ name: String, help: String, _ change: @escaping (Plot, LuaCall) throws -> Plot) -> LuaMethod {
    LuaMethod(name, help: help) { call in
      let box = try PlotLua.check(call, 1)
      box.plot = try change(box.plot, call)
      call.stack.pushValue(1)
      return 1
    }
  }

  static func optText(_ call: LuaCall, _ i: Int) throws -> String? { call.isNil(i) ? nil : try call.string(i) }

  static func limits(_ call: LuaCall) throws -> (Double, Double)? {
    if call.isNil(2) && call.isNil(3) { return nil }
    let a = try call.number(2), b = try call.number(3)
    guard a.isFinite, b.isFinite, a != b else { throw LuaFailure("limits must be two different finite numbers, got \(a) and \(b)") }
    return (a, b)
  }

  // MARK: - The class

  static let all: [LuaMethod] = [
    series("line", help: "p:line([x,] y [, opts]) -> p\nAdds a line (opts: label, color, markers).") { try addLine($0, $1, 2) },
    series("scatter", help: "p:scatter(x, y [, opts]) -> p\nAdds points (opts: label, color, front, front_label, mode; see lyra.plot.scatter).") {
      try addScatter($0, $1, 2, step: false)
    },
    series("step", help: "p:step(x, y [, opts]) -> p\nAdds a step line (opts: mode = 'post' | 'pre', label, color, markers).") {
      try addScatter($0, $1, 2, step: true)
    },
    series("hist", help: "p:hist(values [, opts]) -> p\nAdds a histogram (opts: bins = 20, label, color).") { try addHist($0, $1, 2) },
    series("bar", help: "p:bar(categories, values [, opts]) -> p\nAdds bars; the same categories again give grouped bars.") {
      try addBar($0, $1, 2)
    },
    setter("title", help: "p:title(text) -> p\nSets the title (nil removes it).") { p, c in p.title(try optText(c, 2)) },
    setter("xlabel", help: "p:xlabel(text) -> p\nSets the x axis label.") { p, c in p.xlabel(try optText(c, 2)) },
    setter("ylabel", help: "p:ylabel(text) -> p\nSets the y axis label.") { p, c in p.ylabel(try optText(c, 2)) },
    setter("xlim", help: """
      p:xlim(lo, hi) -> p
      Fixes the x range (widened to the enclosing ticks); points outside are not drawn.
      p:xlim() returns to the data's range.
      """) { p, c in let r = try limits(c); return p.xlim(r?.0, r?.1) },
    setter("ylim", help: """
      p:ylim(lo, hi) -> p
      Fixes the y range (widened to the enclosing ticks); points outside are not drawn and
      bars are cut at the frame. p:ylim() returns to the data's range.
      """) { p, c in let r = try limits(c); return p.ylim(r?.0, r?.1) },
    setter("logy", help: "p:logy([on = true]) -> p\nLog-10 y axis; values <= 0 are skipped.") { p, c in p.logY(try c.optBool(2, true)) },
    setter("legend", help: "p:legend([on = true]) -> p\nShows or hides the legend (default: shown when a series has a label).") { p, c in
      p.legend(try c.optBool(2, true))
    },
    setter("size", help: "p:size(width, height) -> p\nSets the size in pixels (default 640x400).") { p, c in
      try PlotOptions.size(p, try c.integer(2), try c.integer(3), argument: 2)
    },
    LuaMethod.returning("svg", help: "p:svg() -> string\nThe plot as an SVG document.") { try PlotLua.check($0, 1).plot.svg() },
    LuaMethod("save", help: """
      p:save(path) -> path
      Writes the plot as an SVG file (atomically; the folder is created if missing).
      """) { call in
      let box = try PlotLua.check(call, 1)
      let path = try call.string(2)
      let ext = (path as NSString).pathExtension.lowercased()
      guard ext == "svg" else { throw LuaArgumentError(2, "plots are saved as SVG: use a .svg path, got '\(path)'") }
      try PlotLua.save(box.plot, to: path)
      call.push(path)
      return 1
    },
    LuaMethod("preview", help: """
      p:preview([width = 60, height = 12]) -> string
      A sketch of the plot in Unicode braille characters (shade blocks for images), for a terminal.
      """) { call in
      let box = try PlotLua.check(call, 1)
      let w = try call.optInteger(2, 60), h = try call.optInteger(3, 12)
      guard (10...400).contains(w), (2...200).contains(h) else { throw LuaFailure("preview size must be 10...400 x 2...200, got \(w)x\(h)") }
      call.push(box.plot.preview(width: w, height: h))
      return 1
    },
    LuaMethod("show", help: """
      p:show([path]) -> path
      Writes the plot (to path, or a new file in lyra.plot.dir()) and prints the path and a
      terminal sketch. This is what the REPL does with a plot value.
      """) { call in
      let box = try PlotLua.check(call, 1)
      let path = call.isNil(2) ? PlotLua.nextShowPath() : try call.string(2)
      try PlotLua.save(box.plot, to: path)
      print("[plot: \(box.plot.summary)] \(path)\n\(box.plot.preview(width: 56, height: 10))")
      call.push(path)
      return 1
    },
    LuaMethod("png", help: """
      p:png() -> base64, width, height
      An image grid as one PNG picture (base64 text, as notebooks store it); charts have no PNG form.
      """) { call in
      let box = try PlotLua.check(call, 1)
      guard let png = box.plot.png() else { throw LuaFailure("only a non-empty image plot has a PNG form; use p:svg() for charts") }
      call.push(Data(png.bytes).base64EncodedString())
      call.push(png.width)
      call.push(png.height)
      return 3
    },
  ]

  static let meta: [LuaMethod] = [
    LuaMethod("__tostring", help: "tostring(p): what kind of plot, its series and size.") { call in
      call.push("lyra.plot.Plot: " + (try PlotLua.check(call, 1).plot.summary))
      return 1
    },
    LuaMethod("__display", help: "How display(p) and a notebook show a plot: {['image/svg+xml'] = svg, ['text/plain'] = summary}.") { call in
      let p = try PlotLua.check(call, 1).plot
      call.stack.push(.table(array: [], fields: ["image/svg+xml": .string(p.svg()), "text/plain": .string("lyra.plot.Plot: " + p.summary)]))
      return 1
    },
    LuaMethod("__show", help: "How the REPL shows a plot value: p:show().") { call in
      let box = try PlotLua.check(call, 1)
      let path = PlotLua.nextShowPath()
      try PlotLua.save(box.plot, to: path)
      print("[plot: \(box.plot.summary)] \(path)\n\(box.plot.preview(width: 56, height: 10))")
      return 0
    },
  ]
}
