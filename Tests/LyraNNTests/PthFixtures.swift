import Foundation
import LyraBase

/// The `.pth` fixtures under Tests/fixtures/pth, written once by
/// scripts/bench/make_pth_fixtures.py with PyTorch 2.13 (the tests never run Python).
enum PthFixtures {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("fixtures/pth").path

  static func path(_ name: String) -> String { folder + "/" + name }

  static func json(_ name: String) throws -> JSON {
    try JSON.parse(try Data(contentsOf: URL(fileURLWithPath: path(name))))
  }

  static func floats(_ j: JSON?) -> [Float] { (j?.array ?? []).compactMap { $0.double.map(Float.init) } }
  static func ints(_ j: JSON?) -> [Int] { (j?.array ?? []).compactMap { $0.double.map { Int($0) } } }

  /// The Lyra model with the fixture net's layers (Lyra names them 0, 1, 4; PyTorch conv, bn, fc).
  static let convnetDescription = #"""
    {"type": "Sequential", "modules": [
      {"type": "Conv2d", "in_channels": 1, "out_channels": 2, "kernel_size": 3, "padding": 1},
      {"type": "BatchNorm2d", "num_features": 2}, {"type": "ReLU"}, {"type": "Flatten"},
      {"type": "Linear", "in_features": 32, "out_features": 3}]}
    """#
}
