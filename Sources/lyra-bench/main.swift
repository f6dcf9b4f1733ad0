// lyra-bench: Lyra's training and inference throughput, and full-training accuracy, on the
// reference models (docs/architecture.md#reference-models-and-benchmark-problems), measured the way the optional PyTorch
// script that scripts/bench/train runs beside it measures PyTorch, so Lyra's and PyTorch's figures can be compared side by side. Run through scripts/bench/train.
//
//   lyra-bench train-bench MODEL THREADS    forward + loss + backward + SGD step, batch 128
//   lyra-bench infer-bench MODEL THREADS    eval mode, no grad, batch 256
//   lyra-bench fulltrain MODEL SEED [THREADS] [EPOCHS]   3 epochs, cosine schedule, test accuracy
//   lyra-bench int8 MODEL THREADS [EPOCHS]   integer vs float inference: accuracy and throughput
//
// MODEL is mlp | cnn | resnet_mini. Each command prints one JSON line on stdout.
// LYRA_BENCH_QUICK=1 gives one short repeat (a smoke test; timings meaningless); LYRA_BENCH_STEPS=N one
// repeat of N training steps (for profiling); LYRA_BENCH_PROFILE_INT8=1 makes `int8` run only the integer
// inference, for 10 s after a short training (for perf record); LYRA_POOL_GROUP_BYTES=N sets PoolFusion.groupBytes.
import Foundation
import CKernels
import LyraData
import LyraKernels
import LyraNN
import LyraTensor

let TRAIN_BS = 128, INFER_BS = 256
let LR = 0.05, MOMENTUM = 0.9
let quick = ProcessInfo.processInfo.environment["LYRA_BENCH_QUICK"] != nil

func fail(_ msg: String) -> Never {
  FileHandle.standardError.write((msg + "\n").data(using: .utf8)!)
  exit(2)
}

// MARK: - Measurement helpers

let clkTck = Double(sysconf(Int32(_SC_CLK_TCK)))

/// CPU time used by the whole machine (busy ticks) and by this process, for reporting
/// how much other processes used while we measured ("foreign cores").
func sysBusyTicks() -> Double {
  guard let s = try? String(contentsOfFile: "/proc/stat", encoding: .utf8), let line = s.split(separator: "\n").first
  else { return 0 }
  let v = line.split(separator: " ").dropFirst().compactMap { Double($0) }
  guard v.count >= 7 else { return 0 }
  return v[0] + v[1] + v[2] + v[5] + v[6]
}

func selfTicks() -> Double {
  guard let s = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
        let r = s.range(of: ")", options: .backwards) else { return 0 }
  let f = s[r.upperBound...].split(separator: " ")
  guard f.count > 12, let u = Double(f[11]), let k = Double(f[12]) else { return 0 }
  return u + k
}

struct Window {
  /// Wall seconds, other processes' busy cores, and this process's CPU seconds (user + sys: on a
  /// machine shared with other work the figure that moves least between runs).
  var dt = 0.0, foreign = 0.0, cpu = 0.0
  static func measure(_ body: () -> Void) -> Window {
    let b0 = sysBusyTicks(), c0 = selfTicks()
    let t0 = DispatchTime.now().uptimeNanoseconds
    body()
    let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    let b1 = sysBusyTicks(), c1 = selfTicks()
    return Window(dt: dt, foreign: max(0, ((b1 - b0) - (c1 - c0)) / clkTck / dt), cpu: (c1 - c0) / clkTck)
  }
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
func round4(_ x: Double) -> Double { (x * 10000).rounded() / 10000 }

func stats(_ xs: [Double]) -> [String: Any] {
  let s = xs.sorted()
  let med = s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
  return ["min": round2(s.first!), "median": round2(med), "max": round2(s.last!), "n": s.count]
}

func median(_ xs: [Double]) -> Double {
  let s = xs.sorted()
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func peakRSSMiB() -> Double {
  var u = rusage()
  getrusage(RUSAGE_SELF.rawValue, &u)
  return round2(Double(u.ru_maxrss) / 1024)
}

func curRSSMiB() -> Double {
  guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
  for line in s.split(separator: "\n") where line.hasPrefix("VmRSS:") {
    let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
    return round2(kb / 1024)
  }
  return 0
}

func printJSON(_ o: [String: Any]) {
  let d = try! JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])
  print(String(data: d, encoding: .utf8)!)
  fflush(stdout)
}

