/// One axis of a sliding window (convolution, pooling): how many positions it takes.
///
/// The one home of PyTorch's formula (`conv_output_size`, `pooling_output_shape`):
/// `Conv2dShape` and `Pool2dShape` compute their output sizes here, and the checked
/// variants (`checkedOutputShape`, over `CheckedSize.windowOutput`) apply the same
/// ceil-mode rule, so the sizes a caller checks are the sizes the kernels loop over.
public enum SlidingWindow {
  /// ⌊(size + 2·padding − dilation·(kernel − 1) − 1 + (ceil ? stride − 1 : 0)) / stride⌋ + 1,
  /// less one in ceil mode when the last window would start past the input.
  /// Unchecked arithmetic: the geometry was checked before (`checkedOutputShape`).
  @inlinable
  public static func outputSize(_ size: Int, kernel: Int, stride: Int, padding: Int, dilation: Int,
                                ceil: Bool = false) -> Int {
    let o = (size + 2 * padding - dilation * (kernel - 1) - 1 + (ceil ? stride - 1 : 0)) / stride + 1
    return ceil && lastWindowStartsPastInput(o, stride: stride, size: size, padding: padding) ? o - 1 : o
  }

  /// PyTorch's ceil-mode rule: the last of `count` windows must start inside the input or
  /// its left padding (an overflowing start is past it).
  @inlinable
  public static func lastWindowStartsPastInput(_ count: Int, stride: Int, size: Int, padding: Int) -> Bool {
    let (start, overflow) = (count - 1).multipliedReportingOverflow(by: stride)
    return overflow || start >= size + padding
  }
}
