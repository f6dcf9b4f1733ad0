/// 2-D convolution (cross-correlation, as PyTorch) forward and backward over NCHW.
///
/// Strategy: im2col + one SGEMM per group, with two special cases — depthwise convs use
/// the direct kernel in Depthwise.swift, and 1×1 stride-1 unpadded convs skip im2col
/// (the input planes already are the column matrix). The batch is split across
/// `KernelParallel.maxThreads` threads, each issuing single-threaded GEMMs on its own
/// images: for the small per-image products of a CNN (M ≤ 64, N ≤ 784) that beats one
/// thread driving a multithreaded GEMM, and im2col/col2im are parallel for free.
/// Scratch (columns, gathered gradients, per-thread partial weight gradients) comes
/// from the `Workspace` pool, so steady-state calls do not allocate.
public enum Conv2dTuning {
  /// Minimum GEMM width (images × outH·outW). Narrower per-image products are batched:
  /// several images' columns sit side by side and the product is scattered back into
  /// NCHW. 0 (default) = one GEMM per image.
  ///
  /// Why 0: with CKernels' packed GEMM (AVX-512 Xeon, 1 thread, 30 training steps, CPU
  /// seconds) one GEMM per image beat batching on every reference model: CNN 3.39 s at 0 vs
  /// 3.71 at 1024 and 3.86 at 4096 columns; ResNet-mini 16.8 vs 17.3 and 19.5 (the scatter
  /// back and an im2col block beyond L2 cost more than the wider product gains). The
  /// OpenBLAS-era rule (batch below 32 channels, split the forward into small-matrix calls
  /// of at most 10⁶ multiply-adds for OpenBLAS's unpacked path) was 4-27 % slower here: each
  /// small call re-packed the weights.
  nonisolated(unsafe) public static var minColumns = 0
  /// Largest scratch column block, in floats (bounds the batching above).
  nonisolated(unsafe) public static var maxColumnFloats = 1 << 20

  /// Backward-weight as dWᵀ = col·dyᵀ (then transposed, a few KB) rather than dW = dy·colᵀ.
  /// Still the faster orientation with CKernels' GEMM (1 thread, 30 steps: CNN 3.39 vs 3.59 CPU
  /// seconds, ResNet-mini 16.8 vs 18.5): the K·9 rows fill the 12-row tile and the output
  /// channels (multiples of 16) the 32-column one.
  nonisolated(unsafe) public static var transposedWeightGradient = true

  /// Stride-1 forward convolutions (and so the stride-1 input gradient, which runs as one) by
  /// the padded-row implicit GEMM (`ImplicitConv`) instead of im2col. A switch for the A/B
  /// measurements in docs/performance.md and for the tests, which run both.
  nonisolated(unsafe) public static var implicitGemm = true

  static func imagesPerGemm(_ s: Conv2dShape, available: Int) -> Int {
    let ohw = s.outHeight * s.outWidth
    if s.isPointwise || minColumns <= ohw { return 1 }
    var nb = (minColumns + ohw - 1) / ohw
    nb = min(nb, max(1, maxColumnFloats / max(1, s.patchSize * ohw)))
    return max(1, min(nb, available))
  }
}

/// Runs `body` over batch ranges, in parallel with single-threaded BLAS when worthwhile.
@inline(__always)
func convBatchParts(_ s: Conv2dShape, _ body: (Int, Range<Int>) -> Void) -> Int {
  let parts = KernelParallel.parts(count: s.batch, work: s.macs / 8)
  KernelParallel.withSingleThreadedBLAS { KernelParallel.forRanges(count: s.batch, parts: parts, body) }
  return parts
}

/// output = conv(input, weight) (+ bias), optionally followed by ReLU in the same pass
/// (the fused epilogue saves a sweep over the output in inference, where BN is folded
/// into the weights — see `foldBatchNorm`).
public func conv2dForward(_ s: Conv2dShape, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                          bias: UnsafePointer<Float>? = nil, output: UnsafeMutablePointer<Float>, relu: Bool = false) {
  s.validate()
  if s.batch == 0 { return }
  if s.isDepthwise {
    Depthwise.forward(s, input: input, weight: weight, output: output)
    convEpilogue(output, batch: s.batch, channels: s.outChannels, plane: s.outHeight * s.outWidth, bias: bias, relu: relu)
    return
  }
  if ImplicitConv.applies(s) {
    ImplicitConv.forward(s, input: input, weight: weight, bias: bias, output: output, relu: relu)
    return
  }
  im2colForward(s, input: input, weight: weight, bias: bias, output: output, relu: relu)
}

