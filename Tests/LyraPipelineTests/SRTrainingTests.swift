import CImage
import Foundation
import LyraBase
import LyraData
import LyraNets
import LyraNN
import LyraTensor
import XCTest
@testable import LyraPipeline

/// Super-resolution end to end below the pipeline: a DIV2K-type dataset section, the
/// packed-pair batches, a tiny EDSR trained briefly with L1 and Adam, and the SR metrics
/// protocol (Y channel, border crop, per-image mean).
final class SRTrainingTests: XCTestCase {
  var dir = ""

  override func setUpWithError() throws {
    dir = NSTemporaryDirectory() + "lyra-sr-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir + "/hr", withIntermediateDirectories: true)
  }
  override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

  /// A "photograph" of smooth shading, oriented stripes of varying frequency and a few
  /// hard-edged discs: content where the up-sampler matters, unlike flat noise.
  static func scene(_ k: Int, size n: Int) -> [UInt8] {
    let g = Generator(seed: UInt64(100 + k))
    let (fx, fy, ph) = (g.uniform(0.15, 0.6), g.uniform(0.15, 0.6), g.uniform(0, 6.28))
    let discs = (0..<4).map { _ in (g.uniform(0, Double(n)), g.uniform(0, Double(n)), g.uniform(3, 9), g.uniform(-80, 80)) }
    var px = [UInt8](repeating: 0, count: n * n * 3)
    for y in 0..<n {
      for x in 0..<n {
        var v = 110 + 60 * sin(fx * Double(x) + fy * Double(y) * 0.7 + ph) + 0.8 * Double(x - y)
        for (cx, cy, r, d) in discs where (Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy) < r * r { v += d }
        for c in 0..<3 { px[(y * n + x) * 3 + c] = UInt8(max(0, min(255, v + Double(c * 15 - 15)))) }
      }
    }
    return px
  }

  func writeScenes(_ count: Int, size: Int) throws {
    for k in 0..<count {
      var out: UnsafeMutablePointer<UInt8>?
      var bytes = 0
      var msg = [CChar](repeating: 0, count: 200)
      let px = SRTrainingTests.scene(k, size: size)
      XCTAssertEqual(lyra_png_encode(px, Int32(size), Int32(size), 3, &out, &bytes, &msg), 0)
      try Data(UnsafeBufferPointer(start: out, count: bytes)).write(to: URL(fileURLWithPath: "\(dir)/hr/s\(k).png"))
      lyra_bytes_free(out)
    }
  }

  func section(_ text: String) throws -> DatasetSection {
    try DatasetSection(json: try JSON.parse(Data(text.utf8)))
  }

  /// PSNR of a model (or of bicubic when nil) over a loader, on Y with the 2-pixel border cut.
  func psnr(_ model: Module?, _ loader: DataLoader) throws -> Double {
    let m = PSNR(maxRGB: 255, scale: 2, toY: true)
    let make = TrainerBatch.pairs(channels: 3)
    let it = loader.batches(epoch: 0)
    while let b = it.next() {
      let (x, y) = try make(b)
      if let model {
        try m.update(output: try Tensor.noGrad { try model(x) }, target: y)
      } else {
        let lr = Image(channels: 3, height: x.shape[2], width: x.shape[3], pixels: x.toArray())
        let up = Imresize.upscale(lr, by: 2)
        try m.update(output: Tensor(up.pixels, shape: [1, 3, up.height, up.width]), target: y)
      }
    }
    return try m.summary()["PSNR"]!
  }

