import Foundation
import LyraBase
import LyraNN
import LyraTensor
import XCTest
@testable import LyraNets

/// Shared helpers for the network tests: descriptions from JSON text, architecture
/// fingerprints (parameter and buffer names with shapes), and one training step.
enum NetTest {
  static func json(_ text: String) throws -> JSON { try JSON.parse(Data(text.utf8)) }

  static func build(_ text: String) throws -> Module { try NetworkRegistry.build(try json(text)) }

  /// Names and shapes of every parameter and buffer, in order: equal fingerprints mean
  /// the same architecture as far as weights are concerned.
  static func fingerprint(_ m: Module) -> [String] {
    m.namedParameters().map { "\($0.name)\($0.tensor.shape)" } + m.namedBuffers().map { "\($0.name)\($0.tensor.shape)" }
  }

  /// A seeded input batch.
  static func input(_ shape: [Int], seed: UInt64 = 1) -> Tensor { Tensor.randn(shape, generator: Generator(seed: seed)) }

  /// One forward/backward step on a cross-entropy loss; fails the test unless every
  /// parameter gets a gradient of its own shape with only finite values.
  static func assertFiniteGradients(_ m: Module, input shape: [Int], classes: Int, file: StaticString = #filePath, line: UInt = #line) throws {
    m.train()
    let x = input(shape)
    let y = Tensor(indices: (0..<shape[0]).map { $0 % classes })
    m.zeroGrad()
    let loss = Tensor.crossEntropy(try m(x), y)
    XCTAssertTrue(loss.item().isFinite, "loss \(loss.item())", file: file, line: line)
    loss.backward()
    for (name, p) in m.namedParameters() {
      guard let g = p.grad else {
        XCTFail("\(name): no gradient", file: file, line: line)
        continue
      }
      XCTAssertEqual(g.shape, p.shape, name, file: file, line: line)
      XCTAssertTrue(g.toArray().allSatisfy(\.isFinite), "\(name): non-finite gradient", file: file, line: line)
    }
  }

  /// The thrown error's text, or a failure when nothing is thrown.
  static func errorText(_ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> String {
    do {
      _ = try body()
      XCTFail("expected an error", file: file, line: line)
      return ""
    } catch {
      return "\(error)"
    }
  }
}