/// `conv2dForward` by im2col and one GEMM per image and group (several images per GEMM when
/// `Conv2dTuning.minColumns` asks), or a plain GEMM for 1×1 unpadded stride-1 layers.
func im2colForward(_ s: Conv2dShape, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                   bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, relu: Bool) {
  let OHW = s.outHeight * s.outWidth
  let cinG = s.inChannelsPerGroup, coutG = s.outChannelsPerGroup, K = s.patchSize
  let HW = s.height * s.width, Cin = s.inChannels, Cout = s.outChannels
  convGroupBlocks(s) { block, g in
    let (b0, nb, ld, col, tmp) = (block.first, block.count, block.count * OHW, block.col, block.staging)
    let wg = weight + g * coutG * K
    if s.isPointwise {
      for b in b0..<(b0 + nb) {
        sgemm(m: coutG, n: HW, k: cinG, a: wg, lda: K, b: input + (b * Cin + g * cinG) * HW, ldb: HW,
              beta: 0, c: output + (b * Cout + g * coutG) * OHW, ldc: OHW)
      }
      return
    }
    for t in 0..<nb {
      Im2col.lower(s, image: input + ((b0 + t) * Cin + g * cinG) * HW, channels: cinG, col: col + t * OHW, ldCol: ld)
    }
    if nb == 1 {
      sgemm(m: coutG, n: OHW, k: K, a: wg, lda: K, b: col, ldb: OHW, beta: 0, c: output + (b0 * Cout + g * coutG) * OHW, ldc: OHW)
    } else {
      sgemm(m: coutG, n: ld, k: K, a: wg, lda: K, b: col, ldb: ld, beta: 0, c: tmp, ldc: ld)
      for t in 0..<nb {
        for m in 0..<coutG {
          (output + ((b0 + t) * Cout + g * coutG + m) * OHW).update(from: tmp + m * ld + t * OHW, count: OHW)
        }
      }
    }
  } blockDone: { b0, nb in
    convEpilogue(output + b0 * Cout * OHW, batch: nb, channels: Cout, plane: OHW, bias: bias, relu: relu)
  }
}

/// A block of images one GEMM pass covers: images first..<first + count of a batch part,
/// and the part's scratch (`gemmScratch`).
struct ConvImageBlock {
  var first: Int, count: Int
  var col: UnsafeMutablePointer<Float>, staging: UnsafeMutablePointer<Float>
}

/// The walk the forward and the input-gradient passes share: batch parts in parallel
/// (`convBatchParts`), each with its scratch, blocks of up to `imagesPerGemm` images, and
/// `body` for every group of a block; `blockDone(first, count)` after a block's groups
/// (the forward's epilogue). Per block and group, not per element: the GEMMs and copies
/// inside `body` are the work.
@inline(__always)
func convGroupBlocks(_ s: Conv2dShape, _ body: (ConvImageBlock, _ group: Int) -> Void,
                     blockDone: (_ first: Int, _ count: Int) -> Void = { _, _ in }) {
  _ = convBatchParts(s) { _, range in
    Workspace.withScratch { ws in
      let nbMax = Conv2dTuning.imagesPerGemm(s, available: range.count)
      let (col, staging, _) = gemmScratch(s, ws, images: nbMax)
      var b0 = range.lowerBound
      while b0 < range.upperBound {
        let block = ConvImageBlock(first: b0, count: min(nbMax, range.upperBound - b0), col: col, staging: staging)
        for g in 0..<s.groups { body(block, g) }
        blockDone(b0, block.count)
        b0 += block.count
      }
    }
  }
}

