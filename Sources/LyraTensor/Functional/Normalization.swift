import LyraKernels

extension Tensor {
  /// Batch normalisation over N×C or N×C×H×W input (channel = dim 1).
  ///
  /// Training: normalises with the batch statistics and updates `runningMean`/`runningVar`
  /// in place (momentum form r = (1 − m)·r + m·batch, unbiased variance, as PyTorch).
  /// Evaluation: uses the running statistics. `weight`/`bias` (γ, β) are optional.
  /// `relu: true` applies ReLU in the same sweep (forward and backward): what `BN → ReLU`
  /// in a `Sequential` runs as.
  public static func batchNorm(_ x: Tensor, runningMean: Tensor?, runningVar: Tensor?,
                               weight: Tensor? = nil, bias: Tensor? = nil, training: Bool,
                               momentum: Float = 0.1, eps: Float = 1e-5, relu: Bool = false) -> Tensor {
    precondition(x.rank == 2 || x.rank == 4, "Tensor.batchNorm: expected N×C or N×C×H×W input, got \(Shape.describe(x.shape))")
    x.requireFloat("Tensor.batchNorm")
    let c = x.shape[1]
    for (name, t) in [("runningMean", runningMean), ("runningVar", runningVar), ("weight", weight), ("bias", bias)] {
      if let t { precondition(t.shape == [c] && t.isContiguous, "Tensor.batchNorm: \(name) must be a contiguous [\(c)] tensor") }
    }
    let s = x.rank == 4 ? BatchNormShape(batch: x.shape[0], channels: c, height: x.shape[2], width: x.shape[3])
                        : BatchNormShape(batch: x.shape[0], channels: c)
    let xc = x.contiguous()
    let out = Tensor.empty(x.shape)
    let gamma = weight.map { UnsafePointer($0.data) }, beta = bias.map { UnsafePointer($0.data) }
    var inputs = [x]
    if let weight { inputs.append(weight) }
    if let bias { inputs.append(bias) }

    if relu && !training && needsGrad(inputs) {
      // Rare (gradients through eval-mode BN): unfused, so the eval backward stays simple.
      return batchNorm(x, runningMean: runningMean, runningVar: runningVar, weight: weight, bias: bias,
                       training: false, momentum: momentum, eps: eps).relu()
    }
    if !training, let rm = runningMean, let rv = runningVar {
      batchNormEvalForward(s, input: xc.data, gamma: gamma, beta: beta, runningMean: rm.data, runningVar: rv.data,
                           output: out.data, eps: eps, relu: relu)
      // Frozen statistics: y = x·scale + shift per channel, so the gradients are simple.
      return out.recorded("batchNorm(eval)", inputs) { g in
        let bshape = x.rank == 4 ? [1, c, 1, 1] : [1, c]
        let invstd = rv.add(eps).sqrt().rdiv(1)
        let scale = (weight.map { $0.detach().mul(invstd) } ?? invstd).reshape(bshape)
        var grads: [Tensor?] = [x.requiresGrad ? g.mul(scale) : nil]
        let dims = x.rank == 4 ? [0, 2, 3] : [0]
        if let weight {
          let xhat = xc.sub(rm.reshape(bshape)).mul(invstd.reshape(bshape))
          grads.append(weight.requiresGrad ? g.mul(xhat).sum(dims) : nil)
        }
        if let bias { grads.append(bias.requiresGrad ? g.sum(dims) : nil) }
        return grads
      }
    }

    precondition(s.reductionSize > 1, "Tensor.batchNorm: training needs more than one value per channel, got input \(Shape.describe(x.shape))")
    let saveMean = Tensor.empty([c]), saveInvstd = Tensor.empty([c])
    batchNormTrainForward(s, input: xc.data, gamma: gamma, beta: beta, output: out.data,
                          saveMean: saveMean.data, saveInvstd: saveInvstd.data,
                          runningMean: runningMean?.data, runningVar: runningVar?.data, momentum: momentum, eps: eps,
                          relu: relu)
    // With the fused ReLU, backward masks by the output; a detached view (shared storage,
    // no tape link) avoids a reference cycle through this node.
    let mask = relu ? out.detach() : nil
    return out.recorded(relu ? "batchNorm+relu" : "batchNorm", inputs) { g in
      let dx = x.requiresGrad ? Tensor.empty(x.shape) : nil
      let dgamma = weight.map { $0.requiresGrad ? Tensor.empty([c]) : nil } ?? nil
      let dbeta = bias.map { $0.requiresGrad ? Tensor.empty([c]) : nil } ?? nil
      batchNormBackward(s, gradOutput: g.contiguous().data, input: xc.data, gamma: gamma,
                        saveMean: saveMean.data, saveInvstd: saveInvstd.data,
                        gradInput: dx?.data, gradGamma: dgamma?.data, gradBeta: dbeta?.data,
                        reluOutput: mask.map { UnsafePointer($0.data) })
      var grads: [Tensor?] = [dx]
      if weight != nil { grads.append(dgamma) }
      if bias != nil { grads.append(dbeta) }
      return grads
    }
  }
}
