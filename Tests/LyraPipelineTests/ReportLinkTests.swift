import Foundation
import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

/// report.html and report.md carry text from the task (hyperparameters, descriptions,
/// error messages) that a config or a plug-in controls. None of it may become a link or
/// markup (issue 14): no `javascript:`/`data:` target, no raw `<a>` in either report.
final class ReportLinkTests: XCTestCase {
  let hostile = ["[click](javascript:alert(1))", "<a href=\"javascript:alert(2)\">x</a>", "data:text/html,<script>alert(3)</script>",
                 "<img src=x onerror=alert(4)>"]

  func testHostileTextIsInertInBothReports() throws {
    let root = try storeTestDir("report-links")
    let out = try TaskOutput(root: root)
    var records: [TrialRecord] = []
    for (i, h) in hostile.enumerated() {
      var r = TrialRecord(step: "hpo", workerID: i, desc: .object(["type": .string(h)]),
                          hps: .object(["trainer": .object(["note": .string(h), "lr": .number(0.1 * Double(i + 1))])]),
                          performance: ["accuracy": 0.5 + 0.1 * Double(i)], objectives: [Objective("accuracy", .maximize)],
                          status: i == 3 ? .failed : .finished, epochs: 1)
      if i == 3 { r.message = h }
      records.append(r)
    }
    try out.writeReports(steps: [.init(name: "hpo", status: "error", numModels: 4, message: hostile[0])], records: ["hpo": records])
    let result = try out.writeReport()
    let html = try String(contentsOfFile: result.html, encoding: .utf8)
    let md = try String(contentsOfFile: result.markdown, encoding: .utf8)

    // The values are in the reports (the test looks at the right place) ...
    XCTAssertTrue(html.contains("javascript:alert(1)") && md.contains("javascript:alert(1)"))
    // ... but never as markup.
    XCTAssertFalse(html.contains("<a ") || html.contains("<script") || html.contains("<img"), html)
    for target in hrefTargets(html) {
      XCTAssertNil(target.range(of: "^(javascript|data|vbscript):", options: [.regularExpression, .caseInsensitive]), target)
    }
    XCTAssertNil(md.range(of: #"(?<!\\)\]\(javascript:"#, options: .regularExpression), "a Markdown link survived:\n\(md)")
    XCTAssertTrue(md.contains(#"\[click\](javascript:alert(1))"#), "brackets escaped: \(md)")
    XCTAssertFalse(md.contains("<a ") || md.contains("<script") || md.contains("<img"), md)
  }

  /// Every `href="..."` value in `html`.
  func hrefTargets(_ html: String) -> [String] {
    var out: [String] = []
    var rest = html[...]
    while let a = rest.range(of: "href=\"") {
      let tail = rest[a.upperBound...]
      guard let q = tail.firstIndex(of: "\"") else { break }
      out.append(String(tail[..<q]))
      rest = tail[q...].dropFirst()
    }
    return out
  }
}
