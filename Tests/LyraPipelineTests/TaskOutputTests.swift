import Foundation
import XCTest
import LyraBase
import LyraSearch
@testable import LyraPipeline

final class TaskOutputTests: XCTestCase {
  func testVEGALayout() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-task-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let out = try TaskOutput(root: root)
    var r = TrialRecord(step: "hpo", workerID: 3, desc: .object(["type": .string("SimpleCnn")]),
                        hps: .object(["trainer": .object(["epochs": JSON(2)])]), performance: ["accuracy": 0.91, "flops": 4.2],
                        objectives: [Objective("accuracy", .maximize), Objective("flops")])
    r.startTime = Date()
    try out.writeTrialFiles(r)
    try out.writeStepOutput("hpo", records: [r])
    try out.writeReports(steps: [.init(name: "hpo", status: "finished", numModels: 1, bestModels: [3])], records: ["hpo": [r]])
    out.log("hpo finished")
    let fm = FileManager.default
    for f in ["workers/hpo/3/desc_3.json", "workers/hpo/3/hps_3.json", "workers/hpo/3/performance_3.json",
              "output/hpo/output.csv", "output/hpo/desc_3.json", "output/reports.json", "logs/pipeline.log"] {
      XCTAssertTrue(fm.fileExists(atPath: root + "/" + f), f)
    }
    let reports = try JSON.parse(fm.contents(atPath: root + "/output/reports.json")!)
    XCTAssertEqual(reports["_steps_"]?.array?.first?["status"], .string("finished"))
    XCTAssertEqual(reports["hpo"]?.array?.first?["rewards"], .array([.number(0.91), .number(-4.2)]))
    XCTAssertEqual(reports["hpo"]?.array?.first?["objectives"]?["accuracy"], .string("MAX"))
    let csv = String(decoding: fm.contents(atPath: root + "/output/hpo/output.csv")!, as: UTF8.self)
    XCTAssertTrue(csv.hasPrefix("worker_id,performance,desc\n3,\""), csv)
    XCTAssertEqual(TaskOutput.newTaskID(now: Date(timeIntervalSince1970: 0)), "0101.000000.000")
  }
}