/// The scratch each GEMM pass over a batch part starts with, one layout for the forward
/// and both backward passes: the im2col block of `images` images (none for a pointwise
/// convolution, whose input planes already are the matrix), then, when several images
/// share one GEMM, the [outChannels/groups, images·OH·OW] block their outputs are staged
/// or their gradients gathered in, then `extra` floats for the caller (`rest`).
@inline(__always)
func gemmScratch(_ s: Conv2dShape, _ ws: Workspace, images: Int, extra: Int = 0)
  -> (col: UnsafeMutablePointer<Float>, staging: UnsafeMutablePointer<Float>, rest: UnsafeMutablePointer<Float>) {
  let block = images * s.outHeight * s.outWidth
  let colCount = s.isPointwise ? 0 : s.patchSize * block
  let stagingCount = images > 1 ? s.outChannelsPerGroup * block : 0
  let buf = ws.floats(colCount + stagingCount + extra)
  return (buf, buf + colCount, buf + colCount + stagingCount)
}

/// Adds the per-channel bias and applies ReLU, in one sweep.
@inline(__always)
func convEpilogue(_ y: UnsafeMutablePointer<Float>, batch: Int, channels: Int, plane: Int,
                  bias: UnsafePointer<Float>?, relu: Bool) {
  if bias == nil && !relu { return }
  for b in 0..<batch {
    for c in 0..<channels {
      let p = y + (b * channels + c) * plane
      let bv = bias?[c] ?? 0
      var i = 0
      if relu {
        while i < plane { p[i] = max(p[i] + bv, 0); i += 1 }
      } else {
        while i < plane { p[i] += bv; i += 1 }
      }
    }
  }
}

/// Group g's output gradient for the block of images b0..<b0 + nb as one
/// [outChannels/groups, nb·OH·OW] matrix: in place for one image, gathered into `staging`
/// for several (both backward passes multiply by it).
@inline(__always)
func groupGradOutput(_ s: Conv2dShape, _ gradOutput: UnsafePointer<Float>, b0: Int, nb: Int, g: Int,
                     staging: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
  if nb == 1 { return gradOutput + (b0 * s.outChannels + g * s.outChannelsPerGroup) * s.outHeight * s.outWidth }
  gatherGroup(s, gradOutput, b0: b0, nb: nb, g: g, into: staging)
  return UnsafePointer(staging)
}

/// Copies group g's output-gradient planes of images b0..<b0+nb side by side into a
/// [coutG, nb·OHW] matrix (so one GEMM covers several images).
@inline(__always)
func gatherGroup(_ s: Conv2dShape, _ dy: UnsafePointer<Float>, b0: Int, nb: Int, g: Int,
                 into dst: UnsafeMutablePointer<Float>) {
  let OHW = s.outHeight * s.outWidth, coutG = s.outChannelsPerGroup, ld = nb * OHW
  for t in 0..<nb {
    for m in 0..<coutG {
      (dst + m * ld + t * OHW).update(from: dy + ((b0 + t) * s.outChannels + g * coutG + m) * OHW, count: OHW)
    }
  }
}

extension Conv2dShape {
  /// For an ungrouped stride-1 convolution (not 1×1 unpadded, which is a plain GEMM
  /// already): the forward convolution that maps gradOutput to gradInput — input
  /// channels ↔ output channels, input size = this output size, padding
  /// dilation·(k − 1) − padding (needs padding ≤ dilation·(k − 1)), weights from
  /// `flipTransposeKernel`. dx[ci, y, x] = Σ dy[co, y + p − d·i, x + p − d·j]·W[co, ci, i, j];
  /// with i' = k − 1 − i that is a correlation with padding d·(k − 1) − p.
  var backwardInputAsForward: Conv2dShape? {
    guard groups == 1, strideH == 1, strideW == 1, !isPointwise,
          padH <= dilationH * (kernelH - 1), padW <= dilationW * (kernelW - 1) else { return nil }
    let t = Conv2dShape(batch: batch, inChannels: outChannels, height: outHeight, width: outWidth,
                        outChannels: inChannels, kernelH: kernelH, kernelW: kernelW, strideH: 1, strideW: 1,
                        padH: dilationH * (kernelH - 1) - padH, padW: dilationW * (kernelW - 1) - padW,
                        dilationH: dilationH, dilationW: dilationW, groups: 1)
    return t.outHeight == height && t.outWidth == width ? t : nil
  }
}