func setThreads(_ n: Int) {
  precondition(n >= 1, "threads must be ≥ 1")
  // Switches for A/B measurements of the optimisations.
  let env = ProcessInfo.processInfo.environment
  if env["LYRA_NO_FUSION"] != nil { Sequential.fusion = false }
  if env["LYRA_NO_POOL"] != nil { KernelParallel.usePool = false }
  if let g = env["LYRA_POOL_GROUP_BYTES"].flatMap({ Int($0) }) { PoolFusion.groupBytes = g }
  if let c = env["LYRA_CONV_MINCOLS"].flatMap({ Int($0) }) { Conv2dTuning.minColumns = c }
  if env["LYRA_CONV_NO_TRANSPOSED_DW"] != nil { Conv2dTuning.transposedWeightGradient = false }
  if env["LYRA_CONV_NO_IMPLICIT"] != nil { Conv2dTuning.implicitGemm = false }
  if env["LYRA_NO_PREPACK"] != nil { Linear.prepackedInference = false }
  KernelParallel.setThreads(n) // kernels, element-wise ops and OpenBLAS
}

// MARK: - Data

/// A split of Fashion-MNIST as one float tensor [N, 1, 28, 28] normalised as for the reference models
/// ((pixel/255 − 0.2860)/0.3530) and int32 labels [N].
func loadSplit(_ split: Split) -> (x: Tensor, y: Tensor) {
  let ds: FashionMNIST
  do { ds = try FashionMNIST(split: split, normalized: false) } catch { fail("lyra-bench: \(error)") }
  let n = ds.count
  let x = Tensor.empty([n, 1, 28, 28])
  let y = Tensor.empty([n], dtype: .int32)
  var lut = [Float](repeating: 0, count: 256)
  for p in 0..<256 { lut[p] = (Float(p) * Float(1.0 / 255.0) - 0.2860) / 0.3530 }
  let xp = x.data
  ds.data.pixels.withUnsafeBufferPointer { src in
    for i in 0..<src.count { xp[i] = lut[Int(src[i])] }
  }
  let yp = y.intData
  for i in 0..<n { yp[i] = ds.data.labels[i] }
  return (x, y)
}

/// Rows `idx` of x [N, ...] and y [N] gathered into fresh batch tensors (index_select).
func gather(_ x: Tensor, _ y: Tensor, _ idx: ArraySlice<Int>) -> (Tensor, Tensor) {
  let row = x.count / x.shape[0]
  let xb = Tensor.empty([idx.count] + Array(x.shape.dropFirst()))
  let yb = Tensor.empty([idx.count], dtype: .int32)
  for (j, i) in idx.enumerated() {
    (xb.data + j * row).update(from: x.data + i * row, count: row)
    yb.intData[j] = y.intData[i]
  }
  return (xb, yb)
}

func buildModel(_ name: String) -> Sequential {
  guard let m = ReferenceModels.named(name, generator: Generator(seed: 0)) else {
    fail("lyra-bench: unknown model '\(name)' (mlp | cnn | resnet_mini)")
  }
  return m
}

// MARK: - Commands

