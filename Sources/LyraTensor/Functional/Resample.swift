import LyraBase
import LyraKernels

extension Tensor {
  /// Nearest or bilinear (align_corners false unless asked) resize of NCHW input to
  /// `outH`×`outW`, as `torch.nn.functional.interpolate`.
  public func upsample(_ outH: Int, _ outW: Int, mode: UpsampleMode = .nearest, alignCorners: Bool = false) -> Tensor {
    let (n, c, h, w, out) = resizedOutput("Tensor.upsample", outH, outW, "upsampled output")
    let xc = contiguous()
    switch mode {
    case .nearest:
      upsampleNearest2dForward(input: xc.data, output: out.data, batch: n, channels: c, height: h, width: w, outHeight: outH, outWidth: outW)
    case .bilinear:
      upsampleBilinear2dForward(input: xc.data, output: out.data, batch: n, channels: c, height: h, width: w,
                                outHeight: outH, outWidth: outW, alignCorners: alignCorners)
    }
    let inShape = shape
    return out.recorded("upsample", [self]) { g in
      let dx = Tensor.empty(inShape)
      let gc = g.contiguous()
      switch mode {
      case .nearest:
        upsampleNearest2dBackward(gradOutput: gc.data, gradInput: dx.data, batch: n, channels: c, height: h, width: w, outHeight: outH, outWidth: outW)
      case .bilinear:
        upsampleBilinear2dBackward(gradOutput: gc.data, gradInput: dx.data, batch: n, channels: c, height: h, width: w,
                                   outHeight: outH, outWidth: outW, alignCorners: alignCorners)
      }
      return [dx]
    }
  }

  /// Rearranges [N, C·r², H, W] into [N, C, H·r, W·r] (sub-pixel convolution's last step).
  public func pixelShuffle(_ r: Int) -> Tensor {
    // r ≤ C keeps r·r from overflowing (C is bounded by an allocated tensor); the output
    // is the same element count as the input, so h·r and w·r fit too.
    precondition(rank == 4 && r > 0 && r <= shape[1] && r < 1 << 31 && shape[1] % (r * r) == 0,
                 "Tensor.pixelShuffle: channels \(rank == 4 ? shape[1] : 0) must divide by \(r)² in a 4-D input")
    requireFloat("Tensor.pixelShuffle")
    let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
    let out = Tensor.empty([n, c / (r * r), h * r, w * r])
    pixelShuffleForward(input: contiguous().data, output: out.data, batch: n, channels: c / (r * r), height: h, width: w, factor: r)
    let inShape = shape
    return out.recorded("pixelShuffle", [self]) { g in
      let dx = Tensor.empty(inShape)
      pixelShuffleBackward(gradOutput: g.contiguous().data, gradInput: dx.data, batch: n, channels: c / (r * r), height: h, width: w, factor: r)
      return [dx]
    }
  }
}

/// Interpolation mode of `Tensor.upsample`.
public enum UpsampleMode: String {
  case nearest, bilinear
}