/// wt[ci, co, i, j] = w[co, ci, kH − 1 − i, kW − 1 − j] (ungrouped).
func flipTransposeKernel(_ s: Conv2dShape, _ w: UnsafePointer<Float>, into wt: UnsafeMutablePointer<Float>) {
  let kH = s.kernelH, kW = s.kernelW, kk = kH * kW, Cin = s.inChannels, Cout = s.outChannels
  for co in 0..<Cout {
    for ci in 0..<Cin {
      let src = w + (co * Cin + ci) * kk, dst = wt + (ci * Cout + co) * kk
      for i in 0..<kH { for j in 0..<kW { dst[i * kW + j] = src[(kH - 1 - i) * kW + (kW - 1 - j)] } }
    }
  }
}

/// gradInput = ∂(Σ output·gradOutput)/∂input (overwritten): dcol = Wᵀ·dy per group, then col2im
/// (stride 1, ungrouped: a forward convolution, see `backwardInputAsForward`).
public func conv2dBackwardInput(_ s: Conv2dShape, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                gradInput: UnsafeMutablePointer<Float>) {
  s.validate()
  if s.batch == 0 { return }
  if s.isDepthwise {
    Depthwise.backwardInput(s, gradOutput: gradOutput, weight: weight, gradInput: gradInput)
    return
  }
  if let t = s.backwardInputAsForward {
    // Stride 1: dx is a forward convolution of dy with the flipped, transposed kernel.
    // GEMM K = Cout·kH·kW (deep) instead of Cout, and im2col copies replace col2im's
    // zero-fill and scatter-add.
    Workspace.withFloats(s.weightCount) { wt in
      flipTransposeKernel(s, weight, into: wt)
      conv2dForward(t, input: gradOutput, weight: wt, output: gradInput)
    }
    return
  }
  let cinG = s.inChannelsPerGroup, coutG = s.outChannelsPerGroup, K = s.patchSize
  let HW = s.height * s.width, OHW = s.outHeight * s.outWidth, Cin = s.inChannels, Cout = s.outChannels
  convGroupBlocks(s) { block, g in
    let (b0, nb, ld, dcol, gathered) = (block.first, block.count, block.count * OHW, block.col, block.staging)
    let wg = weight + g * coutG * K
    if s.isPointwise {
      for b in b0..<(b0 + nb) {
        sgemm(transA: true, m: cinG, n: HW, k: coutG, a: wg, lda: K,
              b: gradOutput + (b * Cout + g * coutG) * OHW, ldb: OHW,
              beta: 0, c: gradInput + (b * Cin + g * cinG) * HW, ldc: HW)
      }
      return
    }
    let dyg = groupGradOutput(s, gradOutput, b0: b0, nb: nb, g: g, staging: gathered)
    sgemm(transA: true, m: K, n: ld, k: coutG, a: wg, lda: K, b: dyg, ldb: ld, beta: 0, c: dcol, ldc: ld)
    for t in 0..<nb {
      let dx = gradInput + ((b0 + t) * Cin + g * cinG) * HW
      dx.update(repeating: 0, count: cinG * HW)
      Im2col.raise(s, col: dcol + t * OHW, ldCol: ld, channels: cinG, image: dx)
    }
  }
}