func trainBench(_ modelName: String, _ threads: Int) {
  setThreads(threads)
  let rssStart = curRSSMiB()
  let (X, Y) = loadSplit(.train)
  let model = buildModel(modelName)
  model.train()
  let opt = SGD(model.parameters(), lr: LR, momentum: MOMENTUM)
  let nb = X.shape[0] / TRAIN_BS
  var i = 0
  var lastLoss: Float = 0
  func step() {
    let b = i % nb
    i += 1
    let xb = X.narrow(0, b * TRAIN_BS, TRAIN_BS), yb = Y.narrow(0, b * TRAIN_BS, TRAIN_BS)
    opt.zeroGrad()
    let loss = Tensor.crossEntropy(try! model(xb), yb)
    loss.backward()
    opt.step()
    lastLoss = loss.item()
  }
  let rssBefore = curRSSMiB()
  for _ in 0..<10 { step() }
  let t0 = now()
  for _ in 0..<5 { step() }
  let per = (now() - t0) / 5
  var steps = max(50, Int((3.0 / per).rounded(.up)))
  var repeats = Double(steps) * per < 6 ? 5 : 3
  if quick { (steps, repeats) = (10, 1) }
  if let s = ProcessInfo.processInfo.environment["LYRA_BENCH_STEPS"].flatMap({ Int($0) }) { (steps, repeats) = (s, 1) }
  var ips: [Double] = [], foreign: [Double] = [], cpuMs: [Double] = []
  for _ in 0..<repeats {
    let w = Window.measure { for _ in 0..<steps { step() } }
    ips.append(Double(steps * TRAIN_BS) / w.dt)
    foreign.append((w.foreign * 1000).rounded() / 1000)
    cpuMs.append(1000 * w.cpu / Double(steps))
  }
  let med = median(ips)
  printJSON(["kind": "train_bench", "engine": "lyra", "isa": KernelISA.active.description, "model": modelName, "threads": threads, "batch": TRAIN_BS,
             "steps_per_repeat": steps, "warmup_steps": 15, "images_per_s": stats(ips),
             "ms_per_step_median": round2(1000 * Double(TRAIN_BS) / med), "cpu_ms_per_step": stats(cpuMs),
             "gflops_effective_median": round2(3 * Double(modelFlops(modelName)) * med / 1e9),
             "foreign_cores_per_repeat": foreign, "final_loss": round4(Double(lastLoss)),
             "rss_at_start_mib": rssStart, "rss_after_data_mib": rssBefore, "peak_rss_mib": peakRSSMiB()])
}

/// Images per second of `model` on batch X (no grad), 5 repeats after a warm-up, each about 1.5 s.
func inferThroughput(_ model: Module, _ X: Tensor) -> (ips: [Double], foreign: [Double], iters: Int, cpuMs: [Double]) {
  var ips: [Double] = [], foreign: [Double] = [], cpuMs: [Double] = []
  var iters = 0
  Tensor.noGrad {
    for _ in 0..<5 { _ = try! model(X) }
    let t0 = now()
    for _ in 0..<5 { _ = try! model(X) }
    let per = (now() - t0) / 5
    iters = quick ? 10 : max(20, Int((1.5 / per).rounded(.up)))
    for _ in 0..<(quick ? 1 : 5) {
      let w = Window.measure { for _ in 0..<iters { _ = try! model(X) } }
      ips.append(Double(iters * X.shape[0]) / w.dt)
      foreign.append((w.foreign * 1000).rounded() / 1000)
      cpuMs.append(1000 * w.cpu / Double(iters))
    }
  }
  return (ips, foreign, iters, cpuMs)
}

func inferBench(_ modelName: String, _ threads: Int) {
  setThreads(threads)
  let rssStart = curRSSMiB()
  let (Xt, _) = loadSplit(.test)
  let X = Xt.narrow(0, 0, INFER_BS).contiguous()
  let model = buildModel(modelName)
  model.eval()
  let rssBefore = curRSSMiB()
  let (ips, foreign, iters, cpuMs) = inferThroughput(model, X)
  let med = median(ips)
  printJSON(["kind": "infer_bench", "engine": "lyra", "isa": KernelISA.active.description, "model": modelName, "threads": threads, "batch": INFER_BS,
             "iters_per_repeat": iters, "images_per_s": stats(ips),
             "ms_per_batch_median": (1000 * Double(INFER_BS) / med * 1000).rounded() / 1000, "cpu_ms_per_batch": stats(cpuMs),
             "gflops_effective_median": round2(Double(modelFlops(modelName)) * med / 1e9),
             "foreign_cores_per_repeat": foreign,
             "rss_at_start_mib": rssStart, "rss_after_data_mib": rssBefore, "peak_rss_mib": peakRSSMiB()])
}

