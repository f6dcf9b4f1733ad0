import Foundation
import LyraBase
import LyraNN
import LyraTensor
import XCTest
@testable import LyraPipeline

/// Every metric against values computed by hand or by an independent formula.
final class MetricTests: XCTestCase {
  func labels(_ v: [Int]) -> Tensor { Tensor(indices: v) }

  func testTopKAccuracy() throws {
    // Row scores; true labels 2, 0, 1, 3. Ranks of the true class: 0, 2, 1, 3.
    let out = Tensor([0.1, 0.2, 0.9, 0.0,
                      0.1, 0.5, 0.3, 0.05,
                      0.6, 0.5, 0.1, 0.0,
                      0.4, 0.3, 0.2, 0.1], shape: [4, 4])
    let m = try Accuracy(topk: [1, 2, 3])
    try m.update(output: out, target: labels([2, 0, 1, 3]))
    let s = try m.summary()
    XCTAssertEqual(s["accuracy_top1"], 0.25)
    XCTAssertEqual(s["accuracy_top2"], 0.5)
    XCTAssertEqual(s["accuracy_top3"], 0.75)
    XCTAssertEqual(s["accuracy"], 0.25)
    // Accumulates over batches: a second batch of one correct sample.
    try m.update(output: Tensor([1, 0, 0, 0], shape: [1, 4]), target: labels([0]))
    XCTAssertEqual(try m.summary()["accuracy_top1"]!, 2.0 / 5, accuracy: 1e-12)
    // One k: just `accuracy`; k above the class count counts everything.
    let one = try Accuracy(topk: [1])
    try one.update(output: out, target: labels([2, 0, 1, 3]))
    XCTAssertEqual(try one.summary(), ["accuracy": 0.25])
    let big = try Accuracy(topk: [1, 10])
    try big.update(output: out, target: labels([2, 0, 1, 3]))
    XCTAssertEqual(try big.summary()["accuracy_top10"], 1)
    m.reset()
    XCTAssertEqual(try m.summary()["accuracy"], 0)
  }

  func testAccuracyRejectsBadLabels() throws {
    let m = try Accuracy(topk: [1])
    XCTAssertThrowsError(try m.update(output: Tensor([1, 2], shape: [1, 2]), target: labels([5])))
    XCTAssertThrowsError(try m.update(output: Tensor([1, 2], shape: [1, 2]), target: labels([0, 1])))
  }

  func testMSE() throws {
    let m = MSEMetric()
    try m.update(output: Tensor([1, 2, 3]), target: Tensor([1, 0, 0]))  // 0 + 4 + 9
    try m.update(output: Tensor([0.5]), target: Tensor([0]))            // 0.25
    XCTAssertEqual(try m.summary()["MSE"]!, 13.25 / 4, accuracy: 1e-9)
    XCTAssertEqual(m.objective, .minimize)
  }

  /// AUC from the rank formula equals the pairwise definition P(s+ > s-) + ½ P(tie).
  func testAUCMatchesPairwiseFormula() throws {
    let g = LyraBase.Generator(seed: 7)
    var scores: [Float] = [], ys: [Int] = []
    for _ in 0..<200 {
      let y = g.nextFloat() < 0.4 ? 1 : 0
      // Five levels, so that ties occur; positives shifted up a little.
      scores.append(Float(Int(g.nextFloat() * 5)) / 5 + (y == 1 ? 0.2 : 0))
      ys.append(y)
    }
    var pairs = 0.0, wins = 0.0
    for i in scores.indices where ys[i] == 1 {
      for j in scores.indices where ys[j] == 0 {
        pairs += 1
        wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0
      }
    }
    let m = AUC()
    // In two batches, to check accumulation.
    try m.update(output: Tensor(Array(scores[..<77])), target: labels(Array(ys[..<77])))
    try m.update(output: Tensor(Array(scores[77...]), shape: [123, 1]), target: labels(Array(ys[77...])))
    XCTAssertEqual(try m.summary()["AUC"]!, wins / pairs, accuracy: 1e-12)
    // Small hand case: positives 0.8, 0.4; negatives 0.5, 0.1 → 3 of 4 pairs won.
    XCTAssertEqual(AUC.auc(scores: [0.8, 0.4, 0.5, 0.1], labels: [1, 1, 0, 0]), 0.75)
    // Two-column logits use logit1 − logit0.
    let two = AUC()
    try two.update(output: Tensor([0, 0.8, 0, 0.4, 0, 0.5, 0, 0.1], shape: [4, 2]), target: labels([1, 1, 0, 0]))
    XCTAssertEqual(try two.summary()["AUC"]!, 0.75, accuracy: 1e-7)
    // One class only: undefined, an error rather than a made-up number.
    let bad = AUC()
    try bad.update(output: Tensor([0.1, 0.2]), target: labels([1, 1]))
    XCTAssertThrowsError(try bad.summary())
  }

