import Foundation
import LyraBase
import LyraTensor
import XCTest
import LyraNN

/// The compression numbers of issue 8 on real data, printed (not asserted): the reference
/// CNN trained on Fashion-MNIST, then quantised to 8 bits, and pruned to half its channels
/// and fine-tuned, with accuracy, MACs, size and latency of each.
///
/// Minutes of training, so it runs only when `LYRA_COMPRESSION_MEASURE=1` (best in a
/// release build: `swift test -c release --filter CompressionMeasurementTests`).
/// `LYRA_MEASURE_EPOCHS` (default 2) sets the training epochs, `LYRA_MEASURE_FINETUNE`
/// (default 1) the fine-tuning epochs after pruning.
final class CompressionMeasurementTests: XCTestCase {
  let env = ProcessInfo.processInfo.environment

  func testMeasureCompressionOfTheReferenceCNN() throws {
    guard env["LYRA_COMPRESSION_MEASURE"] == "1" else { throw XCTSkip("set LYRA_COMPRESSION_MEASURE=1 to measure") }
    guard let (x, y) = try ReferenceTrainingTests.load("train", count: 60_000),
          let (xt, yt) = try ReferenceTrainingTests.load("t10k", count: 10_000) else {
      throw XCTSkip("Fashion-MNIST is not installed")
    }
    let epochs = Int(env["LYRA_MEASURE_EPOCHS"] ?? "") ?? 2, fineTune = Int(env["LYRA_MEASURE_FINETUNE"] ?? "") ?? 1
    let model = ReferenceModels.cnn(generator: Generator(seed: 0))
    let t0 = Date()
    try train(model, x, y, epochs: epochs, lr: 0.05, seed: 0)
    report("float (\(epochs) epochs, \(Int(Date().timeIntervalSince(t0))) s)", model, xt, yt)

    for bits in [8, 4] {
      let q = try Quantization.apply(model, bits: [bits, bits, bits, bits])
      report("\(bits)-bit weights, no retraining", q, xt, yt)
    }
    let qa = try Quantization.apply(model, bits: [8, 8, 8, 8], activationBits: [8, 8, 8, 8])
    try calibrate(qa, x)
    report("8-bit weights + 8-bit inputs (calibrated on 1,280 images)", qa, xt, yt)
    let q4 = try Quantization.apply(model, bits: [4, 4, 4, 4])
    try train(q4, x, y, epochs: fineTune, lr: 0.01, seed: 2)
    report("4-bit weights + \(fineTune) epoch QAT", q4, xt, yt)

    let pruned = try Pruning.apply(model, masks: try Pruning.l1Masks(model, keep: 0.5))
    report("50% channels pruned (L1), before fine-tune", pruned, xt, yt)
    try train(pruned, x, y, epochs: fineTune, lr: 0.01, seed: 1)
    report("50% channels pruned (L1) + \(fineTune) epoch fine-tune", pruned, xt, yt)
  }

  /// SGD with momentum 0.9, batch 128, cosine learning rate (lyra-bench's recipe).
  func train(_ model: Module, _ x: Tensor, _ y: Tensor, epochs: Int, lr: Double, seed: UInt64) throws {
    let opt = SGD(model.parameters(), lr: lr, momentum: 0.9)
    let n = x.shape[0], batch = 128, steps = (n + batch - 1) / batch, total = epochs * steps
    let g = Generator(seed: seed)
    var t = 0
    model.train()
    for _ in 0..<epochs {
      let perm = g.permutation(n)
      for b in 0..<steps {
        let idx = Tensor(indices: Array(perm[(b * batch)..<min(n, (b + 1) * batch)]))
        opt.lr = 0.5 * lr * (1 + cos(Double.pi * Double(t) / Double(total)))
        opt.zeroGrad()
        let loss = Tensor.crossEntropy(try model(x.indexSelect(0, idx)), y.indexSelect(0, idx))
        loss.backward()
        opt.step()
        t += 1
      }
    }
    model.eval()
  }

  /// Sets the activation ranges of the quantised layers from training images (only those
  /// layers in training mode, so batch norm statistics stay as trained).
  func calibrate(_ model: Module, _ x: Tensor) throws {
    model.eval()
    for (_, m) in model.namedModules() where m is QuantizedLayer { m.train() }
    try Tensor.noGrad { for b in 0..<10 { _ = try model(x.narrow(0, b * 128, 128)) } }
    model.eval()
  }

  func accuracy(_ model: Module, _ x: Tensor, _ y: Tensor) -> Double {
    model.eval()
    let labels = y.toIntArray()
    var correct = 0
    Tensor.noGrad {
      for s in stride(from: 0, to: x.shape[0], by: 1000) {
        let n = min(1000, x.shape[0] - s)
        let pred = try! model(x.narrow(0, s, n)).argmax(1).toIntArray()
        for j in 0..<n where pred[j] == labels[s + j] { correct += 1 }
      }
    }
    return Double(correct) / Double(x.shape[0])
  }

  func report(_ what: String, _ model: Module, _ x: Tensor, _ y: Tensor) {
    let acc = accuracy(model, x, y)
    let macs = (try? Profile(model, inputShape: [1, 1, 28, 28]).macsPerSample) ?? -1
    let l1 = (try? Latency.measure(model, inputShape: [1, 1, 28, 28], warmup: 5, repeats: 50)) ?? -1
    let l256 = (try? Latency.measure(model, inputShape: [256, 1, 28, 28], warmup: 2, repeats: 10)) ?? -1
    print(String(format: "compression | %@ | test acc %.2f%% | %.3f M MACs | %d params | %.1f KiB | latency batch 1: %.3f ms, batch 256: %.1f ms",
                 what, acc * 100, Double(macs) / 1e6, model.parameterCount, Double(Quantization.sizeBits(model)) / 8 / 1024,
                 l1 * 1e3, l256 * 1e3))
  }
}
