import Foundation
import LyraKernels
import LyraTensor

/// When a quantised layer (`QuantConv2d`, `QuantLinear`) computes with integer kernels
/// (`QuantizedProduct`: AVX-512 VNNI, AVX2 or portable) instead of fake-quantised floats.
///
/// It does in evaluation mode, with nothing recording gradients (`Tensor.noGrad`: Lyra's
/// evaluator, the pipeline and `lyra.no_grad` all evaluate so), for layers whose inputs are
/// quantised (`activationBits`) over a range calibrated in training, and (convolutions) with
/// one group. The output equals the fake-quantised layer's up to that layer's float rounding,
/// since the integer sums are exact. A layer with float inputs (weights-only quantisation, the
/// Quant-EA default) stays on float kernels: its products are float products.
public enum IntegerInference {
  /// Integer kernels for the layers above (default on). Off, every quantised layer computes
  /// fake-quantised floats as in training: for comparing the two (`lyra.config{int8 = false}`).
  nonisolated(unsafe) public static var enabled = true

  /// The input grid when `layer` can run on integers for `x` now, else nil.
  static func grid(_ layer: QuantizedLayer) -> QuantizedProduct.Grid? {
    guard enabled, !layer.training, !Tensor.isGradEnabled, let bits = layer.activationBits,
          let range = layer.activationRange, range.count == 2 else { return nil }
    let lo = range.data[0], hi = range.data[1]
    guard lo != hi, lo.isFinite, hi.isFinite else { return nil } // never calibrated: the batch's own range
    let (s, z) = QuantScheme.affineParameters(lo: lo, hi: hi, bits: bits)
    guard s > 0, s.isFinite else { return nil }
    return QuantizedProduct.Grid(scale: s, zeroPoint: z, levels: Float((1 << bits) - 1))
  }
}

/// A quantised layer's integer weights prepared for the kernels, rebuilt only when its float
/// weight or bias, its input grid or the ISA path change.
///
/// Why compare bytes rather than keep a version number: Lyra's tensors carry none, and a
/// comparison is exact whatever wrote the weights (an optimiser, `copy_` from Lua, a loaded
/// checkpoint). It reads the weights once (memcmp; the CNN's 3136×128 layer, 1.6 MB, in about
/// 0.1 ms), where re-quantising them every call costs an order of magnitude more.
final class QuantizedWeightCache {
  private var weightCopy: [Float] = []
  private var biasCopy: [Float]?
  private var prepared: QuantizedProduct.Weights?

  func weights(_ layer: QuantizedLayer, grid: QuantizedProduct.Grid) -> QuantizedProduct.Weights? {
    let w = layer.weight.contiguous(), b = layer.bias?.contiguous()
    if let p = prepared, p.grid == grid, p.isa == KernelISA.active, Self.same(w, weightCopy),
       (b == nil) == (biasCopy == nil), b.map({ Self.same($0, biasCopy!) }) ?? true {
      return p
    }
    prepared = nil
    weightCopy = w.toArray()
    biasCopy = b?.toArray()
    let rows = w.shape[0], (ints, scales) = QuantScheme.quantize(weightCopy, rows: rows, bits: layer.bits)
    prepared = biasCopy.withOptionalPointer { bias in
      QuantizedProduct.Weights(rows: rows, k: w.count / max(rows, 1), ints: ints, weightScales: scales, bias: bias, grid: grid)
    }
    return prepared
  }

  private static func same(_ t: Tensor, _ copy: [Float]) -> Bool {
    guard t.count == copy.count else { return false }
    if copy.isEmpty { return true }
    return copy.withUnsafeBytes { memcmp($0.baseAddress!, t.data, t.count * 4) == 0 }
  }
}

private extension Optional where Wrapped == [Float] {
  func withOptionalPointer<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let a = self else { return body(nil) }
    return a.withUnsafeBufferPointer { body($0.baseAddress) }
  }
}
