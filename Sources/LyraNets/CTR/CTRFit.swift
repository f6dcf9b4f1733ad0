import LyraBase
import LyraNN
import LyraTensor

/// A plain CTR training loop over in-memory field ids, for tests, AutoFIS's stages run from
/// code and the benchmark: batches in a seeded order, BCE-with-logits loss, Adam on the
/// dense parameters plus `CTRSteps`. The pipeline trains through its `Trainer` instead,
/// with the same `CTRSteps` in a callback.
public enum CTRFit {
  /// `ids`: N × F global ids, `labels` 0/1.
  public static func train(_ net: CTRNetwork, ids: [Int32], labels: [Int32], epochs: Int, batchSize: Int, lr: Double,
                           grda: (lr: Double, c: Double, mu: Double)? = nil, seed: UInt64 = 0) throws {
    let f = net.fields, n = labels.count
    guard ids.count == n * f, batchSize > 0 else { throw ShapeError("CTRFit: \(ids.count) ids for \(n) samples of \(f) fields") }
    let steps = try CTRSteps(net, lr: lr, grda: grda)
    let dense = Adam(net.parameters().filter { $0 !== net.alpha || grda == nil }, lr: lr)
    net.train()
    for e in 0..<epochs {
      let g = Generator(seed: seed).split(stream: UInt64(e))
      var order = Array(0..<n)
      for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, g.int(below: i + 1)) }
      for start in stride(from: 0, to: n, by: batchSize) {
        let rows = order[start ..< min(n, start + batchSize)]
        var x = [Float](), y = [Float]()
        for r in rows {
          x += ids[r * f ..< (r + 1) * f].map { Float($0) }
          y.append(Float(labels[r]))
        }
        dense.zeroGrad()
        let out = try net(Tensor(x, shape: [rows.count, f]))
        let loss = Tensor.bceWithLogits(out, Tensor(y, shape: [rows.count, 1]))
        loss.backward()
        dense.step()
        steps.step()
      }
    }
  }

  /// Logits of every sample (eval mode, no gradients).
  public static func predict(_ net: CTRNetwork, ids: [Int32], batchSize: Int = 4096) throws -> [Float] {
    let f = net.fields, n = ids.count / max(1, f)
    net.eval()
    defer { net.train() }
    var out: [Float] = []
    try Tensor.noGrad {
      for start in stride(from: 0, to: n, by: batchSize) {
        let m = min(n, start + batchSize) - start
        out += try net(Tensor(ids[start * f ..< (start + m) * f].map { Float($0) }, shape: [m, f])).toArray()
      }
    }
    return out
  }
}
