import LyraKernels
import LyraTensor
import XCTest
@testable import LyraNN

/// The one module-level gradient checker (Torch7's `nn.Jacobian` idea): a module is run
/// as a whole on a seeded input, the loss is L = Σ out · R with R a fixed seeded
/// projection, and the tape's gradient of L with respect to the input and to every
/// parameter is compared with central differences (L(v + h) − L(v − h)) / 2h.
///
/// Tensors are Float32, so the forward passes run in Float; the loss is accumulated in
/// Double, which leaves the Float rounding of the outputs as the noise the tolerance
/// covers: |analytic − numeric| ≤ atol + rtol · max(|analytic|, |numeric|).
///
/// Why whole modules and not ops: a module adds its own wiring (fused BN → ReLU in
/// `Sequential`, the straight-through estimator of the quantised layers, branch sums of
/// `Add`), and that wiring is what a wrong gradient would hide in.
struct ModuleGradCheck {
  /// Step h of the central difference.
  var eps: Float = 1e-3
  var rtol: Double = 1e-2
  var atol: Double = 1e-3
  /// For piecewise-linear modules (ReLU, max pooling, clamps): a coordinate whose
  /// ±h step crosses a kink has no central derivative, but the tape's value must then
  /// equal one of the one-sided differences (the side the input is on). At most this
  /// fraction of a tensor's coordinates (rounded up) may be accepted that way.
  var kinkFraction: Double = 0
  /// Seed of the projection R.
  var projectionSeed: UInt64 = 99
  /// Where a failed check goes (the checker's own test collects them instead).
  var fail: (String, StaticString, UInt) -> Void = { XCTFail($0, file: $1, line: $2) }

  /// Every module type name the checks ran on (the coverage test reads it).
  nonisolated(unsafe) static var typesSeen: Set<String> = []

