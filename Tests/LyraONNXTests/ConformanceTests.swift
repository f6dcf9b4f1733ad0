import Foundation
import LyraONNX
import XCTest

/// The ONNX backend node tests from Debian's `libonnx-testdata` as the importer's
/// conformance suite: every test whose operators Lyra supports must pass; tests of other
/// operators (or element types and attributes Lyra does not implement) are skipped and
/// counted. Set LYRA_ONNX_VERBOSE=1 to print every case as it runs.
final class ConformanceTests: XCTestCase {
  static let root = "/usr/share/libonnx-testdata/data/node"

  func testBackendNodeTests() throws {
    guard FileManager.default.fileExists(atPath: Self.root) else {
      throw XCTSkip("libonnx-testdata is not installed (\(Self.root) is missing); scripts/setup installs it")
    }
    let verbose = ProcessInfo.processInfo.environment["LYRA_ONNX_VERBOSE"] != nil
    let dirs = try FileManager.default.contentsOfDirectory(atPath: Self.root).filter { $0.hasPrefix("test_") }.sorted()
    var passed: [String] = [], failed: [(String, String)] = [], skipped: [(String, String)] = []
    var passedByOp: [String: Int] = [:]
    for name in dirs {
      if verbose { print("onnx node test \(name) ...") }
      switch BackendCase.run(Self.root + "/" + name) {
      case .passed(let ops):
        passed.append(name)
        for op in ops { passedByOp[op, default: 0] += 1 }
      case .failed(let why): failed.append((name, why))
      case .skipped(let why): skipped.append((name, why))
      }
    }
    print("ONNX backend node tests: \(passed.count) passed, \(failed.count) failed, \(skipped.count) skipped (of \(dirs.count))")
    print("passed by operator: " + passedByOp.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    let supported = Set(ONNXModel.supportedOperators)
    let skippedSupported = skipped.filter { !$0.1.hasPrefix("unsupported operator") }
    if !skippedSupported.isEmpty {
      print("skipped although their operators are supported:")
      for (n, why) in skippedSupported { print("  \(n): \(why)") }
    }
    if verbose { for (n, why) in skipped where !skippedSupported.contains(where: { $0.0 == n }) { print("  skipped \(n): \(why)") } }
    for (n, why) in failed { XCTFail("\(n): \(why)") }
    // Guards against a suite that silently stops running anything.
    XCTAssertGreaterThan(passed.count, 150)
    for op in ["Conv", "ConvTranspose", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "LeakyRelu", "Sigmoid", "Tanh",
               "Clip", "BatchNormalization", "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "Reshape", "Transpose",
               "Concat", "Split", "Softmax", "LogSoftmax", "Pad", "Gather", "Unsqueeze", "Squeeze", "Identity", "Constant"] {
      XCTAssertTrue(supported.contains(op), "\(op) must be supported")
      XCTAssertGreaterThan(passedByOp[op] ?? 0, 0, "no backend test of \(op) passed")
    }
  }
}
