import Foundation
import LyraBase
import LyraTensor
import XCTest
@testable import LyraNN

/// The `.pth` reader against tensors PyTorch wrote (Tests/fixtures/pth, values recorded by
/// PyTorch beside them), and fine-tuning's load: the loaded Lyra model must give the
/// output PyTorch recorded for the same input.
final class PthReaderTests: XCTestCase {
  func testEveryStorageTypeAndViewReadsAsPyTorchWroteIt() throws {
    let file = try PthFile.read(from: PthFixtures.path("dtypes.pth"))
    let expected = try PthFixtures.json("dtypes.json")
    XCTAssertEqual(file.tensors.map(\.name), ["f32", "f64", "f16", "bf16", "i64", "strided", "transposed", "scalar"])
    XCTAssertNil(file.wrapper)
    for (name, t) in file.tensors {
      XCTAssertEqual(t.shape, PthFixtures.ints(expected[name]?["shape"]), name)
      let want = (expected[name]?["values"]?.array ?? []).compactMap(\.double)
      switch t.values {
      case .floats(let f): XCTAssertEqual(f, want.map(Float.init), name)
      case .ints(let i): XCTAssertEqual(i, want.map { Int64($0) }, name)
      }
    }
    let dtypes = Dictionary(uniqueKeysWithValues: file.tensors.map { ($0.name, $0.tensor.dtype) })
    XCTAssertEqual(dtypes["f64"], .float64)
    XCTAssertEqual(dtypes["f16"], .float16)
    XCTAssertEqual(dtypes["bf16"], .bfloat16)
    XCTAssertEqual(dtypes["i64"], .int64)
  }

  func testVegaCheckpointWithWrapperAndPrefixFineTunesToPyTorchsOutput() throws {
    let file = try PthFile.read(from: PthFixtures.path("convnet.pth"))
    XCTAssertEqual(file.wrapper, "state_dict")
    XCTAssertEqual(file.skipped, ["epoch"])
    let model = try ModuleRegistry.build(try JSON.parse(Data(PthFixtures.convnetDescription.utf8)))
    let mapping = try ForeignWeights.load(try ForeignWeights.readPth(PthFixtures.path("convnet.pth")), into: model,
                                          strict: true, file: "convnet.pth")
    XCTAssertEqual(mapping.strippedPrefix, "module.")
    XCTAssertEqual(mapping.pairs.count, 8)
    XCTAssertTrue(mapping.pairs.allSatisfy(\.byOrder), mapping.report)
    XCTAssertEqual(mapping.skippedIntegers, ["bn.num_batches_tracked"])
    XCTAssertEqual(mapping.pairs.first { $0.source == "fc.weight" }?.target, "4.weight")
    let io = try PthFixtures.json("convnet.json")
    let x = Tensor(PthFixtures.floats(io["input"]), shape: PthFixtures.ints(io["input_shape"]))
    model.eval()
    let y = try model(x)
    XCTAssertEqual(y.shape, PthFixtures.ints(io["output_shape"]))
    for (a, b) in zip(y.toArray(), PthFixtures.floats(io["output"])) { XCTAssertEqual(a, b, accuracy: 1e-5) }
  }

  func testAReplacedHeadIsReportedAndSkippedOrFatalWhenStrict() throws {
    // The same backbone with a 5-class head: VEGA's fine-tuning with `head: fc`.
    let desc = PthFixtures.convnetDescription.replacingOccurrences(of: "\"out_features\": 3", with: "\"out_features\": 5")
    let entries = try ForeignWeights.readPth(PthFixtures.path("convnet.pth"))
    let strictModel = try ModuleRegistry.build(try JSON.parse(Data(desc.utf8)))
    let before = strictModel.stateDict()["0.weight"]!.toArray()
    XCTAssertThrowsError(try ForeignWeights.load(entries, into: strictModel, strict: true, file: "convnet.pth")) { e in
      XCTAssertTrue("\(e)".contains("fc.weight [3, 32] → 4.weight [5, 32]"), "\(e)")
    }
    XCTAssertEqual(strictModel.stateDict()["0.weight"]!.toArray(), before, "a refused load changes nothing")
    let model = try ModuleRegistry.build(try JSON.parse(Data(desc.utf8)))
    let headBefore = model.stateDict()["4.weight"]!.toArray()
    let m = try ForeignWeights.load(entries, into: model, exclude: ["fc"], strict: false, file: "convnet.pth")
    XCTAssertEqual(m.excluded, ["fc.weight", "fc.bias"])
    XCTAssertEqual(m.unmatchedTarget, ["4.weight", "4.bias"])
    XCTAssertEqual(m.pairs.count, 6)
    XCTAssertTrue(m.report.contains("in the model, not in the file"), m.report)
    XCTAssertEqual(model.stateDict()["4.weight"]!.toArray(), headBefore)
    let conv = entries.first { $0.name == "module.conv.weight" }!.tensor.toArray()
    XCTAssertEqual(model.stateDict()["0.weight"]!.toArray(), conv)
  }

  func testNamesThatMatchAreTakenByNameAndShapeMismatchesReported() throws {
    let model = Sequential([Linear(2, 3), Linear(3, 1)])
    let w = Tensor([1, 2, 3, 4, 5, 6], shape: [3, 2])
    let entries = [ForeignWeights.Entry(name: "0.weight", tensor: w, isInteger: false),
                   ForeignWeights.Entry(name: "1.weight", tensor: Tensor([1, 2], shape: [1, 2]), isInteger: false),
                   ForeignWeights.Entry(name: "extra", tensor: Tensor([1]), isInteger: false)]
    let m = try ForeignWeights.load(entries, into: model, strict: false, file: "x")
    XCTAssertEqual(m.pairs.map(\.target), ["0.weight"])
    // "extra" pairs by order with the first target left over (0.bias, shape [3]): a mismatch, not a load.
    XCTAssertEqual(m.mismatches.map(\.target), ["1.weight", "0.bias"], m.report)
    XCTAssertEqual(m.unmatchedTarget, ["1.bias"])
    XCTAssertEqual(model.stateDict()["0.weight"]!.toArray(), [1, 2, 3, 4, 5, 6])
  }
}

extension PthReaderTests {
  func testTheLegacyFormatLoadsTheSameNetwork() throws {
    let legacy = try PthFile.read(from: PthFixtures.path("convnet_legacy.pth"))
    let modern = try PthFile.read(from: PthFixtures.path("convnet.pth"))
    XCTAssertEqual(legacy.tensors.map { "module." + $0.name }, modern.tensors.map(\.name))
    for (a, b) in zip(legacy.tensors, modern.tensors) {
      XCTAssertEqual(a.tensor.shape, b.tensor.shape, a.name)
      XCTAssertEqual(a.tensor.floatTensor().toArray(), b.tensor.floatTensor().toArray(), a.name)
    }
    // Cut anywhere, it is an error.
    let bytes = try Data(contentsOf: URL(fileURLWithPath: PthFixtures.path("convnet_legacy.pth")))
    for n in stride(from: 0, to: bytes.count, by: 11) { XCTAssertThrowsError(try PthFile.parse(bytes.prefix(n), file: "cut"), "\(n)") }
  }
}