func evaluate(_ model: Module, _ X: Tensor, _ Y: Tensor) -> Double {
  model.eval()
  var correct = 0
  Tensor.noGrad {
    var s = 0
    while s < X.shape[0] {
      let n = min(1000, X.shape[0] - s)
      let pred = try! model(X.narrow(0, s, n)).argmax(1)
      let pp = pred.contiguous(), yp = Y.intData + s
      for j in 0..<n where Int(pp.dtype == .int32 ? Int(pp.intData[j]) : Int(pp.data[j])) == Int(yp[j]) { correct += 1 }
      s += n
    }
  }
  return Double(correct) / Double(X.shape[0])
}

func fullTrain(_ modelName: String, seed: UInt64, threads: Int, epochs: Int) {
  setThreads(threads)
  let (X, Y) = loadSplit(.train)
  let (Xt, Yt) = loadSplit(.test)
  let model: Sequential
  guard let m = ReferenceModels.named(modelName, generator: Generator(seed: seed)) else {
    fail("lyra-bench: unknown model '\(modelName)'")
  }
  model = m
  let opt = SGD(model.parameters(), lr: LR, momentum: MOMENTUM)
  let n = X.shape[0]
  let stepsPerEpoch = (n + TRAIN_BS - 1) / TRAIN_BS
  let total = epochs * stepsPerEpoch
  let gen = Generator(seed: seed)
  var t = 0
  var out: [[String: Any]] = []
  for ep in 0..<epochs {
    model.train()
    let perm = gen.split(stream: UInt64(ep)).permutation(n)
    var lossSum = 0.0, correct = 0
    let w = Window.measure {
      for b in 0..<stepsPerEpoch {
        let idx = perm[(b * TRAIN_BS)..<min(n, (b + 1) * TRAIN_BS)]
        let (xb, yb) = gather(X, Y, idx)
        opt.lr = 0.5 * LR * (1 + cos(Double.pi * Double(t) / Double(total)))
        opt.zeroGrad()
        let logits = try! model(xb)
        let loss = Tensor.crossEntropy(logits, yb)
        loss.backward()
        opt.step()
        t += 1
        lossSum += Double(loss.item()) * Double(idx.count)
        let pred = logits.detach().argmax(1).contiguous()
        for j in 0..<idx.count where Int(pred.intData[j]) == Int(yb.intData[j]) { correct += 1 }
      }
    }
    let t0 = now()
    let acc = evaluate(model, Xt, Yt)
    out.append(["epoch": ep + 1, "train_s": round2(w.dt), "eval_s": round2(now() - t0),
                "train_loss": round4(lossSum / Double(n)), "train_acc": round4(Double(correct) / Double(n)),
                "test_acc": round4(acc), "foreign_cores": (w.foreign * 1000).rounded() / 1000])
  }
  printJSON(["kind": "fulltrain", "engine": "lyra", "model": modelName, "seed": Int(seed), "threads": threads,
             "epochs": out, "final_test_acc": out.last?["test_acc"] ?? 0, "peak_rss_mib": peakRSSMiB()])
}

