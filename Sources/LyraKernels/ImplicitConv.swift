import CKernels

/// The padded-row implicit GEMM for stride-1 convolutions: no im2col matrix.
///
/// Each image is copied once into zero-padded planes of width Wp = W + 2·padW and height
/// Hp = H + 2·padH. Then im2col's row for tap (c, i, j) is the contiguous run of OH·Wp floats
/// starting at c·Hp·Wp + i·dH·Wp + j·dW of the padded image, so the GEMM reads B's rows straight
/// from it through a row-offset table (`lyra_sgemm_offsets`, a micro-kernel variant on every ISA
/// path). The product covers OH·Wp columns: each output row carries Wp − OW junk columns (the
/// windows that straddle a row's end), which the compaction drops while it adds the bias and
/// applies the fused ReLU.
///
/// Why: in ResNet-mini inference im2col's loop and row copies took 29 % of the time (GEMM 51 %;
/// docs/performance.md). The padded copy writes Cin·Hp·Wp floats per image, against the
/// Cin·kH·kW·OH·OW of im2col (9× as many for a 3×3 layer), and its zero border is written once per
/// batch part, not per image. The price: (Wp − OW)/OW more columns in the product (2/28 = 7 % for
/// a 28-wide 3×3 layer, 2/7 = 29 % at 7×7) and the compaction pass over the output.
enum ImplicitConv {
  /// Whether `s` runs here: stride 1, not depthwise, not 1×1 unpadded (a plain GEMM already),
  /// a patch at least as long as the group's output channels, offsets that fit the table's 32
  /// bits, and `Conv2dTuning.implicitGemm` on.
  ///
  /// The patch rule: im2col writes K = cinG·kH·kW rows of OH·OW floats, the compaction reads and
  /// writes coutG rows of OH·Wp, so a shallow patch feeding many channels loses. Measured
  /// (`lyra-bench conv-ab`, one thread, CPU time): the CNN's first layer, 1→32 (K 9), ran 0.6× as
  /// fast as im2col; every layer with K ≥ coutG (K 144-576 against 16-64) gained 1.1-1.45×.
  static func applies(_ s: Conv2dShape) -> Bool {
    guard Conv2dTuning.implicitGemm, s.strideH == 1, s.strideW == 1, !s.isPointwise, !s.isDepthwise,
          s.patchSize >= s.outChannelsPerGroup else {
      return false
    }
    let padded = s.inChannelsPerGroup * (s.height + 2 * s.padH) * (s.width + 2 * s.padW) + s.kernelW * s.dilationW
    return padded < Int(Int32.max) / 2
  }

  /// output = conv(input, weight) (+ bias) (ReLU'd when `relu`), as `conv2dForward`.
  static func forward(_ s: Conv2dShape, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                      bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, relu: Bool) {
    let Hp = s.height + 2 * s.padH, Wp = s.width + 2 * s.padW
    let OH = s.outHeight, OW = s.outWidth, n = OH * Wp, OHW = OH * OW
    let cinG = s.inChannelsPerGroup, coutG = s.outChannelsPerGroup, K = s.patchSize
    let Cin = s.inChannels, Cout = s.outChannels, HW = s.height * s.width, plane = Hp * Wp
    // The last tap row of the last channel reads (kW − 1)·dW floats past the planes (junk
    // columns of the last output row only): kept zero so they hold no NaN or denormal.
    let paddedCount = Cin * plane + (s.kernelW - 1) * s.dilationW
    let level = lyra_isa_active()
    _ = convBatchParts(s) { _, range in
      Workspace.withScratch { ws in
        let buf = ws.floats(paddedCount + coutG * n + K)
        let padded = buf, stage = buf + paddedCount
        Im2col.zeroFloats(padded, paddedCount)   // the border stays zero for every image
        (stage + coutG * n).withMemoryRebound(to: Int32.self, capacity: K) { table in
          fillTable(s, rowStride: Wp, planeStride: plane, into: table)
          for b in range {
            let x = input + b * Cin * HW
            for c in 0..<Cin {
              for y in 0..<s.height {
                Im2col.copyFloats(padded + c * plane + (y + s.padH) * Wp + s.padW, x + (c * s.height + y) * s.width, s.width)
              }
            }
            for g in 0..<s.groups {
              let y = output + (b * Cout + g * coutG) * OHW
              let failed = lyra_sgemm_offsets(level, coutG, n, K, weight + g * coutG * K, K,
                                              padded + g * cinG * plane, table, 0, stage, n) != 0
              if failed {
                // Packing buffers could not be allocated: this image and group by im2col
                // (whose GEMM falls back to OpenBLAS).
                var one = s
                one.batch = 1
                im2colForward(one, input: x, weight: weight, bias: bias, output: output + b * Cout * OHW, relu: relu)
                break
              }
              compact(stage, rowStride: Wp, rows: OH, width: OW, channels: coutG, bias: bias.map { $0 + g * coutG },
                      relu: relu, into: y)
            }
          }
        }
      }
    }
  }

  /// table[(c·kH + i)·kW + j] = c·planeStride + i·dH·rowStride + j·dW: where tap (c, i, j)'s
  /// window starts in the padded planes.
  static func fillTable(_ s: Conv2dShape, rowStride: Int, planeStride: Int, into table: UnsafeMutablePointer<Int32>) {
    var k = 0
    for c in 0..<s.inChannelsPerGroup {
      for i in 0..<s.kernelH {
        for j in 0..<s.kernelW {
          table[k] = Int32(c * planeStride + i * s.dilationH * rowStride + j * s.dilationW)
          k += 1
        }
      }
    }
  }

  /// y[m, oy, ox] = f(stage[m, oy·rowStride + ox] + bias[m]) with f = ReLU or identity: the
  /// product's OH·Wp columns without the junk ones, in one pass with the epilogue.
  @inline(__always)
  static func compact(_ stage: UnsafePointer<Float>, rowStride: Int, rows: Int, width: Int, channels: Int,
                      bias: UnsafePointer<Float>?, relu: Bool, into y: UnsafeMutablePointer<Float>) {
    for m in 0..<channels {
      let bv = bias?[m] ?? 0
      let src = stage + m * rows * rowStride, dst = y + m * rows * width
      for oy in 0..<rows {
        let s = src + oy * rowStride, d = dst + oy * width
        if relu {
          for ox in 0..<width { d[ox] = max(s[ox] + bv, 0) }
        } else if bias != nil {
          for ox in 0..<width { d[ox] = s[ox] + bv }
        } else {
          Im2col.copyFloats(d, s, width)
        }
      }
    }
  }
}
