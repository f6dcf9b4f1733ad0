import LyraKernels
import LyraTensor
import XCTest
@testable import LyraNN

/// The module-level gradient checks, one per module type (and one per fused path), and
/// the test that keeps the list complete: a type in `ModuleRegistry` without an entry
/// in `ModuleGradCases.all` fails CI.
enum ModuleGradCases {
  /// Every check by name: registry type names, plus the fused paths (descriptive names).
  static var all: [String: () throws -> Void] {
    layers.merging(containers) { a, _ in a }.merging(quantised) { a, _ in a }.merging(issue17) { a, _ in a }
      .merging(sequence) { a, _ in a }
  }

  /// Runs the checks of `name` and asserts they ran on a module of that type.
  static func run(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
    guard let body = all[name] else { return XCTFail("no gradient check named \(name)", file: file, line: line) }
    ModuleGradCheck.typesSeen = []
    try body()
    if ModuleRegistry.types.contains(name) {
      XCTAssertTrue(ModuleGradCheck.typesSeen.contains(name), "the checks of \(name) never ran a \(name)", file: file, line: line)
    }
  }
}

final class ModuleGradCheckTests: XCTestCase {
  func testEveryRegisteredModuleTypeHasAGradientCheck() {
    // LyraNN's own types: other layers' (the networks LyraNets registers when its bootstrap
    // ran earlier in the same test process) are checked in their own targets.
    let registered = Set(ModuleRegistry.builtInTypes)
    XCTAssertFalse(registered.isEmpty)
    let missing = registered.subtracting(ModuleGradCases.all.keys).sorted()
    XCTAssertEqual(missing, [], "module types without a gradient check: add them to ModuleGradCases (Tests/LyraNNTests/ModuleGradCheck*.swift)")
  }

  /// The checker itself must catch a wrong gradient: a module whose backward is off by
  /// a factor (forward x², tape gradient 3x) fails it.
  func testTheCheckerRejectsAWrongGradient() throws {
    final class WrongSquare: Module {
      override func forward(_ x: Tensor) throws -> Tensor {
        let y = x.detach().mul(x.detach())
        return y + (x.mul(x.detach()).mul(3) - x.detach().mul(x.detach()).mul(3)) // value x², gradient 3x
      }
    }
    var failures: [String] = []
    var c = ModuleGradCheck()
    c.fail = { message, _, _ in failures.append(message) }
    try c.check(WrongSquare(), GradData.tensor([2, 3], seed: 1))
    XCTAssertEqual(failures.count, 1, "\(failures)")
    XCTAssertTrue(failures.first?.contains("d L / d input[0]") ?? false, "\(failures)")
    // The same check passes on the right gradient (the failure is the factor, not the setup).
    failures = []
    try c.check(Sequential([Identity()]), GradData.tensor([2, 3], seed: 1))
    XCTAssertEqual(failures, [])
  }

  func testLinear() throws { try ModuleGradCases.run("Linear") }
  func testConv2d() throws { try ModuleGradCases.run("Conv2d") }
  func testBatchNorm2d() throws { try ModuleGradCases.run("BatchNorm2d") }
  func testBatchNorm1d() throws { try ModuleGradCases.run("BatchNorm1d") }
  func testReLU() throws { try ModuleGradCases.run("ReLU") }
  func testReLU6() throws { try ModuleGradCases.run("ReLU6") }
  func testLeakyReLU() throws { try ModuleGradCases.run("LeakyReLU") }
  func testGELU() throws { try ModuleGradCases.run("GELU") }
  func testSigmoid() throws { try ModuleGradCases.run("Sigmoid") }
  func testTanh() throws { try ModuleGradCases.run("Tanh") }
  func testSiLU() throws { try ModuleGradCases.run("SiLU") }
  func testHardswish() throws { try ModuleGradCases.run("Hardswish") }
  func testMaxPool2d() throws { try ModuleGradCases.run("MaxPool2d") }
  func testAvgPool2d() throws { try ModuleGradCases.run("AvgPool2d") }
  func testAdaptiveAvgPool2d() throws { try ModuleGradCases.run("AdaptiveAvgPool2d") }
  func testFlatten() throws { try ModuleGradCases.run("Flatten") }
  func testIdentity() throws { try ModuleGradCases.run("Identity") }
  func testZero() throws { try ModuleGradCases.run("Zero") }
  func testDropout() throws { try ModuleGradCases.run("Dropout") }
  func testEmbedding() throws { try ModuleGradCases.run("Embedding") }
  func testSequential() throws { try ModuleGradCases.run("Sequential") }
  func testAdd() throws { try ModuleGradCases.run("Add") }
  func testConcat() throws { try ModuleGradCases.run("Concat") }
  func testQuantConv2d() throws { try ModuleGradCases.run("QuantConv2d") }
  func testQuantLinear() throws { try ModuleGradCases.run("QuantLinear") }
  func testFusedBatchNormReLUTraining() throws { try ModuleGradCases.run("fused BN → ReLU (training)") }
  func testFusedBatchNormReLUEvaluation() throws { try ModuleGradCases.run("fused BN → ReLU (evaluation, with gradients)") }
  func testFusedAddReLU() throws { try ModuleGradCases.run("fused Add → ReLU") }
  func testFusedConvBatchNormFolded() throws { try ModuleGradCases.run("fused conv → BN (→ ReLU) folded in evaluation") }
}