/// `lyra-bench int8 MODEL THREADS [EPOCHS=1]`: integer inference against float, on Fashion-MNIST.
/// Trains the float model EPOCHS epochs (seed 0), quantises every conv and linear layer to 8-bit
/// weights and 8-bit inputs, fine-tunes 200 steps quantisation-aware (which calibrates the input
/// ranges), then reports test accuracy and inference throughput (batch 256) of the float model
/// (BN folded), the fake-quantised evaluation and the integer one, all in this process.
func int8Bench(_ modelName: String, _ threads: Int, epochs: Int) {
  setThreads(threads)
  let (X, Y) = loadSplit(.train)
  let (Xt, Yt) = loadSplit(.test)
  let batch = Xt.narrow(0, 0, INFER_BS).contiguous()
  func train(_ m: Module, steps: Int, lr: Double, stream: UInt64) {
    m.train()
    let opt = SGD(m.parameters(), lr: lr, momentum: MOMENTUM)
    let nb = X.shape[0] / TRAIN_BS, perm = Generator(seed: 0).split(stream: stream).permutation(X.shape[0])
    for t in 0..<steps {
      let b = t % nb
      let (xb, yb) = gather(X, Y, perm[(b * TRAIN_BS)..<((b + 1) * TRAIN_BS)])
      opt.lr = 0.5 * lr * (1 + cos(Double.pi * Double(t) / Double(steps)))
      opt.zeroGrad()
      let loss = Tensor.crossEntropy(try! m(xb), yb)
      loss.backward()
      opt.step()
    }
  }
  let model = buildModel(modelName)
  train(model, steps: quick ? 20 : epochs * (X.shape[0] / TRAIN_BS), lr: LR, stream: 0)
  let floatAcc = evaluate(model, Xt, Yt)
  let layers = Quantization.layers(model)
  let q = try! Quantization.apply(model, bits: layers.map { _ in 8 }, activationBits: layers.map { _ in 8 })
  train(q, steps: quick ? 10 : 200, lr: LR / 10, stream: 1)
  if ProcessInfo.processInfo.environment["LYRA_BENCH_PROFILE_INT8"] != nil { // integer inference only, for perf record
    q.eval()
    let t0 = now()
    Tensor.noGrad { while now() - t0 < 10 { _ = try! q(batch) } }
    return
  }
  IntegerInference.enabled = false
  let fakeAcc = evaluate(q, Xt, Yt)
  let fake = inferThroughput(q, batch)
  IntegerInference.enabled = true
  let intAcc = evaluate(q, Xt, Yt)
  let int = inferThroughput(q, batch)
  model.eval()
  let float = inferThroughput(model, batch)
  let (fm, qm, im) = (median(float.ips), median(fake.ips), median(int.ips))
  printJSON(["kind": "int8_bench", "engine": "lyra", "isa": KernelISA.active.description, "int8_path": QuantizedProduct.path,
             "model": modelName, "threads": threads, "batch": INFER_BS, "float_epochs": epochs,
             "test_acc": ["float": round4(floatAcc), "fake_quantised": round4(fakeAcc), "integer": round4(intAcc)],
             "images_per_s": ["float": stats(float.ips), "fake_quantised": stats(fake.ips), "integer": stats(int.ips)],
             "integer_over_float": round2(im / fm), "integer_over_fake_quantised": round2(im / qm),
             "foreign_cores_max": (float.foreign + fake.foreign + int.foreign).max() ?? 0, "peak_rss_mib": peakRSSMiB()])
}

/// Multiply-adds × 2 of one forward pass of one image (conv + linear), as pytorch_ref.py.
func modelFlops(_ name: String) -> Int {
  func conv(_ h: Int, _ w: Int, _ cin: Int, _ cout: Int, _ k: Int) -> Int { h * w * cin * cout * k * k }
  var mac: Int
  switch name {
  case "mlp": mac = 784 * 256 + 256 * 128 + 128 * 10
  case "cnn": mac = conv(28, 28, 1, 32, 3) + conv(14, 14, 32, 64, 3) + 3136 * 128 + 128 * 10
  default:
    mac = conv(28, 28, 1, 16, 3) + 4 * conv(28, 28, 16, 16, 3)
    mac += conv(14, 14, 16, 32, 3) + 3 * conv(14, 14, 32, 32, 3) + conv(14, 14, 16, 32, 1)
    mac += conv(7, 7, 32, 64, 3) + 3 * conv(7, 7, 64, 64, 3) + conv(7, 7, 32, 64, 1) + 64 * 10
  }
  return 2 * mac
}


/// `lyra-bench peak THREADS`: the FMA peak of every ISA path this CPU has, `THREADS` probes
/// running at once (one per core), in GFLOP/s; the table prints Lyra's effective GFLOP/s as a
/// share of the active path's peak.
func peakProbe(_ threads: Int) {
  var out: [String: Any] = ["kind": "peak", "threads": threads, "isa_active": KernelISA.active.description]
  for isa in KernelISA.available {
    var per = [Double](repeating: 0, count: threads)
    per.withUnsafeMutableBufferPointer { buf in
      let p = buf.baseAddress!
      DispatchQueue.concurrentPerform(iterations: threads) { i in p[i] = lyra_fma_peak_gflops(Int32(isa.rawValue), 0.5) }
    }
    out["gflops_\(isa)"] = round2(per.reduce(0, +))
  }
  printJSON(out)
}

