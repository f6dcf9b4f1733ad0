import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// The report of a real ASHA search (ReportSearchFixture: 30+ trials, promotions over
/// three rungs, failures with reasons). Set LYRA_REPORT_KEEP=<dir> to keep the task
/// folder and look at `output/report.html`.
final class ReportSearchTests: XCTestCase {
  var root = ""

  override func setUpWithError() throws {
    root = ProcessInfo.processInfo.environment["LYRA_REPORT_KEEP"]
      ?? FileManager.default.temporaryDirectory.appendingPathComponent("lyra-report-search-\(getpid())").path
    try? FileManager.default.removeItem(atPath: root)
  }

  override func tearDown() {
    if ProcessInfo.processInfo.environment["LYRA_REPORT_KEEP"] == nil { try? FileManager.default.removeItem(atPath: root) }
  }

  /// The text of `<section data-section="name">` inside the step's section (up to its end).
  func section(_ html: String, _ name: String) -> String? {
    guard let a = html.range(of: "<section data-section=\"\(name)\">"),
          let b = html.range(of: "</section>", range: a.upperBound..<html.endIndex) else { return nil }
    return String(html[a.lowerBound..<b.upperBound])
  }

  func testReportOfASearchWithPromotionsAndFailures() throws {
    let records = try ReportSearchFixture.run(root: root)
    // The fixture is what the test claims it is: 30+ trials, failures, promotions two rungs deep.
    XCTAssertGreaterThanOrEqual(records.count, 30)
    let failed = records.filter { $0.status == .failed }
    XCTAssertGreaterThanOrEqual(failed.count, 2)
    let promoted = records.filter { $0.resumeFrom != nil }
    XCTAssertGreaterThanOrEqual(promoted.count, 5)
    XCTAssertTrue(records.contains { $0.rung == 2 && $0.resumeFrom != nil }, "a trial promoted twice")
    XCTAssertTrue(records.allSatisfy { $0.startTime != nil && $0.endTime != nil && $0.worker != nil })

    let out = try ReportWriter(taskRoot: root).write()
    let html = try String(contentsOfFile: out.html, encoding: .utf8)

    // Every part a searcher looks for; no Pareto front for a one-objective step.
    for name in ["summary", "best", "failures", "curves", "history", "importance", "params", "parallel", "rungs", "timeline"] {
      XCTAssertNotNil(section(html, name), "section \(name) is missing")
    }
    XCTAssertNil(section(html, "pareto"), "one objective: no Pareto front")

    // Failures are listed with their reasons.
    let failures = try XCTUnwrap(section(html, "failures"))
    for r in failed {
      XCTAssertTrue(failures.contains("<td class=\"num\">\(r.workerID)</td>"), "failed trial \(r.workerID) listed")
      XCTAssertTrue(failures.contains(HTMLReport.esc(try XCTUnwrap(r.message))), "reason of \(r.workerID)")
    }

    // Promotions are continuous: each promoted trial's own curve starts right after its
    // parent's last epoch, and the drawn line runs from epoch 1 to the trial's budget.
    let report = try TaskReport.load(taskRoot: root)
    let lineage = CurveLineage(report.steps[0], taskRoot: root)
    var checked = 0
    for r in promoted where r.status == .finished {
      let parent = try XCTUnwrap(r.resumeFrom)
      let own = try XCTUnwrap(lineage.own[r.workerID]?.points), parents = try XCTUnwrap(lineage.own[parent]?.points)
      XCTAssertEqual(own.first!.epoch, parents.last!.epoch + 1, "trial \(r.workerID) continues \(parent)")
      let joined = lineage.joined(r.workerID).map(\.epoch)
      XCTAssertEqual(joined, (1...Int(r.budget!)).map(Double.init), "trial \(r.workerID)'s line has every epoch once")
      XCTAssertEqual(lineage.chain(r.workerID).last, r.workerID)
      checked += 1
    }
    XCTAssertGreaterThan(checked, 0)
    let curves = try XCTUnwrap(section(html, "curves"))
    let twice = try XCTUnwrap(records.first { $0.rung == 2 && $0.status == .finished })
    let chain = lineage.chain(twice.workerID)
    XCTAssertEqual(chain.count, 3)
    XCTAssertTrue(curves.contains("trial \(twice.workerID) (from \(chain[1])←\(chain[0]))"), "the legend names the promotion chain")

    // Aliases once, static metrics without a curve.
    XCTAssertFalse(html.contains("accuracy_top1"), "accuracy_top1 is an alias of accuracy")
    XCTAssertTrue(curves.contains("Validation accuracy"))
    XCTAssertTrue(curves.contains("Training loss") && curves.contains("Validation loss"))
    XCTAssertFalse(curves.lowercased().contains("flops"), "no learning curve of FLOPs")
    XCTAssertTrue(try XCTUnwrap(section(html, "best")).contains("flops (MFLOPs)"), "static metrics in the table, with units")

    // The rung diagram has one column per budget; the timeline names the worker.
    let rungs = try XCTUnwrap(section(html, "rungs"))
    for b in ["budget 1", "budget 3", "budget 9"] { XCTAssertTrue(rungs.contains(b), b) }
    let timeline = try XCTUnwrap(section(html, "timeline"))
    XCTAssertTrue(timeline.contains(HTMLReport.esc(records[0].worker!)))

    // Self-contained, well-formed page.
    XCTAssertFalse(html.contains("<script") || html.contains("<link") || html.contains(" src="))
    let stripped = html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").replacingOccurrences(of: "http://www.w3.org/1999/xlink", with: "")
    XCTAssertFalse(stripped.contains("http://") || stripped.contains("https://"))
    XCTAssertTrue(XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "").utf8)).parse(), "well-formed markup")
  }

  /// Hyperband: several brackets, each its own promotion chains; the rung diagram names
  /// the brackets and every promoted curve still continues its parent.
  func testHyperbandBracketsAndContinuingCurves() throws {
    let records = try ReportSearchFixture.run(root: root, hyperband: true)
    let brackets = Set(records.compactMap(\.bracket))
    XCTAssertGreaterThanOrEqual(brackets.count, 2)
    let html = try String(contentsOfFile: try ReportWriter(taskRoot: root).write().html, encoding: .utf8)
    let rungs = try XCTUnwrap(section(html, "rungs"))
    for b in brackets { XCTAssertTrue(rungs.contains("bracket \(b)"), "bracket \(b) in the legend") }
    let lineage = CurveLineage(try TaskReport.load(taskRoot: root).steps[0], taskRoot: root)
    for r in records where r.resumeFrom != nil && r.status == .finished {
      XCTAssertEqual(lineage.joined(r.workerID).map(\.epoch), (1...Int(r.budget!)).map(Double.init), "trial \(r.workerID)")
    }
  }

  /// A step whose two objectives are aliases (accuracy and accuracy_top1) is one objective:
  /// no Pareto front, and the alias is not a column.
  func testAliasObjectivesGiveNoParetoFront() throws {
    let out = try TaskOutput(root: root)
    let objs = [Objective("accuracy", .maximize), Objective("accuracy_top1", .maximize)]
    let records = (0..<5).map { i in
      TrialRecord(step: "train", workerID: i, desc: .null, hps: .object(["lr": .number(Double(i) / 10)]),
                  performance: ["accuracy": 0.5 + Double(i) / 20, "accuracy_top1": 0.5 + Double(i) / 20], objectives: objs)
    }
    try out.writeReports(steps: [.init(name: "train", status: "finished")], records: ["train": records])
    let html = try String(contentsOfFile: try ReportWriter(taskRoot: root).write().html, encoding: .utf8)
    XCTAssertNil(section(html, "pareto"))
    XCTAssertNotNil(section(html, "history"))
    XCTAssertFalse(try XCTUnwrap(section(html, "best")).contains("accuracy_top1"))
  }

  /// A hand-edited reports.json: a promotion cycle, a parent that does not exist, budgets
  /// that are not finite or absurd, an end before the start, NaN hyperparameters. The
  /// report still comes out whole (no trap), with the sections it can draw.
  func testHostileRecordsStillGiveAReport() throws {
    let out = try TaskOutput(root: root)
    let text = """
      {"_steps_": [{"step_name": "s", "status": "running"}],
       "s": [
        {"worker_id": 1, "status": "finished", "resume_from": 2, "budget": 3, "rung": 1, "performance": {"loss": 1},
         "objective_keys": ["loss"], "objectives": {"loss": "MIN"}, "hps": {"lr": 0.1, "opt": "nan"},
         "start_time": "2026-01-01T00:00:10Z", "end_time": "2026-01-01T00:00:05Z", "worker": "w"},
        {"worker_id": 2, "status": "finished", "resume_from": 1, "budget": 1e308, "rung": 0, "performance": {"loss": 2},
         "objective_keys": ["loss"], "objectives": {"loss": "MIN"}, "hps": {"lr": "nan", "opt": "a"}},
        {"worker_id": 3, "status": "finished", "resume_from": 99, "budget": "nan", "rung": 0, "performance": {"loss": "inf"},
         "objective_keys": ["loss"], "objectives": {"loss": "MIN"}, "hps": {"lr": 0.3, "opt": "b"}},
        {"worker_id": 4, "status": "failed", "budget": -1, "rung": 0, "objective_keys": ["loss"], "objectives": {"loss": "MIN"}}
       ]}
      """
    try Data(text.utf8).write(to: URL(fileURLWithPath: out.layout.reports))
    for id in [1, 2] {
      var c = LearningCurve()
      c.append(epoch: Double(id), ["loss": 1])
      try c.write(to: LearningCurve.path(taskRoot: root, step: "s", workerID: id))
    }
    let html = try String(contentsOfFile: try ReportWriter(taskRoot: root).write().html, encoding: .utf8)
    XCTAssertNotNil(section(html, "best"))
    XCTAssertNotNil(section(html, "failures"))
    XCTAssertTrue(XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "").utf8)).parse())
    let lineage = CurveLineage(try TaskReport.load(taskRoot: root).steps[0], taskRoot: root)
    XCTAssertEqual(Set(lineage.chain(1)), [1, 2], "a cycle ends the walk")
  }
}
