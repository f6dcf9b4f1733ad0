import Foundation
import LyraTensor

/// Resize (opset 11+ input form: X, roi, scales, sizes) of the last one or two dimensions
/// of [N, C, W] / [N, C, H, W], nearest or linear, with the coordinate mappings PyTorch
/// and Lyra's exporter use (half_pixel, pytorch_half_pixel, align_corners, asymmetric).
///
/// With `sizes` the mapping uses the exact ratio in/out (computed from the integers, so
/// that nearest's floor of an integer coordinate is never one less through rounding, as
/// Lyra's Upsample computes it; products in Double, exact for these sizes and never
/// overflowing); with `scales`, 1/scale.
enum ResizeOps {
  static let table: [String: ONNXKernel] = ["Resize": resize]

  static func resize(_ call: OpCall) throws -> [Tensor] {
    try call.expectAttributes(["mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "exclude_outside",
                               "extrapolation_value"])
    guard call.opset >= 11 else { throw ONNXError.unsupported("Resize before opset 11 (the scales-attribute form)") }
    let x = try call.float(0)
    guard x.rank == 3 || x.rank == 4, x.shape[2...].allSatisfy({ $0 > 0 }) else {
      throw ONNXError.unsupported("input must be [N, C, W] or [N, C, H, W] with positions, got \(x.shape)")
    }
    let mode = try call.string("mode", "nearest")
    guard mode == "nearest" || mode == "linear" else { throw ONNXError.unsupported("mode '\(mode)' (Lyra resizes nearest and linear)") }
    let coords = try call.string("coordinate_transformation_mode", "half_pixel")
    guard ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"].contains(coords) else {
      throw ONNXError.unsupported("coordinate_transformation_mode '\(coords)'")
    }
    let rounding = try call.string("nearest_mode", "round_prefer_floor")
    guard ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"].contains(rounding) else {
      throw ONNXError.invalid("unknown nearest_mode '\(rounding)'")
    }
    if try call.int("exclude_outside", 0) != 0 { throw ONNXError.unsupported("exclude_outside = 1") }

    let spatial = Array(x.shape[2...])
    // Per resized axis: the output size and the source coordinate of an output index.
    var sizes: [Int] = [], maps: [(Int) -> Double] = []
    if let given = try call.intValues(3) {
      guard given.count == x.rank else { throw ONNXError.invalid("'sizes' has \(given.count) values for an input of rank \(x.rank)") }
      guard given[0] == x.shape[0], given[1] == x.shape[1] else {
        throw ONNXError.unsupported("resizing the batch or channel dimension (sizes \(given), input \(x.shape))")
      }
      sizes = Array(given[2...])
      guard sizes.allSatisfy({ $0 > 0 }) else { throw ONNXError.invalid("'sizes' \(given) must be positive") }
      for (n, m) in zip(spatial, sizes) { maps.append(mapping(coords, n: n, m: m, inverseScale: Double(n) / Double(m), exact: (n, m))) }
    } else if let scales = call.optionalInput(2), scales.count > 0 {
      guard scales.dtype == .float32, scales.count == x.rank else {
        throw ONNXError.invalid("'scales' must be \(x.rank) floats, got \(scales.dtype) \(scales.shape)")
      }
      let s = scales.contiguous().toArray()
      guard s[0] == 1, s[1] == 1 else { throw ONNXError.unsupported("resizing the batch or channel dimension (scales \(s))") }
      for (k, n) in spatial.enumerated() {
        let f = Double(s[2 + k])
        guard f.isFinite, f > 0, Double(n) * f < Double(Int32.max) else { throw ONNXError.invalid("scale \(s[2 + k]) must be positive and finite") }
        let m = Int((Double(n) * f).rounded(.down))
        guard m > 0 else { throw ONNXError.invalid("scale \(s[2 + k]) leaves no output along axis \(2 + k)") }
        sizes.append(m)
        maps.append(mapping(coords, n: n, m: m, inverseScale: 1 / f, exact: nil))
      }
    } else {
      throw ONNXError.invalid("needs 'scales' or 'sizes'")
    }
    try SizeMath.allocation(Array(x.shape[..<2]) + sizes, "the resized output")

    // Taps (index, weight) per output index and axis; height is 1 for a 1-D input.
    func taps(_ axis: Int) -> [[(Int, Float)]] {
      let n = spatial[axis]
      return (0..<sizes[axis]).map { o in
        let c = maps[axis](o)
        if mode == "nearest" {
          let i: Double
          switch rounding {
          case "floor": i = c.rounded(.down)
          case "ceil": i = c.rounded(.up)
          case "round_prefer_ceil": i = (c + 0.5).rounded(.down)
          default: i = c - c.rounded(.down) == 0.5 ? c.rounded(.down) : c.rounded()
          }
          return [(Swift.min(Swift.max(Int(Swift.max(Swift.min(i, 1e9), -1)), 0), n - 1), 1)]
        }
        let clamped = Swift.min(Swift.max(c, 0), Double(n - 1))
        let i0 = Int(clamped), i1 = Swift.min(i0 + 1, n - 1)
        let w1 = Float(clamped - Double(i0))
        return [(i0, 1 - w1), (i1, w1)]
      }
    }
    let rows = x.rank == 4 ? taps(0) : [[(0, Float(1))]], cols = taps(x.rank - 3)
    let h = x.rank == 4 ? spatial[0] : 1, w = spatial[x.rank - 3]
    let oh = rows.count, ow = cols.count
    let planes = x.shape[0] * x.shape[1]
    let xc = x.contiguous()
    let y = Tensor.empty(Array(x.shape[..<2]) + sizes)
    let src = xc.data, dst = y.data
    for p in 0..<planes {
      let base = src + p * h * w, out = dst + p * oh * ow
      for (oy, r) in rows.enumerated() {
        for (ox, c) in cols.enumerated() {
          var acc: Float = 0
          for (i, a) in r { for (j, b) in c { acc += a * b * base[i * w + j] } }
          out[oy * ow + ox] = acc
        }
      }
    }
    return [y]
  }

  /// The source coordinate of output index o for an axis of input size n and output size m.
  /// `exact` (n, m) when the sizes were given: the ratio is then taken from the integers.
  static func mapping(_ mode: String, n: Int, m: Int, inverseScale: Double, exact: (Int, Int)?) -> (Int) -> Double {
    func scaled(_ twiceO1: Int) -> Double {  // (o + ½) / scale, from 2o + 1
      if let (n, m) = exact { return Double(twiceO1) * Double(n) / (2 * Double(m)) }
      return Double(twiceO1) / 2 * inverseScale
    }
    switch mode {
    case "align_corners":
      // With scales the resized length is n·scale before flooring (ONNX's reference).
      let length = exact == nil ? Double(n) / inverseScale : Double(m)
      return { o in length <= 1 ? 0 : Double(o) * Double(n - 1) / (length - 1) }
    case "asymmetric": return { o in exact.map { Double(o) * Double($0.0) / Double($0.1) } ?? Double(o) * inverseScale }
    case "pytorch_half_pixel": return { o in m == 1 ? 0 : scaled(2 * o + 1) - 0.5 }
    default: return { o in scaled(2 * o + 1) - 0.5 }
    }
  }
}