  /// The issue's evidence: a tiny network (1 ResBlock, 8 features, bilinear skip) trained
  /// for 250 steps on 5 images beats bicubic PSNR on 2 held-out images.
  func testTinyNetworkBeatsBicubicOnHeldOutImages() throws {
    try writeScenes(7, size: 48)
    let data = try section("""
      {"type": "DIV2K", "common": {"root_HR": "\(dir)/hr", "upscale": 2},
       "train": {"images": ["s0.png", "s1.png", "s2.png", "s3.png", "s4.png"], "crop": 24, "hflip": true, "vflip": true, "rot90": true, "batch_size": 5},
       "test": {"images": ["s5.png", "s6.png"], "batch_size": 1}}
      """)
    let train = try data.loader(.train), test = try data.loader(.test)
    XCTAssertEqual(try data.sampleShape(), [3, 24, 24])
    Tensor.manualSeed(1)
    let model = try NetworkRegistry.build(try JSON.parse(Data(#"{"type": "EDSR", "n_resblocks": 1, "n_feats": 8, "skip": "bilinear"}"#.utf8)), input: [3, 12, 12])
    let trainer = try Trainer(json: try JSON.parse(Data("""
      {"epochs": 250, "seed": 1, "optimizer": {"type": "Adam", "params": {"lr": 0.003}}, "loss": {"type": "L1Loss"},
       "lr_scheduler": {"type": "MultiStepLR", "params": {"milestones": [200], "gamma": 0.5}},
       "metric": {"type": "PSNR", "params": {"scale": 2, "max_rgb": 255}}, "valid_interval": 1000}
      """.utf8)), model: model, train: train, valid: test)
    trainer.makeBatch = data.batchMaker
    trainer.sampleShape = try data.sampleShape()
    trainer.log = { _ in }
    _ = try trainer.train()
    let bicubic = try psnr(nil, test), lyra = try psnr(model, test)
    print("tiny SR: bicubic \(bicubic) dB, tiny EDSR \(lyra) dB")
    XCTAssertGreaterThan(lyra, bicubic + 0.1)
  }

  /// Batches unpack to LR input and aligned HR target; whole-image sets need batch_size 1.
  func testSectionKeysAndBatches() throws {
    try writeScenes(2, size: 20)
    let data = try section(#"{"type": "Set5", "test": {"root_HR": "\#(dir)/hr", "upscale": 2, "batch_size": 1, "color": "y"}}"#)
    let b = try data.loader(.test).batches(epoch: 0).next()!
    let (x, y) = try TrainerBatch.pairs(channels: 1)(b)
    XCTAssertEqual(x.shape, [1, 1, 10, 10])
    XCTAssertEqual(y.shape, [1, 1, 20, 20])
    XCTAssertEqual(try data.sampleShape(), [1, 10, 10])
    let bad = try section(#"{"type": "DIV2K", "test": {"root_HR": "\#(dir)/hr", "batch_size": 4}}"#)
    XCTAssertThrowsError(try bad.loader(.test)) { XCTAssertTrue("\($0)".contains("batch_size"), "\($0)") }
    let typo = try section(#"{"type": "DIV2K", "test": {"root_HR": "\#(dir)/hr", "batch_size": 1, "upscal": 2}}"#)
    XCTAssertThrowsError(try typo.loader(.test)) { XCTAssertTrue("\($0)".contains("upscal"), "\($0)") }
    let noRoot = try section(#"{"type": "DIV2K", "test": {"batch_size": 1}}"#)
    XCTAssertThrowsError(try noRoot.loader(.test)) { XCTAssertTrue("\($0)".contains("root_HR"), "\($0)") }
  }

  /// The SR protocol by hand: an error only in R of size d moves Y by 65.738/256·d; the
  /// border of `scale` pixels is not scored; images are averaged per image (20 and 40 dB
  /// give 30, where one pooled MSE would give 23.0).
  func testPSNRProtocolHandValues() throws {
    let base = Tensor.full([1, 3, 12, 12], 100)
    var v = base.toArray()
    for i in 0..<(12 * 12) { v[i] += 10 }  // R plane + 10 → Y + 2.5679 (in 0…255)
    let m = PSNR(maxRGB: 255, scale: 2, toY: true)
    try m.update(output: Tensor(v, shape: base.shape), target: base)
    let dy = 65.738 / 256 * 10
    XCTAssertEqual(try m.summary()["PSNR"]!, 10 * log10(255 * 255 / (dy * dy)), accuracy: 1e-3)
    // Per-image mean: image 1 off by 25.5 (20 dB), image 2 off by 2.55 (40 dB), grey images.
    let t = Tensor.full([2, 1, 8, 8], 50)
    var o = t.toArray()
    for i in 0..<64 { o[i] += 25.5; o[64 + i] += 2.55 }
    let p = PSNR(maxRGB: 255, scale: 2, toY: true)
    try p.update(output: Tensor(o, shape: t.shape), target: t)
    XCTAssertEqual(try p.summary()["PSNR"]!, 30, accuracy: 1e-3)
  }
}
