import Foundation
import LyraBase
import LyraTensor
import XCTest
@testable import LyraNN

/// A short end-to-end training run of the reference CNN on real Fashion-MNIST images:
/// the loss must fall and held-out accuracy must beat chance (10%) by a wide margin.
/// (The full 3-epoch accuracy check, ≥ 91%, is `lyra-bench fulltrain cnn SEED`.)
final class ReferenceTrainingTests: XCTestCase {
  /// The first `count` images (normalised as the anchors) and labels of an IDX pair, read
  /// through `gzip -dc` (this test target does not depend on LyraData).
  static func load(_ prefix: String, count: Int) throws -> (Tensor, Tensor)? {
    let root = "/usr/share/datasets/fashion-mnist"
    func gunzip(_ path: String) throws -> [UInt8]? {
      guard FileManager.default.fileExists(atPath: path) else { return nil }
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/bin/gzip")
      p.arguments = ["-dc", path]
      let pipe = Pipe()
      p.standardOutput = pipe
      try p.run()
      let data = pipe.fileHandleForReading.readDataToEndOfFile()
      p.waitUntilExit()
      return p.terminationStatus == 0 ? [UInt8](data) : nil
    }
    guard let img = try gunzip("\(root)/\(prefix)-images-idx3-ubyte.gz"),
          let lab = try gunzip("\(root)/\(prefix)-labels-idx1-ubyte.gz"),
          img.count >= 16 + count * 784, lab.count >= 8 + count else { return nil }
    let x = Tensor((0..<(count * 784)).map { (Float(img[16 + $0]) / 255 - 0.2860) / 0.3530 }, shape: [count, 1, 28, 28])
    let y = Tensor(indices: (0..<count).map { Int(lab[8 + $0]) })
    return (x, y)
  }

  func testCNNLearnsFashionMNIST() throws {
    // Debug builds run the Swift kernels unoptimised: a smaller run there, the full one in release.
    #if DEBUG
    let (trainCount, steps, batch) = (2_000, 40, 50)
    #else
    let (trainCount, steps, batch) = (6_000, 100, 64)
    #endif
    guard let (x, y) = try ReferenceTrainingTests.load("train", count: trainCount + 1_000) else {
      throw XCTSkip("Fashion-MNIST is not installed")
    }
    let model = ReferenceModels.cnn(generator: Generator(seed: 0))
    let opt = SGD(model.parameters(), lr: 0.05, momentum: 0.9)
    var losses: [Float] = []
    for step in 0..<steps {
      let start = (step * batch) % (trainCount - batch + 1)
      let xb = x.narrow(0, start, batch), yb = y.narrow(0, start, batch)
      opt.zeroGrad()
      let loss = Tensor.crossEntropy(try model(xb), yb)
      loss.backward()
      opt.step()
      losses.append(loss.item())
    }
    let first = losses.prefix(5).reduce(0, +) / 5, last = losses.suffix(5).reduce(0, +) / 5
    XCTAssertLessThan(last, first * 0.6, "loss \(first) → \(last)")
    model.eval()
    let xt = x.narrow(0, trainCount, 1_000), yt = y.narrow(0, trainCount, 1_000).toIntArray()
    let pred = try Tensor.noGrad { try model(xt) }.argmax(1).toIntArray()
    let acc = Double(zip(pred, yt).filter { $0 == $1 }.count) / 1_000
    XCTAssertGreaterThan(acc, 0.6, "held-out accuracy \(acc)")
  }
}
