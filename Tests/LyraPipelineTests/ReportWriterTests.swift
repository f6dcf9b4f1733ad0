import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

final class ReportWriterTests: XCTestCase {
  /// A task folder with a two-objective search step (12 trials, one failed, curves for some)
  /// and a one-objective fully-train step. Set LYRA_REPORT_KEEP=<dir> to keep it for a look.
  func makeTask() throws -> String {
    let keep = ProcessInfo.processInfo.environment["LYRA_REPORT_KEEP"]
    let root = keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("lyra-report-\(getpid())").path
    try? FileManager.default.removeItem(atPath: root)
    let out = try TaskOutput(root: root)
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    var nas: [TrialRecord] = []
    for i in 0..<12 {
      let lr = [0.1, 0.03, 0.01, 0.003][i % 4], width = [16, 32, 64][i % 3]
      let acc = 0.70 + 0.02 * Double(i % 5) + 0.01 * Double(width) / 16 - abs(lr - 0.01) * 0.5
      let flops = Double(width) * 0.05 + Double(i % 2) * 0.3
      var r = TrialRecord(step: "nas", workerID: i, desc: .object(["type": .string("SimpleCnn"), "width": JSON(width)]),
                          hps: .object(["trainer": .object(["lr": .number(lr), "epochs": JSON(3), "optimizer": .string("SGD<m>")])]),
                          performance: ["accuracy": acc, "flops": flops, "params": Double(width) * 1000],
                          objectives: [Objective("accuracy", .maximize), Objective("flops")], status: i == 7 ? .failed : .finished,
                          epochs: 3)
      if i == 7 { r.performance = ["accuracy": .nan]; r.message = "loss became NaN at epoch 2 | stopped" }
      r.startTime = t0.addingTimeInterval(Double(i) * 40)
      r.endTime = t0.addingTimeInterval(Double(i) * 40 + 55)
      nas.append(r)
      try out.writeTrialFiles(r)
      if i % 3 == 0 || i == 11 || i == 4 {
        var c = LearningCurve()
        for e in 1...3 {
          c.append(epoch: Double(e), ["loss": 1.0 / Double(e) + Double(i) * 0.01, "accuracy": acc - 0.1 / Double(e),
                                      "valid_loss": i == 3 && e == 2 ? .nan : 1.2 / Double(e)])
        }
        try c.write(to: LearningCurve.path(taskRoot: root, step: "nas", workerID: i))
      }
    }
    var train: [TrialRecord] = []
    for i in 0..<3 {
      var r = TrialRecord(step: "fully_train", workerID: i, desc: .object(["type": .string("SimpleCnn"), "width": JSON(64)]),
                          hps: .object(["trainer": .object(["lr": .number(0.01), "epochs": JSON(20)])]),
                          performance: ["accuracy": 0.90 + 0.01 * Double(i)], objectives: [Objective("accuracy", .maximize)],
                          epochs: 20)
      r.startTime = t0.addingTimeInterval(600)
      r.endTime = t0.addingTimeInterval(900 + Double(i) * 60)
      train.append(r)
      var c = LearningCurve()
      for e in 1...20 { c.append(epoch: Double(e), ["loss": 2.0 * exp(-Double(e) / 5) + 0.05 * Double(i), "accuracy": 0.9 - 0.4 * exp(-Double(e) / 4)]) }
      try c.write(to: LearningCurve.path(taskRoot: root, step: "fully_train", workerID: i))
    }
    try out.writeStepOutput("nas", records: Array(nas.prefix(2)))
    try out.writeReports(steps: [.init(name: "nas", status: "finished", startTime: t0, endTime: t0.addingTimeInterval(520), numModels: 12),
                                 .init(name: "fully_train", status: "finished", startTime: t0.addingTimeInterval(600),
                                       endTime: t0.addingTimeInterval(1020), numModels: 3)],
                         records: ["nas": nas, "fully_train": train])
    return root
  }

  /// Every `<svg>…</svg>` fragment in `html`.
  func svgFragments(_ html: String) -> [String] {
    var out: [String] = []
    var rest = html[...]
    while let a = rest.range(of: "<svg "), let b = rest.range(of: "</svg>", range: a.upperBound..<rest.endIndex) {
      out.append(String(rest[a.lowerBound..<b.upperBound]))
      rest = rest[b.upperBound...]
    }
    return out
  }