/// `lyra-bench table DIR HAVE_TORCH ANCHORS MODELS THREADS KINDS`: the side-by-side table
/// of scripts/bench/train from the JSON lines it saved (lyra-KIND-MODEL-THREADS.json and
/// torch-...), or, without PyTorch, against PyTorch figures recorded in an earlier run (the file
/// scripts/bench/train passes as ANCHORS; only a guide, another run).
func printTable(_ a: [String]) {
  let dir = a[0], haveTorch = a[1] == "1", anchors = a[2]
  let models = a[3].split(separator: " ").map(String.init), threads = a[4].split(separator: " ").map(String.init)
  let kinds = a[5].split(separator: " ").map(String.init)
  func load(_ path: String) -> [String: Any]? {
    guard let s = try? String(contentsOfFile: path, encoding: .utf8),
          let line = s.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
          let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
    return o
  }
  func num(_ x: Any?) -> Double? { (x as? NSNumber)?.doubleValue }
  var anchor: [String: Double] = [:]
  if !haveTorch, let text = try? String(contentsOfFile: anchors, encoding: .utf8) {
    let names = ["MLP": "mlp", "CNN": "cnn", "ResNet-mini": "resnet_mini"]
    for line in text.split(separator: "\n") {
      let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      guard cells.count >= 4, let m = names[cells[0]], let th = Int(cells[1]),
            let tr = Double(cells[2].replacingOccurrences(of: ",", with: "")),
            let inf = Double(cells[3].replacingOccurrences(of: ",", with: "")) else { continue }
      anchor["train-\(m)-\(th)"] = tr
      anchor["infer-\(m)-\(th)"] = inf
    }
  }
  let src = haveTorch ? "PyTorch (same run)" : "PyTorch (anchors: ANOTHER run)"
  var peaks: [String: [String: Any]] = [:]
  for th in threads { if let p = load("\(dir)/peak-\(th).json") { peaks[th] = p } }
  if let p = peaks.values.first { print("\nISA path: \(p["isa_active"] ?? "?"); FMA peak per thread count: " + peaks.keys.sorted().map { th in
    "\(th) threads " + KernelISA.available.map { "\($0) \(num(peaks[th]?["gflops_\($0)"]).map { String(format: "%.0f", $0) } ?? "-")" }.joined(separator: ", ") + " GFLOP/s"
  }.joined(separator: "; ")) }
  print("\n| model | threads | kind | Lyra img/s min / median / max | \(src) img/s median | Lyra/PyTorch | ONNX Runtime img/s median | Lyra/ORT | Lyra GFLOP/s (share of peak) | Lyra peak RSS MiB | PyTorch peak RSS MiB | foreign cores, Lyra max |")
  print("|---|---|---|---|---|---|---|---|---|---|---|---|")
  func f0(_ x: Double?) -> String { x.map { String(format: "%.0f", $0) } ?? "-" }
  for m in models { for th in threads { for k in kinds {
    guard let l = load("\(dir)/lyra-\(k)-\(m)-\(th).json"), let li = l["images_per_s"] as? [String: Any] else { continue }
    let t = haveTorch ? load("\(dir)/torch-\(k)-\(m)-\(th).json") : nil
    let tmed = haveTorch ? num((t?["images_per_s"] as? [String: Any])?["median"]) : anchor["\(k)-\(m)-\(th)"]
    let lmed = num(li["median"])
    let ratio = (lmed != nil && tmed != nil) ? String(format: "%.2f", lmed! / tmed!) : "-"
    let foreign = (l["foreign_cores_per_repeat"] as? [Any])?.compactMap(num).max() ?? 0
    let gf = num(l["gflops_effective_median"])
    let peak = peaks[th].flatMap { p in (p["isa_active"] as? String).flatMap { num(p["gflops_\($0)"]) } }
    let share = (gf != nil && peak != nil) ? String(format: "%.0f (%.0f %%)", gf!, 100 * gf! / peak!) : f0(gf)
    let ort = k == "infer" ? num((load("\(dir)/ort-infer-\(m)-\(th).json")?["images_per_s"] as? [String: Any])?["median"]) : nil
    let ortRatio = (lmed != nil && ort != nil) ? String(format: "%.2f", lmed! / ort!) : "-"
    print("| \(m) | \(th) | \(k) | \(f0(num(li["min"]))) / \(f0(lmed)) / \(f0(num(li["max"]))) | \(f0(tmed)) | \(ratio) | \(f0(ort)) | \(ortRatio) | \(share) | "
          + "\(num(l["peak_rss_mib"]).map { String($0) } ?? "-") | \(num(t?["peak_rss_mib"]).map { String($0) } ?? "-") | \(foreign) |")
  } } }
  for th in threads {
    guard let f = load("\(dir)/lyra-int8-cnn-\(th).json"), let ips = f["images_per_s"] as? [String: [String: Any]],
          let acc = f["test_acc"] as? [String: Any] else { continue }
    func med(_ k: String) -> String { f0(num(ips[k]?["median"])) }
    print("\nint8 cnn, \(th) threads (\(f["int8_path"] ?? "?")): integer \(med("integer")) img/s, float \(med("float")), fake-quantised \(med("fake_quantised")); "
          + "integer/float \(num(f["integer_over_float"]).map { String(format: "%.2f", $0) } ?? "-"); test accuracy float \(num(acc["float"]) ?? 0), "
          + "fake-quantised \(num(acc["fake_quantised"]) ?? 0), integer \(num(acc["integer"]) ?? 0)")
  }
  for m in ["cnn", "mlp"] {
    guard let f = load("\(dir)/lyra-fulltrain-\(m).json") else { continue }
    let eps = (f["epochs"] as? [[String: Any]] ?? []).compactMap { num($0["train_s"]) }.map { String($0) }
    print("\nfulltrain \(m): test accuracy \(num(f["final_test_acc"]) ?? 0), seconds per epoch \(eps.joined(separator: ", "))")
  }
  print("\n(JSON lines in \(dir))")
}

