import Foundation
import LyraONNX
import XCTest

/// The ONNX backend tests from Debian's `libonnx-testdata` as the importer's conformance
/// suite: every test whose operators Lyra supports must pass; tests of other operators
/// are skipped and counted, and a supported operator's case may be skipped only when it
/// is a known gap listed (with its reason) in `ConformanceKnownGaps`.
/// Set LYRA_ONNX_VERBOSE=1 to print every case as it runs and every skip.
final class ConformanceTests: XCTestCase {
  static let root = "/usr/share/libonnx-testdata/data"
  static let verbose = ProcessInfo.processInfo.environment["LYRA_ONNX_VERBOSE"] != nil

  struct Summary {
    var passed: [String] = [], failed: [(String, String)] = [], skipped: [(String, String)] = []
    var passedByOp: [String: Int] = [:]
  }

  /// Runs every `test_*` directory of a suite, prints the counts and fails on failures.
  func run(suite: String) throws -> Summary {
    let dir = Self.root + "/" + suite
    guard FileManager.default.fileExists(atPath: dir) else {
      throw XCTSkip("libonnx-testdata is not installed (\(dir) is missing); scripts/setup installs it")
    }
    var s = Summary()
    let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("test_") }.sorted()
    for name in names {
      if Self.verbose { print("onnx \(suite) test \(name) ...") }
      switch BackendCase.run(dir + "/" + name) {
      case .passed(let ops):
        s.passed.append(name)
        for op in ops { s.passedByOp[op, default: 0] += 1 }
      case .failed(let why): s.failed.append((name, why))
      case .skipped(let why): s.skipped.append((name, why))
      }
    }
    print("ONNX backend \(suite) tests: \(s.passed.count) passed, \(s.failed.count) failed, \(s.skipped.count) skipped (of \(names.count))")
    print("  passed by operator: " + s.passedByOp.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    // A case skipped although its operators are supported is a failure unless it is a
    // known gap (ConformanceKnownGaps); a known gap that now passes must leave the list.
    let byReason = s.skipped.filter { !$0.1.hasPrefix("unsupported operator") }
    for (n, why) in byReason {
      if let gap = ConformanceKnownGaps.cases[n] {
        if Self.verbose { print("  known gap \(n): \(gap) (\(why))") }
      } else {
        XCTFail("\(suite)/\(n) was skipped although its operators are supported: \(why)")
      }
    }
    for n in s.passed where ConformanceKnownGaps.cases[n] != nil {
      XCTFail("\(suite)/\(n) passes now: remove it from ConformanceKnownGaps")
    }
    if Self.verbose { for (n, why) in s.skipped where why.hasPrefix("unsupported operator") { print("  skipped \(n): \(why)") } }
    for (n, why) in s.failed { XCTFail("\(suite)/\(n): \(why)") }
    return s
  }

  func testBackendNodeTests() throws {
    let s = try run(suite: "node")
    // Guards against a suite that silently stops running anything.
    XCTAssertGreaterThan(s.passed.count, 200)
    let supported = Set(ONNXModel.supportedOperators)
    for op in ["Conv", "ConvTranspose", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "LeakyRelu", "Sigmoid", "Tanh",
               "Clip", "BatchNormalization", "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "Reshape", "Transpose",
               "Concat", "Split", "Softmax", "LogSoftmax", "Pad", "Gather", "Unsqueeze", "Squeeze", "Identity", "Constant"] {
      XCTAssertTrue(supported.contains(op), "\(op) must be supported")
      XCTAssertGreaterThan(s.passedByOp[op] ?? 0, 0, "no backend test of \(op) passed")
    }
  }

  /// Models PyTorch exported (older opsets, real layer configurations) and the small
  /// whole-model cases: the same rule, no failures among the supported ones.
  func testBackendPyTorchAndSimpleModels() throws {
    var passed = 0
    for suite in ["pytorch-converted", "pytorch-operator", "simple"] { passed += try run(suite: suite).passed.count }
    XCTAssertGreaterThan(passed, 20)
  }
}