  func testWritesMarkdownAndHTML() throws {
    let root = try makeTask()
    defer { if ProcessInfo.processInfo.environment["LYRA_REPORT_KEEP"] == nil { try? FileManager.default.removeItem(atPath: root) } }
    try FileManager.default.createDirectory(atPath: root + "/output/report_plots", withIntermediateDirectories: true)
    try Data("old".utf8).write(to: URL(fileURLWithPath: root + "/output/report_plots/renamed_step_pareto.svg"))
    let result = try TaskOutput(root: root).writeReport()
    let md = try String(contentsOfFile: result.markdown, encoding: .utf8)
    let html = try String(contentsOfFile: result.html, encoding: .utf8)

    // Summary and per-step tables.
    XCTAssertTrue(md.contains("| nas | finished | 12 | 11 | 1 | accuracy = "), md)
    XCTAssertTrue(md.contains("| fully_train | finished | 3 | 3 | 0 | accuracy = 0.92 (trial 2) | 7 min |"), md)
    XCTAssertTrue(md.contains("## Step `nas`"))
    XCTAssertTrue(md.contains("Objectives: accuracy (max), flops (MFLOPs, min)"), "units on static metrics")
    XCTAssertTrue(md.contains("| Rank | Trial | Pareto | accuracy (max) | flops (MFLOPs, min) | params (K params) |"), md)
    XCTAssertTrue(md.contains("| 1 | 2 | 0.92 |") || md.contains("| 1 | 2 |"), md)
    XCTAssertTrue(md.contains("| Rank | Trial | accuracy (max) |"), "one objective: no Pareto column")
    XCTAssertTrue(md.contains("loss became NaN at epoch 2 \\| stopped"), "pipes in cells are escaped")
    XCTAssertTrue(md.contains("`trainer.epochs` = `3`"), "constant settings are listed once")
    XCTAssertTrue(md.contains("### Pareto front") && md.contains("](report_plots/nas_pareto.svg)"))
    XCTAssertTrue(md.contains("](report_plots/fully_train_history.svg)"))
    XCTAssertTrue(md.contains("![Training loss per epoch](report_plots/nas_curve_1.svg)"), md)
    XCTAssertFalse(md.contains("fully_train_pareto"), "a one-objective step has no Pareto plot")
    for p in result.plots { XCTAssertTrue(FileManager.default.fileExists(atPath: p), p) }
    XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/output/report_plots/renamed_step_pareto.svg"), "stale plots are removed")

    // HTML: inline, well-formed SVGs and no external resources.
    let svgs = svgFragments(html)
    XCTAssertEqual(svgs.count, result.plots.count)
    XCTAssertGreaterThanOrEqual(svgs.count, 2 + 1 + 3 + 2, "best-so-far ×2, Pareto, nas curves (loss, valid_loss, accuracy), fully_train curves")
    for s in svgs { XCTAssertTrue(XMLParser(data: Data(s.utf8)).parse(), String(s.prefix(300))) }
    let stripped = html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
      .replacingOccurrences(of: "http://www.w3.org/1999/xlink", with: "")
    XCTAssertFalse(stripped.contains("http://") || stripped.contains("https://") || stripped.contains("//cdn"))
    XCTAssertFalse(html.contains("<script") || html.contains("<link") || html.contains(" src="))
    XCTAssertTrue(html.contains("SGD&lt;m&gt;") || !html.contains("SGD<m>"), "config text is escaped")
    XCTAssertFalse(html.contains("SGD<m>"))
    XCTAssertTrue(html.contains("<style>") && html.contains("<table>"))
    // The body outside the SVGs is balanced too: strip the doctype and parse the whole page as XML.
    let xml = html.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "").replacingOccurrences(of: "<meta charset=\"utf-8\">", with: "<meta charset=\"utf-8\"/>")
    XCTAssertTrue(XMLParser(data: Data(xml.utf8)).parse(), "report.html is well-formed XHTML-compatible markup")
  }

  func testAnalysis() throws {
    let root = try makeTask()
    defer { if ProcessInfo.processInfo.environment["LYRA_REPORT_KEEP"] == nil { try? FileManager.default.removeItem(atPath: root) } }
    let report = try TaskReport.load(taskRoot: root)
    XCTAssertEqual(report.steps.map(\.name), ["nas", "fully_train"])
    let a = StepAnalysis(report.steps[0])
    XCTAssertEqual(a.ranked.count, 11)
    XCTAssertFalse(a.ranked.contains { $0.workerID == 7 })
    for (x, y) in zip(a.ranked, a.ranked.dropFirst()) { XCTAssertGreaterThanOrEqual(x.value(0)!, y.value(0)!) }
    // The front: nobody on it is dominated, everybody off it is.
    let front = a.paretoIDs
    XCTAssertFalse(front.isEmpty)
    for t in a.ranked {
      let dominated = a.ranked.contains { u in u.value(0)! >= t.value(0)! && u.value(1)! <= t.value(1)! && (u.value(0)! > t.value(0)! || u.value(1)! < t.value(1)!) }
      XCTAssertEqual(front.contains(t.workerID), !dominated, "trial \(t.workerID)")
    }
    let (xs, vs, byTime) = a.timeline()
    XCTAssertTrue(byTime)
    XCTAssertEqual(xs.count, 12)
    XCTAssertEqual(xs.first!, 55.0 / 60, accuracy: 1e-9)
    let best = a.bestSoFar(vs)
    XCTAssertEqual(best.last, a.ranked.first!.value(0))
    XCTAssertTrue(zip(best, best.dropFirst()).allSatisfy { !$0.0.isFinite || $0.1 >= $0.0 })
  }

  func testCurveFormatRoundTrip() throws {
    var c = LearningCurve()
    c.append(epoch: 1, ["loss": 0.5, "accuracy": 0.8])
    c.append(epoch: 1.5, ["loss": .nan])
    let j = try JSON.parse(Data(c.json.text.utf8))
    XCTAssertEqual(j.array?.first?["epoch"], .number(1))
    let back = LearningCurve(json: j)
    XCTAssertEqual(back.points.count, 2)
    XCTAssertEqual(back.points[0].values, ["loss": 0.5, "accuracy": 0.8])
    XCTAssertTrue(back.points[1].values["loss"]!.isNaN)
    XCTAssertEqual(back.keys, ["loss", "accuracy"])
    XCTAssertNil(LearningCurve.read("/nonexistent/curve.json"))
    XCTAssertEqual(LearningCurve(json: try JSON.parse(Data(#"[{"loss": 1}, {"epoch": 2, "note": "x", "m": null}]"#.utf8))).points.count, 1)
  }

  /// Unstarted, running and all-failed steps, three objectives, a step name that needs
  /// escaping, and a curve file that is not JSON: the report still comes out whole.
  func testOddTasks() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-report-odd-\(getpid())").path
    try? FileManager.default.removeItem(atPath: root)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let out = try TaskOutput(root: root)
    let objs = [Objective("acc", .maximize), Objective("latency"), Objective("params")]
    let three = (0..<6).map { i in
      TrialRecord(step: "a<b", workerID: i, desc: .null, hps: .object(["x": .number(Double(i))]),
                  performance: ["acc": Double(i % 3), "latency": Double(6 - i), "params": Double(i * i)], objectives: objs,
                  status: i == 5 ? .running : .finished)
    }
    let failed = (0..<2).map { i in
      TrialRecord(step: "broken", workerID: i, desc: .null, hps: .null, objectives: [Objective("loss")], status: .failed)
    }
    try FileManager.default.createDirectory(atPath: out.layout.workerFolder("a<b", 4), withIntermediateDirectories: true)
    try Data("not json".utf8).write(to: URL(fileURLWithPath: LearningCurve.path(taskRoot: root, step: "a<b", workerID: 4)))
    try out.writeReports(steps: [.init(name: "a<b", status: "running"), .init(name: "broken", status: "error", message: "all trials failed"),
                                 .init(name: "later", status: "unstarted")],
                         records: ["a<b": three, "broken": failed])
    let r = try ReportWriter(taskRoot: root).write()
    let md = try String(contentsOfFile: r.markdown, encoding: .utf8)
    let html = try String(contentsOfFile: r.html, encoding: .utf8)
    XCTAssertTrue(md.contains("| a&lt;b | running | 6 | 5 | 0 | acc = 2 (trial 2) |"), "names are inert Markdown: \(md)")
    XCTAssertTrue(md.contains("| broken | error | 2 | 0 | 2 | – |"), md)
    XCTAssertTrue(md.contains("| later | unstarted | 0 | 0 | 0 | – |"), md)
    XCTAssertTrue(md.contains("No finished trials"))
    XCTAssertTrue(md.contains("report_plots/a_b_pareto.svg"))
    XCTAssertTrue(html.contains("<code>a&lt;b</code>"))
    XCTAssertFalse(html.contains("<code>a<b</code>"))
    for s in svgFragments(html) { XCTAssertTrue(XMLParser(data: Data(s.utf8)).parse()) }
  }

  func testMissingReportsIsAnError() {
    XCTAssertThrowsError(try ReportWriter(taskRoot: "/nonexistent-lyra-task").write())
  }
}
