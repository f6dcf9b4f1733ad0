import Foundation
import LyraONNX
import LyraTensor
import XCTest

/// The fuzzing seeds under Tests/fuzz/corpus/onnx must stay valid models that load and
/// run on an input of their declared shape (integer inputs, such as pads, all zero): a fuzzer mutating a seed the reader already
/// rejects explores only the error path.
final class ONNXSeedCorpusTests: XCTestCase {
  func testONNXSeedsLoadAndRun() throws {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("fuzz/corpus/onnx").path
    let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".onnx") }.sorted()
    XCTAssertFalse(names.isEmpty)
    for n in names {
      let model = try ONNXModel(path: dir + "/" + n)
      var feeds: [String: Tensor] = [:]
      for v in model.inputs {
        let shape = try XCTUnwrap(v.shape, n).map { $0 ?? 1 }
        let values = (0..<shape.reduce(1, *)).map { $0 % 7 }
        feeds[v.name] = v.dataType == .float ? Tensor(values.map(Float.init), shape: shape) : Tensor(indices: values.map { _ in 0 }, shape: shape)
      }
      let out = try model.run(feeds)
      XCTAssertEqual(out.count, model.outputs.count, n)
    }
  }
}
