/// Batch normalisation over NCHW (`BatchNorm2d`, plane = H·W) and N×C (`BatchNorm1d`,
/// plane = 1), with PyTorch's semantics: training normalises with the batch mean and
/// biased variance, saves (mean, 1/√(var + eps)) for backward, and moves the running
/// statistics by `momentum` towards the batch mean and the *unbiased* variance.
///
/// Channels are independent, so work splits over channels. Each channel's statistics
/// are summed per plane in Float (SIMD) and across planes in Double: the CNN's channels
/// hold 128·784 ≈ 100k values, where a single Float accumulator would lose digits.
/// `relu: true` fuses the ReLU that follows BN in every reference model into the
/// normalising sweep (one pass over the activations instead of two); backward then takes
/// the fused output to mask the gradient.
public struct BatchNormShape: Equatable, Sendable {
  public var batch: Int
  public var channels: Int
  /// Positions per (image, channel): H·W for 2-D, 1 for 1-D.
  public var plane: Int
  public init(batch: Int, channels: Int, plane: Int = 1) {
    self.batch = batch; self.channels = channels; self.plane = plane
  }
  public init(batch: Int, channels: Int, height: Int, width: Int) {
    self.init(batch: batch, channels: channels, plane: height * width)
  }
  /// Values per channel that statistics are taken over.
  public var reductionSize: Int { batch * plane }
  public var count: Int { batch * channels * plane }
}

/// Per-channel sweep y = x·scale + shift (then ReLU), the shared tail of both forwards.
@inline(__always)
func affineSweep(_ s: BatchNormShape, _ c: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                 scale: Float, shift: Float, relu: Bool) {
  let stride = s.channels * s.plane
  for b in 0..<s.batch {
    Reduce.affine(x + b * stride + c * s.plane, y + b * stride + c * s.plane, s.plane, scale: scale, shift: shift, relu: relu)
  }
}

/// Training forward. `gamma`/`beta` nil means affine = false. `saveMean`/`saveInvstd`
/// [channels] are what backward needs. Running stats (nil to skip) are updated in place:
/// r ← (1 − momentum)·r + momentum·batch statistic. `output` may alias `input`.
public func batchNormTrainForward(_ s: BatchNormShape, input: UnsafePointer<Float>,
                                  gamma: UnsafePointer<Float>?, beta: UnsafePointer<Float>?,
                                  output: UnsafeMutablePointer<Float>,
                                  saveMean: UnsafeMutablePointer<Float>, saveInvstd: UnsafeMutablePointer<Float>,
                                  runningMean: UnsafeMutablePointer<Float>?, runningVar: UnsafeMutablePointer<Float>?,
                                  momentum: Float = 0.1, eps: Float = 1e-5, relu: Bool = false) {
  let n = s.reductionSize
  precondition(n > 0, "batchNorm: empty batch")
  let stride = s.channels * s.plane
  KernelParallel.forRanges(count: s.channels, work: s.count * 3) { _, range in
    for c in range {
      // One pass for both statistics (the activations are read once here, once by the sweep):
      // sums of d = x − shift per plane in Float, across planes in Double, with shift the
      // channel's first value, so E[d²] − E[d]² keeps its digits when |mean| ≫ std (a constant
      // shift by the mean itself would need a second pass).
      let shift = input[c * s.plane]
      var total = 0.0, totalSq = 0.0
      for b in 0..<s.batch {
        let (d, dd) = Reduce.shiftedSums(input + b * stride + c * s.plane, s.plane, shift: shift)
        total += Double(d); totalSq += Double(dd)
      }
      let meanShift = total / Double(n)
      let mean = Float(Double(shift) + meanShift)
      let raw = totalSq / Double(n) - meanShift * meanShift
      let variance = raw < 0 ? 0 : raw   // rounding can dip below 0; NaN stays NaN
      let invstd = Float(1 / (variance + Double(eps)).squareRoot())
      saveMean[c] = mean
      saveInvstd[c] = invstd
      if let rm = runningMean { rm[c] = (1 - momentum) * rm[c] + momentum * mean }
      if let rv = runningVar {
        let unbiased = n > 1 ? variance * Double(n) / Double(n - 1) : variance
        rv[c] = (1 - momentum) * rv[c] + momentum * Float(unbiased)
      }
      let scale = (gamma?[c] ?? 1) * invstd
      affineSweep(s, c, input, output, scale: scale, shift: (beta?[c] ?? 0) - mean * scale, relu: relu)
    }
  }
}

