import Foundation
import LyraKernels

/// `lyra-bench conv-ab`: one thread, the reference models' stride-1 convolution layers (batch 32)
/// by the implicit GEMM and by im2col, alternating, 9 rounds; per call the thread's CPU time
/// (CLOCK_THREAD_CPUTIME_ID, so other processes on the cores count only through shared caches
/// and frequency), minimum and median. Forward and input gradient.
func convAB() {
  KernelParallel.setThreads(1)
  let shapes: [(String, Conv2dShape)] = [
    ("resnet 16->16 28x28", Conv2dShape(batch: 32, inChannels: 16, height: 28, width: 28, outChannels: 16, kernel: 3, padding: 1)),
    ("resnet 32->32 14x14", Conv2dShape(batch: 32, inChannels: 32, height: 14, width: 14, outChannels: 32, kernel: 3, padding: 1)),
    ("resnet 64->64 7x7", Conv2dShape(batch: 32, inChannels: 64, height: 7, width: 7, outChannels: 64, kernel: 3, padding: 1)),
    ("cnn 1->32 28x28", Conv2dShape(batch: 32, inChannels: 1, height: 28, width: 28, outChannels: 32, kernel: 3, padding: 1)),
    ("cnn 32->64 14x14", Conv2dShape(batch: 32, inChannels: 32, height: 14, width: 14, outChannels: 64, kernel: 3, padding: 1)),
  ]
  func cpuNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }
  for (name, s) in shapes {
    let x = [Float](repeating: 0.5, count: s.inputCount).enumerated().map { Float($0.offset % 7) * 0.1 - 0.3 }
    let w = [Float](repeating: 0, count: s.weightCount).enumerated().map { Float($0.offset % 5) * 0.1 - 0.2 }
    var y = [Float](repeating: 0, count: s.outputCount), dx = [Float](repeating: 0, count: s.inputCount)
    var times: [String: [Double]] = [:]
    for _ in 0..<9 {
      for implicit in [true, false] {
        Conv2dTuning.implicitGemm = implicit
        let reps = 5
        var t0 = cpuNow()
        for _ in 0..<reps { conv2dForward(s, input: x, weight: w, output: &y) }
        times["fwd \(implicit)", default: []].append((cpuNow() - t0) / Double(reps))
        t0 = cpuNow()
        for _ in 0..<reps { conv2dBackwardInput(s, gradOutput: y, weight: w, gradInput: &dx) }
        times["dx \(implicit)", default: []].append((cpuNow() - t0) / Double(reps))
      }
    }
    for pass in ["fwd", "dx"] {
      let on = times["\(pass) true"]!.sorted(), off = times["\(pass) false"]!.sorted()
      let gf = { (t: Double) in round2(2 * Double(s.macs) / t / 1e9) }
      printJSON(["kind": "conv_ab", "layer": name, "pass": pass, "batch": s.batch, "isa": KernelISA.active.description,
                 "implicit_ms_min": round2(1000 * on[0]), "implicit_ms_median": round2(1000 * on[4]),
                 "im2col_ms_min": round2(1000 * off[0]), "im2col_ms_median": round2(1000 * off[4]),
                 "implicit_gflops_min": gf(on[0]), "im2col_gflops_min": gf(off[0]),
                 "speedup_min": round2(off[0] / on[0]), "speedup_median": round2(off[4] / on[4])])
    }
  }
  Conv2dTuning.implicitGemm = true
}