  func testF1BinaryAndMacro() throws {
    // Binary from logits: predictions 1,1,0,0,1 vs truth 1,0,0,1,1 → TP 2, FP 1, FN 1 → F1 = 4/6.
    let b = F1()
    try b.update(output: Tensor([2, 1, -1, -3, 0.5]), target: labels([1, 0, 0, 1, 1]))
    XCTAssertEqual(try b.summary()["F1"]!, 4.0 / 6, accuracy: 1e-12)
    // Macro over 3 classes: preds 0,1,2,2,1,0 vs truth 0,1,1,2,2,0.
    // class 0: TP2 FP0 FN0 → 1; class 1: TP1 FP1 FN1 → 0.5; class 2: TP1 FP1 FN1 → 0.5 → mean 2/3.
    let out = Tensor([9, 0, 0, 0, 9, 0, 0, 0, 9, 0, 0, 9, 0, 9, 0, 9, 0, 0], shape: [6, 3])
    let m = F1(average: .macro)
    try m.update(output: out, target: labels([0, 1, 1, 2, 2, 0]))
    XCTAssertEqual(try m.summary()["F1"]!, 2.0 / 3, accuracy: 1e-12)
    let auto = F1()
    try auto.update(output: out, target: labels([0, 1, 1, 2, 2, 0]))
    XCTAssertEqual(try auto.summary()["F1"]!, 2.0 / 3, accuracy: 1e-12)
    // Micro = accuracy for single-label data: 4 of 6.
    let mi = F1(average: .micro)
    try mi.update(output: out, target: labels([0, 1, 1, 2, 2, 0]))
    XCTAssertEqual(try mi.summary()["F1"]!, 4.0 / 6, accuracy: 1e-12)
  }

  func testPSNROfKnownMSE() throws {
    // Every pixel off by 0.1 → MSE 0.01 → PSNR 20 dB (values in 0…1, no crop, no luma).
    let target = Tensor((0..<(2 * 3 * 8 * 8)).map { Float($0 % 7) / 10 }, shape: [2, 3, 8, 8])
    let out = target + 0.1
    let m = PSNR(maxRGB: 1, scale: 0, toY: false)
    try m.update(output: out, target: target)
    XCTAssertEqual(try m.summary()["PSNR"]!, 20, accuracy: 1e-4)
    // 0…255 images with max_rgb 255: off by 25.5 is the same 20 dB.
    let m2 = PSNR(maxRGB: 255, scale: 0, toY: false)
    try m2.update(output: target * 255 + 25.5, target: target * 255)
    XCTAssertEqual(try m2.summary()["PSNR"]!, 20, accuracy: 1e-3)
    // Identical images: capped.
    let m3 = PSNR(maxRGB: 1, scale: 0, toY: false)
    try m3.update(output: target, target: target)
    XCTAssertEqual(try m3.summary()["PSNR"], PSNR.cap)
    // The border crop removes the only differing pixels.
    var v = target.toArray(); v[0] += 0.5
    let m4 = PSNR(maxRGB: 1, scale: 1, toY: false)
    try m4.update(output: Tensor(v, shape: target.shape), target: target)
    XCTAssertEqual(try m4.summary()["PSNR"], PSNR.cap)
  }

