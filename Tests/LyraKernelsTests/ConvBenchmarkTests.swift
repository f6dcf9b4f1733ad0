import XCTest
import Foundation
import CBLAS
@testable import LyraKernels

/// Timings of the CNN's convolutions at batch 128 (run only with LYRA_BENCH=1, in release:
/// `LYRA_BENCH=1 swift test -c release --scratch-path .build-kernels-rel -Xswiftc -enable-testing --filter ConvBenchmarkTests`).
/// Prints GFLOP/s (2·MACs per second); asserts nothing about speed.
final class ConvBenchmarkTests: XCTestCase {
  static let cnnShapes: [(String, Conv2dShape)] = [
    ("conv1 1→32 28x28", Conv2dShape(batch: 128, inChannels: 1, height: 28, width: 28, outChannels: 32, kernel: 3, padding: 1)),
    ("conv2 32→64 14x14", Conv2dShape(batch: 128, inChannels: 32, height: 14, width: 14, outChannels: 64, kernel: 3, padding: 1)),
    ("res 16→16 28x28", Conv2dShape(batch: 128, inChannels: 16, height: 28, width: 28, outChannels: 16, kernel: 3, padding: 1)),
    ("res 64→64 7x7", Conv2dShape(batch: 128, inChannels: 64, height: 7, width: 7, outChannels: 64, kernel: 3, padding: 1)),
    ("res 1x1 s2 32→64", Conv2dShape(batch: 128, inChannels: 32, height: 14, width: 14, outChannels: 64, kernel: 1, stride: 2)),
  ]

  static func time(_ reps: Int, _ body: () -> Void) -> Double {
    body()
    var best = Double.infinity
    for _ in 0..<reps {
      let t0 = DispatchTime.now().uptimeNanoseconds
      body()
      best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    return best
  }

  func testConvThroughput() throws {
    guard ProcessInfo.processInfo.environment["LYRA_BENCH"] == "1" else { throw XCTSkip("set LYRA_BENCH=1 to run benchmarks") }
    let saved = (KernelParallel.maxThreads, Conv2dTuning.minColumns, Int(openblas_get_num_threads()))
    defer {
      KernelParallel.maxThreads = saved.0; Conv2dTuning.minColumns = saved.1; openblas_set_num_threads(Int32(saved.2))
    }
    let configs: [(String, Int, Int, Int)] = [  // name, our threads, minColumns, BLAS threads when ours = 1
      ("split2 perImage", 2, 0, 1), ("split2 cols1024", 2, 1024, 1), ("split2 cols4096", 2, 4096, 1),
      ("split2 auto", 2, -1, 1), ("serial blas2 perImage", 1, 0, 2), ("serial blas2 cols4096", 1, 4096, 2), ("serial blas1", 1, 0, 1),
    ]
    let filter = ProcessInfo.processInfo.environment["LYRA_BENCH_CONFIG"]
    for (name, s) in ConvBenchmarkTests.cnnShapes {
      var rng = TestRNG(7)
      let x = rng.array(s.inputCount), w = rng.array(s.weightCount, scale: 0.1), dy = rng.array(s.outputCount)
      var y = [Float](repeating: 0, count: s.outputCount), dx = [Float](repeating: 0, count: s.inputCount)
      var dw = [Float](repeating: 0, count: s.weightCount)
      let gflop = 2 * Double(s.macs) / 1e9
      for (cname, threads, cols, blas) in configs {
        if let f = filter, !cname.contains(f) { continue }
        KernelParallel.maxThreads = threads; Conv2dTuning.minColumns = cols
        openblas_set_num_threads(Int32(blas))
        let tf = ConvBenchmarkTests.time(5) { conv2dForward(s, input: x, weight: w, output: &y) }
        let ti = ConvBenchmarkTests.time(5) { conv2dBackwardInput(s, gradOutput: dy, weight: w, gradInput: &dx) }
        let tw = ConvBenchmarkTests.time(5) { conv2dBackwardWeight(s, input: x, gradOutput: dy, gradWeight: &dw) }
        print(String(format: "BENCH %-20@ %-24@ fwd %6.1f GF/s (%.2f ms)  bwdIn %6.1f GF/s (%.2f ms)  bwdW %6.1f GF/s (%.2f ms)",
                     name as NSString, cname as NSString, gflop / tf, tf * 1e3, gflop / ti, ti * 1e3, gflop / tw, tw * 1e3))
      }
    }
  }

  /// The CNN's memory-bound layers at batch 128: BN(+ReLU) train forward/backward and 2×2 max pool.
  func testBatchNormAndPoolThroughput() throws {
    guard ProcessInfo.processInfo.environment["LYRA_BENCH"] == "1" else { throw XCTSkip("set LYRA_BENCH=1 to run benchmarks") }
    for (c, hw) in [(32, 28), (64, 14)] {
      let s = BatchNormShape(batch: 128, channels: c, height: hw, width: hw)
      var rng = TestRNG(9)
      let x = rng.array(s.count), g = rng.array(s.count), gamma = [Float](repeating: 1, count: c), beta = [Float](repeating: 0, count: c)
      var y = [Float](repeating: 0, count: s.count), dx = y
      var mean = [Float](repeating: 0, count: c), invstd = mean, rm = mean, rv = mean, dg = mean, db = mean
      let tf = ConvBenchmarkTests.time(5) {
        batchNormTrainForward(s, input: x, gamma: gamma, beta: beta, output: &y, saveMean: &mean, saveInvstd: &invstd,
                              runningMean: &rm, runningVar: &rv, relu: true)
      }
      let tb = ConvBenchmarkTests.time(5) {
        batchNormBackward(s, gradOutput: g, input: x, gamma: gamma, saveMean: mean, saveInvstd: invstd,
                          gradInput: &dx, gradGamma: &dg, gradBeta: &db, reluOutput: y)
      }
      let ps = Pool2dShape(batch: 128, channels: c, height: hw, width: hw, kernel: 2)
      var py = [Float](repeating: 0, count: ps.outputCount), ind = [Int32](repeating: 0, count: ps.outputCount)
      let tp = ConvBenchmarkTests.time(5) { maxPool2dForward(ps, input: x, output: &py, indices: &ind) }
      let tpb = ConvBenchmarkTests.time(5) { maxPool2dBackward(ps, gradOutput: py, indices: ind, gradInput: &dx) }
      let mb = Double(s.count * 4) / 1e6
      print(String(format: "BENCH bn+relu/maxpool %dx%dx%d: bnFwd %.2f ms (%.1f GB/s in)  bnBwd %.2f ms  poolFwd %.2f ms  poolBwd %.2f ms",
                   c, hw, hw, tf * 1e3, mb / tf / 1e3, tb * 1e3, tp * 1e3, tpb * 1e3))
    }
  }
}
