import Foundation
import LyraBase
import LyraNN
import LyraONNX
import LyraTensor
import XCTest

/// `lyra export` end to end: the built binary beside this test bundle turns a checkpoint
/// or a reference name into a checked .onnx file whose outputs match the weights saved.
final class ExportCommandTests: FolderTestCase {
  override class var folderPrefix: String { "lyra-export" }

  func lyra(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var bin = URL(fileURLWithPath: exe).deletingLastPathComponent()
    if bin.lastPathComponent.hasSuffix(".xctest") { bin = bin.deletingLastPathComponent() }
    let path = bin.appendingPathComponent("lyra").path
    guard FileManager.default.isExecutableFile(atPath: path) else { throw XCTSkip("the lyra binary is not built (\(path))") }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
  }

  func testCheckpointExportKeepsTheWeights() throws {
    let model = ReferenceModels.cnn(generator: Generator(seed: 21))
    for (_, m) in model.namedModules() {
      if let bn = m as? BatchNorm { Tensor.noGrad { _ = bn.runningVar.copy_(Tensor.rand([bn.features], generator: Generator(seed: 3)).add(0.5)) } }
    }
    let ckpt = dir.appendingPathComponent("cnn.safetensors").path, onnx = dir.appendingPathComponent("cnn.onnx").path
    try Checkpoint.save(model, to: ckpt)
    let r = try lyra(["export", ckpt, "-o", onnx])
    XCTAssertEqual(r.status, 0, r.err)
    XCTAssertTrue(r.out.contains("onnx checker: passed"), r.out)
    XCTAssertTrue(r.out.contains("input [batch, 1, 28, 28] -> output [batch, 10]"), r.out)
    try ONNXChecker.check(path: onnx)
    let x = Tensor.randn([3, 1, 28, 28], generator: Generator(seed: 5))
    let want = try Tensor.noGrad { try model.eval()(x) }
    XCTAssertLessThanOrEqual(try ONNXModel(path: onnx)(x).sub(want).abs().max().item(), 1e-4)
  }

  func testReferenceNameAndOptions() throws {
    let onnx = dir.appendingPathComponent("r.onnx").path
    let r = try lyra(["export", "resnet_mini", "-o", onnx, "--opset", "15", "--fixed-batch", "--input-shape", "4,1,28,28"])
    XCTAssertEqual(r.status, 0, r.err)
    let m = try ONNXModel(path: onnx)
    XCTAssertEqual(m.opset, 15)
    XCTAssertEqual(m.inputs.first?.shape ?? [], [4, 1, 28, 28])
  }

  func testBadModelIsAnErrorNotACrash() throws {
    let r = try lyra(["export", dir.appendingPathComponent("missing.safetensors").path, "-o", dir.appendingPathComponent("x.onnx").path])
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(r.err.hasPrefix("lyra export: ") && r.err.contains("missing.safetensors"), r.err)
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.onnx").path))
  }
}