  /// Checks `module` on `input`.
  ///
  /// - reference: a module with the same parameter names and shapes whose finite
  ///   differences define the expected gradients (the quantised layers' float twin with
  ///   the quantised weights: the straight-through estimator's definition); by default
  ///   the module itself.
  /// - referenceInput: the input the reference runs on (the fake-quantised input).
  /// - inputMask: 0/1 per input element multiplying the reference's input gradient
  ///   (the clipped straight-through estimator zeroes it outside the range).
  /// - skip: parameter names (or "input") not checked by differences here (say why at the call).
  /// - reset: run before every forward pass (re-seed a dropout generator).
  func check(_ module: Module, _ input: Tensor, reference: Module? = nil, referenceInput: Tensor? = nil,
             inputMask: [Float]? = nil, skip: Set<String> = [], reset: () -> Void = {},
             file: StaticString = #filePath, line: UInt = #line) throws {
    for (_, m) in module.namedModules() { ModuleGradCheck.typesSeen.insert(m.typeName) }
    let ref = reference ?? module
    let refInput = referenceInput ?? input
    // Buffers (running statistics, activation ranges) are restored before every forward,
    // so training-mode updates do not shift the function being differentiated.
    // Both modules' buffers are left as they were found, so checks in a row start alike.
    let buffers = ref.namedBuffers().map { ($0.tensor, $0.tensor.toArray()) }
    let ownBuffers = ref === module ? [] : module.namedBuffers().map { ($0.tensor, $0.tensor.toArray()) }
    func restore() {
      for (t, v) in buffers { for i in v.indices { t.data[i] = v[i] } }
      reset()
    }
    defer {
      restore()
      for (t, v) in ownBuffers { for i in v.indices { t.data[i] = v[i] } }
    }

    // The tape's gradients.
    let x = input.dtype == .float32 ? input.detach().clone().requiresGrad_() : input
    module.zeroGrad()
    restore()
    let y = try module(x)
    let rg = Generator(seed: projectionSeed)
    let r = (0..<y.count).map { _ in Float(rg.uniform(-1, 1)) }
    y.mul(Tensor(r, shape: y.shape)).sum().backward()
    let rv = r.map(Double.init)

    func loss() throws -> Double {
      restore()
      let out = try Tensor.noGrad { try ref(refInput) }
      guard out.shape == y.shape else { throw ShapeError("reference output \(out.shape) vs module output \(y.shape)") }
      var s = 0.0
      for (a, b) in zip(out.toArray(), rv) { s += Double(a) * b }
      return s
    }

    var targets: [(name: String, tensor: Tensor, analytic: Tensor?, mask: [Float]?)] = []
    if input.dtype == .float32 && !skip.contains("input") { targets.append(("input", refInput, x.grad, inputMask)) }
    let refParams = Dictionary(uniqueKeysWithValues: ref.namedParameters().map { ($0.name, $0.tensor) })
    for (name, p) in module.namedParameters() where !skip.contains(name) {
      guard let rp = refParams[name], rp.shape == p.shape else {
        fail("\(module.typeName): the reference has no parameter \(name) shaped \(p.shape)", file, line)
        return
      }
      targets.append((name, rp, p.grad, nil))
    }
    if targets.isEmpty { fail("\(module.typeName): nothing to check", file, line) }

    for t in targets {
      guard let analyticTensor = t.analytic else {
        fail("\(module.typeName): \(t.name) got no gradient", file, line)
        continue
      }
      guard analyticTensor.shape == t.tensor.shape, t.tensor.isContiguous else {
        fail("\(module.typeName): \(t.name) gradient \(analyticTensor.shape) for \(t.tensor.shape) (contiguous: \(t.tensor.isContiguous))", file, line)
        continue
      }
      let analytic = analyticTensor.toArray()
      let p = t.tensor.data
      var kinks = 0
      let l0 = try loss()
      for i in 0..<t.tensor.count {
        let v = p[i]
        p[i] = v + eps
        let up = try loss()
        p[i] = v - eps
        let down = try loss()
        p[i] = v
        let m = Double(t.mask?[i] ?? 1)
        let h = Double(eps)
        let central = m * (up - down) / (2 * h)
        let a = Double(analytic[i])
        func close(_ n: Double, _ slack: Double = 0) -> Bool {
          Swift.abs(a - n) <= atol + slack + rtol * Swift.max(Swift.abs(a), Swift.abs(n))
        }
        if close(central) { continue }
        // One-sided differences carry an O(h) truncation error: twice the tolerance.
        if kinkFraction > 0, close(m * (up - l0) / h, atol) || close(m * (l0 - down) / h, atol) {
          kinks += 1
          continue
        }
        fail("\(module.typeName)(\(module.summary)): d L / d \(t.name)[\(i)]: tape \(a), central difference \(central)",
             file, line)
        return
      }
      let allowed = Int((kinkFraction * Double(t.tensor.count)).rounded(.up))
      if kinks > allowed {
        fail("\(module.typeName): \(t.name): \(kinks) coordinates only matched one-sided differences (\(allowed) allowed)", file, line)
      }
    }
  }
}

/// Seeded values for the checks.
enum GradData {
  /// A float tensor of `shape`, uniform in ±`scale`, optionally kept `gap` away from zero
  /// (so ReLU-like kinks are not within a finite-difference step).
  static func tensor(_ shape: [Int], seed: UInt64, scale: Double = 1, gap: Double = 0) -> Tensor {
    let g = Generator(seed: seed)
    let n = shape.reduce(1, *)
    let v = (0..<n).map { _ -> Float in
      let u = g.uniform(-1, 1) * (scale - gap)
      return Float(u + (u < 0 ? -gap : gap))
    }
    return Tensor(v, shape: shape)
  }

  /// Overwrites every parameter and buffer of `m` with seeded values (so a BatchNorm's γ,
  /// β and running statistics are not the trivial ones; variances stay positive).
  static func randomize(_ m: Module, seed: UInt64) {
    let g = Generator(seed: seed)
    for (name, t) in m.namedParameters() + m.namedBuffers() where t.dtype == .float32 {
      let positive = name.hasSuffix("running_var")
      for i in 0..<t.count { t.data[i] = Float(positive ? g.uniform(0.5, 1.5) : g.uniform(-0.8, 0.8)) }
    }
  }
}
