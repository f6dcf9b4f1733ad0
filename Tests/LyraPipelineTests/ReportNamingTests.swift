import XCTest
@testable import LyraPipeline

/// How the report names metrics (aliases, static metrics, units) and setting keys.
final class ReportNamingTests: XCTestCase {
  func testShortestUnambiguousTail() {
    let n = ReportTable.shortNames(["trainer.optimizer.params.lr", "desc.backbone.width", "desc.head.width", "dataset.batch_size"])
    XCTAssertEqual(n["trainer.optimizer.params.lr"], "lr")
    XCTAssertEqual(n["desc.backbone.width"], "backbone.width")
    XCTAssertEqual(n["desc.head.width"], "head.width")
    XCTAssertEqual(n["dataset.batch_size"], "batch_size")
    XCTAssertEqual(ReportTable.shortNames(["a.x", "x"])["x"], "x", "a key that is another's tail stays whole")
  }

  func testMetricNames() {
    XCTAssertTrue(MetricNames.isAlias("accuracy_top1", among: ["accuracy", "accuracy_top1", "accuracy_top5"]))
    XCTAssertFalse(MetricNames.isAlias("accuracy_top5", among: ["accuracy", "accuracy_top5"]))
    XCTAssertFalse(MetricNames.isAlias("accuracy_top1", among: ["accuracy_top1"]), "no base: not an alias")
    XCTAssertEqual(MetricNames.withoutAliases(["accuracy", "accuracy_top1", "loss"]), ["accuracy", "loss"])
    XCTAssertTrue(MetricNames.isStatic("flops") && MetricNames.isStatic("params") && !MetricNames.isStatic("accuracy"))
    XCTAssertEqual(MetricNames.axisLabel("flops", maximize: false), "flops (MFLOPs, min)")
    XCTAssertEqual(MetricNames.scaled("flops", 0.0012), 1.2, accuracy: 1e-12)
    XCTAssertEqual(MetricNames.axisLabel("accuracy", maximize: true), "accuracy (max)")
  }
}
