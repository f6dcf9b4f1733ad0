/// 2-D convolution (cross-correlation, as PyTorch) forward and backward over NCHW.
///
/// Strategy: im2col + one SGEMM per group, with two special cases — depthwise convs use
/// the direct kernel in Depthwise.swift, and 1×1 stride-1 unpadded convs skip im2col
/// (the input planes already are the column matrix). The batch is split across
/// `KernelParallel.maxThreads` threads, each issuing single-threaded GEMMs on its own
/// images: for the small per-image products of a CNN (M ≤ 64, N ≤ 784) that beats one
/// thread driving multithreaded OpenBLAS, and im2col/col2im are parallel for free.
/// Scratch (columns, gathered gradients, per-thread partial weight gradients) comes
/// from the `Workspace` pool, so steady-state calls do not allocate.
public enum Conv2dTuning {
  /// Minimum GEMM width (images × outH·outW). Narrower per-image products are batched:
  /// several images' columns sit side by side and the product is scattered back into
  /// NCHW. 0 = one GEMM per image; -1 (default) = chosen per shape from measurements on
  /// Zen 4 (see `autoColumns`).
  nonisolated(unsafe) public static var minColumns = -1
  /// Largest scratch column block, in floats (bounds the batching above).
  nonisolated(unsafe) public static var maxColumnFloats = 1 << 20

  /// Use OpenBLAS's unpacked small-matrix kernels for the per-image products of the
  /// forward pass (and of stride-1 backward-input, which runs as a forward pass).
  nonisolated(unsafe) public static var smallGemmChunks = true
  /// Backward-weight as dWᵀ = col·dyᵀ (then transposed, a few KB) rather than dW = dy·colᵀ:
  /// OpenBLAS runs the tall orientation faster on these shapes (Zen 4, one thread:
  /// 144×16×784 84 vs 16×144×784 66 GFLOP/s; 288×32×196 95 vs 82; 576×64×1029 100 vs 93).
  nonisolated(unsafe) public static var transposedWeightGradient = true
  /// OpenBLAS 0.3.21's SkylakeX/Cooperlake kernels (what Zen 4 gets by default) multiply
  /// without packing when m·n·k ≤ 10⁶ (`sgemm_small_kernel_permit`): measured on Zen 4,
  /// 16×784×144 runs at 86 GFLOP/s as one call and 115 as two calls of 392 columns;
  /// 32×196×288: 88 → 113; 64×49×576: 87 → 94 (batching images and scattering back
  /// reached 83–98 without counting the scatter).
  static let smallGemmMaxMNK = 1_000_000

  /// Columns per GEMM call for an m×k weight so each call takes the small-matrix path
  /// (balanced over `n`), or nil when that would need calls narrower than 16 columns or
  /// the switch is off.
  static func smallGemmColumns(m: Int, k: Int, n: Int) -> Int? {
    guard smallGemmChunks, m * k * 16 <= smallGemmMaxMNK else { return nil }
    var parts = max(1, (m * k * n + smallGemmMaxMNK - 1) / smallGemmMaxMNK)
    var chunk = (n + parts - 1) / parts
    while m * k * chunk > smallGemmMaxMNK { parts += 1; chunk = (n + parts - 1) / parts }
    return chunk
  }

  static func imagesPerGemm(_ s: Conv2dShape, available: Int, forward: Bool = false) -> Int {
    let ohw = s.outHeight * s.outWidth
    if forward && !s.isPointwise && smallGemmColumns(m: s.outChannelsPerGroup, k: s.patchSize, n: ohw) != nil { return 1 }
    let cols = minColumns >= 0 ? minColumns : autoColumns(s)
    if s.isPointwise || cols <= ohw { return 1 }
    var nb = (cols + ohw - 1) / ohw
    nb = min(nb, max(1, maxColumnFloats / max(1, s.patchSize * ohw)))
    return max(1, min(nb, available))
  }

