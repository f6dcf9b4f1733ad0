import LyraBase
import LyraNN
import LyraTensor

/// VEGA's `FMDUnit` (feature map distortion, Tang et al. 2020 "Beyond Dropout"): in
/// training, square blocks of `blockSize`×`blockSize` positions of each channel are
/// replaced by noise instead of being zeroed, and the result is rescaled by the kept
/// fraction; the identity in evaluation.
///
/// The steps, as vega/networks/pytorch/ops/fmdunit.py: block seeds fall with rate
/// γ = p·H·W / (b²·(H−b+1)·(W−b+1)) on the positions whose block fits; a min-pool of
/// size b spreads each seed to its block (the mask M, 0 in dropped blocks); the noise is
/// α·w_c·σ(x)·N(0, 1), σ(x) the (detached) standard deviation of the whole input and w_c
/// the per-input-channel mean, over the kernel window, of the largest weight over output
/// channels of the convolution that follows (`next`), each given a random sign (scaled
/// by 0.1 for a 1×1 kernel; 0.01 for every channel when no convolution follows). Output:
/// (x·M + noise·(1 − M)) / mean(M). The gradient is M / mean(M) (the noise is a constant).
///
/// The drop rate p ramps linearly from 0 to `dropProb` over `rampSteps` training
/// forwards (VEGA's `LinearScheduler`, 5000 steps). VEGA's own scheduler truncates both
/// ends to integers (`int(0.03)` = 0), so there p stays 0 and the unit never drops; this
/// one ramps to the configured rate, as the paper describes.
public final class FeatureMapDistortion: Module {
  public let dropProb: Double
  public let blockSize: Int
  public let alpha: Double
  public let rampSteps: Int
  /// Training forwards so far (drives the ramp).
  public private(set) var steps = 0
  /// The convolution the output feeds (its weights scale the noise); nil: none follows.
  weak var next: Conv2d?
  let generator: Generator?

  public init(dropProb: Double, blockSize: Int, alpha: Double, rampSteps: Int = 5000, generator: Generator? = nil) {
    self.dropProb = dropProb
    self.blockSize = blockSize
    self.alpha = alpha
    self.rampSteps = max(1, rampSteps)
    self.generator = generator
    super.init()
  }

  /// The drop rate after `steps` training forwards: numpy's linspace(0, dropProb, rampSteps)[steps].
  public var currentDropProb: Double {
    rampSteps == 1 ? dropProb : dropProb * Double(min(steps, rampSteps - 1)) / Double(rampSteps - 1)
  }

  public override func forward(_ x: Tensor) throws -> Tensor {
    guard x.rank == 4, x.dtype == .float32 else {
      throw ShapeError("FeatureMapDistortion: expected input [N, C, H, W], got \(ShapeText.format(x.shape))")
    }
    guard training else { return x }
    let p = currentDropProb
    steps += 1
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let g = generator ?? Tensor.defaultGenerator
    let mask = blockMask(n * c, h, w, p: p, g)
    var kept = 0.0
    for v in mask { kept += Double(v) }
    // All positions dropped: VEGA divides by zero; keeping the scale at 1 leaves pure noise.
    let scale = kept > 0 ? Double(mask.count) / kept : 1
    let weights = channelWeights(c, g)
    let sigma = Tensor.noGrad { x.variance() }.item().squareRoot()
    var noise = [Float](repeating: 0, count: mask.count)
    var scaled = mask
    for i in 0..<mask.count {
      scaled[i] = Float(Double(mask[i]) * scale)
      guard mask[i] == 0 else { continue }
      noise[i] = Float(alpha * weights[(i / (h * w)) % c] * Double(sigma) * g.normal() * scale)
    }
    return x.mul(Tensor(scaled, shape: x.shape)) + Tensor(noise, shape: x.shape)
  }

  /// M for `maps` maps of h×w: 1 kept, 0 in a dropped block.
  func blockMask(_ maps: Int, _ h: Int, _ w: Int, p: Double, _ g: Generator) -> [Float] {
    let b = min(blockSize, h, w)
    let gamma = p * Double(h * w) / Double(b * b) / Double((h - b + 1) * (w - b + 1))
    let lo = b / 2, hiRow = h - (b - 1) / 2, hiCol = w - (b - 1) / 2
    var seeds = [Float](repeating: 1, count: maps * h * w)
    for m in 0..<maps {
      for i in 0..<h {
        for j in 0..<w {
          let u = Double(g.nextFloat())
          if i >= lo, i < hiRow, j >= lo, j < hiCol, u < gamma { seeds[(m * h + i) * w + j] = 0 }
        }
      }
    }
    if b == min(h, w) {
      // VEGA's block as wide as the map: the whole map goes when any seed falls.
      var out = seeds
      for m in 0..<maps {
        let any = seeds[(m * h * w)..<((m + 1) * h * w)].contains(0)
        for k in 0..<(h * w) { out[m * h * w + k] = any ? 0 : 1 }
      }
      return out
    }
    // Min-pool b×b, stride 1, window rows i−b/2 … i−b/2+b−1 (PyTorch's padding b/2, the
    // extra row and column of an even b cropped), separable: along rows, then columns.
    return minPool(minPool(seeds, maps, h, w, b, acrossColumns: true), maps, h, w, b, acrossColumns: false)
  }

  /// The minimum over b positions from −b/2 along one axis of each h×w map (outside: 1).
  func minPool(_ v: [Float], _ maps: Int, _ h: Int, _ w: Int, _ b: Int, acrossColumns: Bool) -> [Float] {
    var out = v
    for m in 0..<maps {
      for i in 0..<h {
        for j in 0..<w {
          var x: Float = 1
          for a in 0..<b {
            let (ii, jj) = acrossColumns ? (i, j - b / 2 + a) : (i - b / 2 + a, j)
            if ii >= 0, ii < h, jj >= 0, jj < w { x = min(x, v[(m * h + ii) * w + jj]) }
          }
          out[(m * h + i) * w + j] = x
        }
      }
    }
    return out
  }

  /// w_c per input channel from the following convolution (see the type's doc).
  func channelWeights(_ channels: Int, _ g: Generator) -> [Double] {
    guard let conv = next, conv.inChannels == channels, conv.groups == 1 else { return [Double](repeating: 0.01, count: channels) }
    let wt = conv.weight.contiguous().toArray()
    let (o, k) = (conv.outChannels, conv.kernel.h * conv.kernel.w)
    var result = [Double](repeating: 0, count: channels)
    for ci in 0..<channels {
      var sum = 0.0
      for e in 0..<k {
        var mx = -Float.infinity
        for oi in 0..<o { mx = max(mx, wt[(oi * channels + ci) * k + e]) }
        sum += Double(mx) * (g.nextFloat() < 0.5 ? -1 : 1)
      }
      result[ci] = sum / Double(k) * (k == 1 ? 0.1 : 1)
    }
    return result
  }

  public override var summary: String { "drop_prob = \(dropProb), block_size = \(blockSize), alpha = \(alpha)" }
  public override var arguments: [String: JSON] {
    ["drop_prob": .number(dropProb), "block_size": JSON(blockSize), "alpha": .number(alpha)]
  }
}
