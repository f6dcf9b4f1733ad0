/// Pixel shuffle (sub-pixel convolution, Shi et al. 2016) as PyTorch's `nn.PixelShuffle(r)`:
/// input [N, C·r², H, W] → output [N, C, H·r, W·r] with
/// out[n, c, h·r + i, w·r + j] = in[n, c·r² + i·r + j, h, w].
/// It is a pure permutation, so backward is the inverse permutation (pixel unshuffle).
/// `channels` is C, the output's channel count; `height`/`width` are the input's.
public func pixelShuffleForward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                                batch: Int, channels: Int, height: Int, width: Int, factor r: Int) {
  permutePixelShuffle(batch: batch, channels: channels, height: height, width: width, factor: r) { o, i in
    output[o] = input[i]
  }
}

/// gradInput [N, C·r², H, W] (overwritten) from gradOutput [N, C, H·r, W·r]; also pixel unshuffle.
public func pixelShuffleBackward(gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>,
                                 batch: Int, channels: Int, height: Int, width: Int, factor r: Int) {
  permutePixelShuffle(batch: batch, channels: channels, height: height, width: width, factor: r) { o, i in
    gradInput[i] = gradOutput[o]
  }
}

/// Visits (output index, input index) pairs, split over (image, output channel) so the
/// output side of each part is contiguous.
@inline(__always)
func permutePixelShuffle(batch: Int, channels: Int, height: Int, width: Int, factor r: Int,
                         _ move: (Int, Int) -> Void) {
  precondition(r > 0, "pixelShuffle: factor must be positive")
  let HW = height * width, OW = width * r
  let planes = batch * channels
  KernelParallel.forRanges(count: planes, work: planes * HW * r * r) { _, range in
    for p in range {
      let inBase = p * r * r * HW, outBase = p * HW * r * r
      for h in 0..<height { for i in 0..<r {
        let outRow = outBase + (h * r + i) * OW
        for w in 0..<width { for j in 0..<r {
          move(outRow + w * r + j, inBase + (i * r + j) * HW + h * width + w)
        } }
      } }
    }
  }
}