// MARK: - Main

let args = CommandLine.arguments
func usage() -> Never {
  fail("""
  usage: lyra-bench train-bench MODEL THREADS
         lyra-bench infer-bench MODEL THREADS
         lyra-bench fulltrain MODEL SEED [THREADS=2] [EPOCHS=3]
         lyra-bench int8 MODEL THREADS [EPOCHS=1]
         lyra-bench peak THREADS
         lyra-bench conv-ab               (stride-1 conv layers: implicit GEMM vs im2col, 1 thread)
  MODEL: mlp | cnn | resnet_mini
  """)
}
if args.count == 3 && args[1] == "peak", let th = Int(args[2]), th >= 1 {
  peakProbe(th)
  exit(0)
}
if args.count == 2 && args[1] == "conv-ab" {
  convAB()
  exit(0)
}
if args.count == 8 && args[1] == "table" {
  printTable(Array(args[2...]))
  exit(0)
}
guard args.count >= 4 else { usage() }
let modelName = args[2].lowercased().replacingOccurrences(of: "-", with: "_")
guard ["mlp", "cnn", "resnet_mini"].contains(modelName) else { usage() }
switch args[1] {
case "train-bench":
  guard let th = Int(args[3]) else { usage() }
  trainBench(modelName, th)
case "infer-bench":
  guard let th = Int(args[3]) else { usage() }
  inferBench(modelName, th)
case "int8":
  guard let th = Int(args[3]) else { usage() }
  int8Bench(modelName, th, epochs: args.count > 4 ? Int(args[4]) ?? 1 : 1)
case "fulltrain":
  guard let seed = UInt64(args[3]) else { usage() }
  let th = args.count > 4 ? Int(args[4]) ?? 2 : 2
  let ep = args.count > 5 ? Int(args[5]) ?? 3 : 3
  fullTrain(modelName, seed: seed, threads: th, epochs: ep)
default:
  usage()
}
