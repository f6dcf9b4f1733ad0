/// Inference fusions. Why: in eval mode BatchNorm is a fixed per-channel affine map, so
/// it folds into the preceding convolution's weights and bias (W' = W·γ/σ,
/// b' = (b − μ)·γ/σ + β), and ReLU rides in the convolution's epilogue — conv→BN→ReLU
/// becomes one GEMM plus one sweep, as ONNX Runtime does.

/// Folds eval-mode BN into conv weights [outChannels, perChannel] and optional bias.
/// `foldedWeight` may alias `weight`, `foldedBias` may alias `bias`.
public func foldBatchNorm(weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, outChannels: Int, perChannel: Int,
                          gamma: UnsafePointer<Float>?, beta: UnsafePointer<Float>?,
                          runningMean: UnsafePointer<Float>, runningVar: UnsafePointer<Float>, eps: Float = 1e-5,
                          foldedWeight: UnsafeMutablePointer<Float>, foldedBias: UnsafeMutablePointer<Float>) {
  for c in 0..<outChannels {
    let scale = (gamma?[c] ?? 1) / (runningVar[c] + eps).squareRoot()
    for i in 0..<perChannel { foldedWeight[c * perChannel + i] = weight[c * perChannel + i] * scale }
    foldedBias[c] = ((bias?[c] ?? 0) - runningMean[c]) * scale + (beta?[c] ?? 0)
  }
}

/// Eval conv → BN → (ReLU) in one call: folds BN into a scratch copy of the weights, then
/// runs the convolution with the folded bias and the ReLU epilogue. (Callers that run
/// many batches should fold once with `foldBatchNorm` and call `conv2dForward` directly.)
public func conv2dBatchNormEvalForward(_ s: Conv2dShape, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                       bias: UnsafePointer<Float>?, gamma: UnsafePointer<Float>?, beta: UnsafePointer<Float>?,
                                       runningMean: UnsafePointer<Float>, runningVar: UnsafePointer<Float>, eps: Float = 1e-5,
                                       output: UnsafeMutablePointer<Float>, relu: Bool = true) {
  Workspace.withFloats(s.weightCount + s.outChannels) { buf in
    foldBatchNorm(weight: weight, bias: bias, outChannels: s.outChannels, perChannel: s.patchSize,
                  gamma: gamma, beta: beta, runningMean: runningMean, runningVar: runningVar, eps: eps,
                  foldedWeight: buf, foldedBias: buf + s.weightCount)
    conv2dForward(s, input: input, weight: buf, bias: buf + s.weightCount, output: output, relu: relu)
  }
}