  func testSSIM() throws {
    let g = LyraBase.Generator(seed: 3)
    let x = Tensor((0..<(2 * 1 * 16 * 16)).map { _ in g.nextFloat() }, shape: [2, 1, 16, 16])
    let same = SSIM(maxRGB: 1, scale: 0, toY: false)
    try same.update(output: x, target: x)
    XCTAssertEqual(try same.summary()["SSIM"]!, 1, accuracy: 1e-12)

    // Constant images a and b (0…255): σ = 0, so SSIM = (2ab + C1)/(a² + b² + C1).
    let (a, b) = (100.0, 150.0), c1 = (0.01 * 255) * (0.01 * 255)
    let ca = Tensor.full([1, 1, 12, 12], Float(a / 255)), cb = Tensor.full([1, 1, 12, 12], Float(b / 255))
    let cst = SSIM(maxRGB: 1, scale: 0, toY: false)
    try cst.update(output: ca, target: cb)
    XCTAssertEqual(try cst.summary()["SSIM"]!, (2 * a * b + c1) / (a * a + b * b + c1), accuracy: 1e-5)

    // An 11×11 image is one window: compare with the weighted statistics written out.
    let p = (0..<121).map { _ in Double(g.nextFloat()) * 255 }, q = p.map { min(255, $0 * 0.8 + 20) }
    var w = [Double](repeating: 0, count: 121), ws = 0.0
    for i in 0..<11 { for j in 0..<11 { w[i * 11 + j] = exp(-Double((i - 5) * (i - 5) + (j - 5) * (j - 5)) / 4.5); ws += w[i * 11 + j] } }
    w = w.map { $0 / ws }
    let mp = zip(w, p).map(*).reduce(0, +), mq = zip(w, q).map(*).reduce(0, +)
    let vp = (0..<121).map { w[$0] * (p[$0] - mp) * (p[$0] - mp) }.reduce(0, +)
    let vq = (0..<121).map { w[$0] * (q[$0] - mq) * (q[$0] - mq) }.reduce(0, +)
    let cv = (0..<121).map { w[$0] * (p[$0] - mp) * (q[$0] - mq) }.reduce(0, +)
    let c2 = (0.03 * 255) * (0.03 * 255)
    let expected = ((2 * mp * mq + c1) * (2 * cv + c2)) / ((mp * mp + mq * mq + c1) * (vp + vq + c2))
    let one = SSIM(maxRGB: 255, scale: 0, toY: false)
    try one.update(output: Tensor(p.map(Float.init), shape: [1, 1, 11, 11]), target: Tensor(q.map(Float.init), shape: [1, 1, 11, 11]))
    XCTAssertEqual(try one.summary()["SSIM"]!, expected, accuracy: 1e-4)
    XCTAssertLessThan(expected, 0.999)

    // Too small after cropping: an error, not a crash.
    let small = SSIM()
    XCTAssertThrowsError(try small.update(output: Tensor.zeros([1, 1, 12, 12]), target: Tensor.zeros([1, 1, 12, 12])))
  }

  func testRegistryByVEGANames() throws {
    let set = try MetricSet(json: .array([.object(["type": .string("accuracy"), "params": .object(["topk": .array([JSON(1), JSON(5)])])]),
                                          .string("f1_score"), .string("psnr")]))
    XCTAssertEqual(set.metrics.map(\.name), ["accuracy", "F1", "PSNR"])
    XCTAssertEqual(set.mainKey, "accuracy")
    XCTAssertThrowsError(try MetricRegistry.make(.string("acuracy"))) { e in
      XCTAssertTrue("\(e)".contains("did you mean 'accuracy'"), "\(e)")
    }
    XCTAssertThrowsError(try MetricRegistry.make(.object(["type": .string("accuracy"), "params": .object(["top_k": JSON(1)])]))) { e in
      XCTAssertTrue("\(e)".contains("unknown key 'top_k'") && "\(e)".contains("'topk'"), "\(e)")
    }
  }
}