  /// Measured at batch 128 on 2 Zen 4 cores: with ≥ 32 output channels per group and
  /// planes ≥ 128 positions, one GEMM per image is fastest (the scatter back costs more
  /// than the wider GEMM gains); few output channels (16→16 at 28×28: 69 → 100 GFLOP/s)
  /// or tiny planes with a deep K (64→64 at 7×7) gain from batching images.
  ///
  /// Since the forward pass runs per image in small-matrix GEMMs (`smallGemmColumns`), this
  /// only steers the backward-weight products (transposed orientation) and col2im backward,
  /// where batching no longer pays: the GEMM gains little (576×64 at 49 columns: 95 GFLOP/s,
  /// at 196: 101; 16 channels: 84 per image vs 79 batched) and the gather plus an im2col
  /// block beyond L2 cost more (ResNet-mini training, 1 thread: 1–2% less CPU per step
  /// with no batching than with batching on 49-position planes only, 3% than the old rule).
  static func autoColumns(_ s: Conv2dShape) -> Int {
    if smallGemmChunks { return 0 }
    let ohw = s.outHeight * s.outWidth
    if s.outChannelsPerGroup < 32 { return 4096 }
    if ohw < 128 && s.patchSize >= 256 { return 1024 }
    return 0
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
  let OHW = s.outHeight * s.outWidth
  if s.isDepthwise {
    Depthwise.forward(s, input: input, weight: weight, output: output)
    convEpilogue(output, batch: s.batch, channels: s.outChannels, plane: OHW, bias: bias, relu: relu)
    return
  }
  let cinG = s.inChannelsPerGroup, coutG = s.outChannelsPerGroup, K = s.patchSize
  let HW = s.height * s.width, Cin = s.inChannels, Cout = s.outChannels
  convGroupBlocks(s, forward: true) { block, g in
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
      let out = output + (b0 * Cout + g * coutG) * OHW
      let chunk = block.maxCount == 1 ? Conv2dTuning.smallGemmColumns(m: coutG, k: K, n: OHW) : nil
      let step = chunk ?? OHW
      var n0 = 0
      while n0 < OHW {
        let w = min(step, OHW - n0)
        sgemm(m: coutG, n: w, k: K, a: wg, lda: K, b: col + n0, ldb: OHW, beta: 0, c: out + n0, ldc: OHW)
        n0 += w
      }
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

/// A block of images one GEMM pass covers: images first..<first + count of a batch part
/// whose blocks hold at most `maxCount`, and the part's scratch (`gemmScratch`).
struct ConvImageBlock {
  var first: Int, count: Int, maxCount: Int
  var col: UnsafeMutablePointer<Float>, staging: UnsafeMutablePointer<Float>
}

/// The walk the forward and the input-gradient passes share: batch parts in parallel
/// (`convBatchParts`), each with its scratch, blocks of up to `imagesPerGemm` images, and
/// `body` for every group of a block; `blockDone(first, count)` after a block's groups
/// (the forward's epilogue). Per block and group, not per element: the GEMMs and copies
/// inside `body` are the work.
@inline(__always)
func convGroupBlocks(_ s: Conv2dShape, forward: Bool, _ body: (ConvImageBlock, _ group: Int) -> Void,
                     blockDone: (_ first: Int, _ count: Int) -> Void = { _, _ in }) {
  _ = convBatchParts(s) { _, range in
    Workspace.withScratch { ws in
      let nbMax = Conv2dTuning.imagesPerGemm(s, available: range.count, forward: forward)
      let (col, staging, _) = gemmScratch(s, ws, images: nbMax)
      var b0 = range.lowerBound
      while b0 < range.upperBound {
        let block = ConvImageBlock(first: b0, count: min(nbMax, range.upperBound - b0), maxCount: nbMax, col: col, staging: staging)
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
  convGroupBlocks(s, forward: false) { block, g in
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
        // Per image with small-matrix GEMMs: dW += dyᵀᵀ·colᵀ over chunks of positions, from a
        // transposed copy of the image's dy (a few KB); see `smallGemmColumns`.
        let chunk = nbMax == 1 && !s.isPointwise ? Conv2dTuning.smallGemmColumns(m: coutG, k: K, n: OHW) : nil
        let transposed = chunk == nil && Conv2dTuning.transposedWeightGradient && !s.isPointwise
        let (col, gathered, dwT) = gemmScratch(s, ws, images: nbMax,
                                               extra: (transposed ? wc : 0) + (chunk != nil ? coutG * OHW : 0))
        let dyT = dwT + (transposed ? wc : 0)
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
            if let chunk {
              let dy = gradOutput + (b0 * Cout + g * coutG) * OHW
              for p in 0..<OHW {
                let row = dyT + p * coutG
                for m in 0..<coutG { row[m] = dy[m * OHW + p] }
              }
              var n0 = 0, bt = beta
              while n0 < OHW {
                let w = min(chunk, OHW - n0)
                sgemm(transA: true, transB: true, m: coutG, n: K, k: w, a: dyT + n0 * coutG, lda: coutG,
                      b: col + n0, ldb: OHW, beta: bt, c: dwg, ldc: K)
                bt = 1
                n0 += w
              }
            } else if transposed {
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