/// gradWeight (=, or += when `accumulate`) Σ_images dy·colᵀ per group. Each thread sums
/// its images into a private buffer; the buffers are added at the end.
public func conv2dBackwardWeight(_ s: Conv2dShape, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                 gradWeight: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
  s.validate()
  if s.batch == 0 {
    if !accumulate { gradWeight.update(repeating: 0, count: s.weightCount) }
    return
  }
  if s.isDepthwise {
    Depthwise.backwardWeight(s, input: input, gradOutput: gradOutput, gradWeight: gradWeight, accumulate: accumulate)
    return
  }
  let G = s.groups, cinG = s.inChannelsPerGroup, coutG = s.outChannelsPerGroup, K = s.patchSize
  let HW = s.height * s.width, OHW = s.outHeight * s.outWidth, Cin = s.inChannels, Cout = s.outChannels
  let wc = s.weightCount
  let maxParts = KernelParallel.parts(count: s.batch, work: s.macs / 8)
  Workspace.withScratch { partialWS in
    let partials = partialWS.floats(max(1, (maxParts - 1) * wc))
    let parts = convBatchParts(s) { part, range in
      let dst = part == 0 ? gradWeight : partials + (part - 1) * wc
      let beta0: Float = (part == 0 && accumulate) ? 1 : 0
      Workspace.withScratch { ws in
        let nbMax = Conv2dTuning.imagesPerGemm(s, available: range.count)
        let transposed = Conv2dTuning.transposedWeightGradient && !s.isPointwise
        let (col, gathered, dwT) = gemmScratch(s, ws, images: nbMax, extra: transposed ? wc : 0)
        var b0 = range.lowerBound
        var first = true
        while b0 < range.upperBound {
          let nb = min(nbMax, range.upperBound - b0), ld = nb * OHW
          let beta: Float = first ? beta0 : 1
          for g in 0..<G {
            let dwg = dst + g * coutG * K
            if s.isPointwise {
              var bt = beta
              for b in b0..<(b0 + nb) {
                sgemm(transB: true, m: coutG, n: cinG, k: HW, a: gradOutput + (b * Cout + g * coutG) * OHW, lda: OHW,
                      b: input + (b * Cin + g * cinG) * HW, ldb: HW, beta: bt, c: dwg, ldc: K)
                bt = 1
              }
              continue
            }
            for t in 0..<nb {
              Im2col.lower(s, image: input + ((b0 + t) * Cin + g * cinG) * HW, channels: cinG, col: col + t * OHW, ldCol: ld)
            }
            let dyg = groupGradOutput(s, gradOutput, b0: b0, nb: nb, g: g, staging: gathered)
            if transposed {
              // dWᵀ[K, coutG] = col · dyᵀ (summed over blocks, transposed into dst at the end).
              sgemm(transB: true, m: K, n: coutG, k: ld, a: col, lda: ld, b: dyg, ldb: ld, beta: first ? 0 : 1,
                    c: dwT + g * coutG * K, ldc: coutG)
            } else {
              sgemm(transB: true, m: coutG, n: K, k: ld, a: dyg, lda: ld, b: col, ldb: ld, beta: beta, c: dwg, ldc: K)
            }
          }
          first = false
          b0 += nb
        }
        if transposed && !first {
          for g in 0..<G {
            let src = dwT + g * coutG * K, d = dst + g * coutG * K
            for m in 0..<coutG {
              let row = d + m * K
              if beta0 == 0 {
                for k in 0..<K { row[k] = src[k * coutG + m] }
              } else {
                for k in 0..<K { row[k] += src[k * coutG + m] }
              }
            }
          }
        }
      }
    }
    for p in 1..<max(1, parts) { addInPlace(gradWeight, partials + (p - 1) * wc, count: wc) }
  }
}

/// gradBias[c] (=, or += when `accumulate`) Σ over batch and positions of gradOutput[·, c, ·, ·].
public func conv2dBackwardBias(_ s: Conv2dShape, gradOutput: UnsafePointer<Float>, gradBias: UnsafeMutablePointer<Float>,
                               accumulate: Bool = false) {
  channelSums(gradOutput, batch: s.batch, channels: s.outChannels, plane: s.outHeight * s.outWidth,
              into: gradBias, accumulate: accumulate)
}

/// sums[c] (=, or +=) Σ_b Σ_i x[b, c, i]; split over channels. Accumulates each plane in
/// Float and the planes in Double, so large batches keep their precision.
public func channelSums(_ x: UnsafePointer<Float>, batch: Int, channels: Int, plane: Int,
                        into sums: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
  KernelParallel.forRanges(count: channels, work: batch * channels * plane) { _, range in
    for c in range {
      var total: Double = 0
      for b in 0..<batch {
        total += Double(Reduce.sum(x + (b * channels + c) * plane, plane))
      }
      sums[c] = accumulate ? sums[c] + Float(total) : Float(total)
    }
  }
}