/// Eval forward with running statistics: y = (x − mean)/√(var + eps)·γ + β (then ReLU).
public func batchNormEvalForward(_ s: BatchNormShape, input: UnsafePointer<Float>,
                                 gamma: UnsafePointer<Float>?, beta: UnsafePointer<Float>?,
                                 runningMean: UnsafePointer<Float>, runningVar: UnsafePointer<Float>,
                                 output: UnsafeMutablePointer<Float>, eps: Float = 1e-5, relu: Bool = false) {
  KernelParallel.forRanges(count: s.channels, work: s.count) { _, range in
    for c in range {
      let scale = (gamma?[c] ?? 1) / (runningVar[c] + eps).squareRoot()
      affineSweep(s, c, input, output, scale: scale, shift: (beta?[c] ?? 0) - runningMean[c] * scale, relu: relu)
    }
  }
}

/// Training backward. With g = gradOutput (masked by `reluOutput > 0` when the forward
/// fused ReLU; pass that forward's output), x̂ = (x − mean)·invstd and n = batch·plane:
///   dβ = Σ g,  dγ = Σ g·x̂,  dx = γ·invstd·(g − dβ/n − x̂·dγ/n).
/// Any of gradInput / gradGamma / gradBeta may be nil. Parameter gradients are
/// overwritten, or added to when `accumulateParams`. gradInput may alias gradOutput
/// (but not input or reluOutput).
public func batchNormBackward(_ s: BatchNormShape, gradOutput: UnsafePointer<Float>, input: UnsafePointer<Float>,
                              gamma: UnsafePointer<Float>?, saveMean: UnsafePointer<Float>, saveInvstd: UnsafePointer<Float>,
                              gradInput: UnsafeMutablePointer<Float>?,
                              gradGamma: UnsafeMutablePointer<Float>?, gradBeta: UnsafeMutablePointer<Float>?,
                              accumulateParams: Bool = false, reluOutput: UnsafePointer<Float>? = nil) {
  let n = Double(s.reductionSize)
  let stride = s.channels * s.plane
  KernelParallel.forRanges(count: s.channels, work: s.count * 2) { _, range in
    for c in range {
      let mean = saveMean[c], invstd = saveInvstd[c]
      var sumG = 0.0, sumGX = 0.0
      for b in 0..<s.batch {
        let o = b * stride + c * s.plane
        let (a, d) = Reduce.gradSums(gradOutput + o, input + o, s.plane, mean: mean, mask: reluOutput.map { $0 + o })
        sumG += Double(a); sumGX += Double(d)
      }
      let dBeta = Float(sumG), dGamma = Float(sumGX) * invstd
      if let gb = gradBeta { gb[c] = accumulateParams ? gb[c] + dBeta : dBeta }
      if let gg = gradGamma { gg[c] = accumulateParams ? gg[c] + dGamma : dGamma }
      guard let dx = gradInput else { continue }
      let k = (gamma?[c] ?? 1) * invstd
      let meanG = Float(sumG / n)
      let xCoef = Float(sumGX / n) * invstd * invstd  // multiplies (x − mean)
      for b in 0..<s.batch {
        let o = b * stride + c * s.plane
        Reduce.batchNormGradInput(gradOutput + o, input + o, dx + o, s.plane, mask: reluOutput.map { $0 + o },
                                  k: k, meanG: meanG, mean: mean, xCoef: xCoef)
      }
    }
  }
}
