import Foundation
import LyraBase
import LyraData
import LyraNN
import LyraTensor

/// A super-resolution model applied to a whole image (`lyra sr`, Lua's `m:upscale`).
///
/// Why tiles: activations of a 2K image through an ESRN take gigabytes; an image is cut
/// into `tile` × `tile` LR tiles, each run with `overlap` pixels of context on every side
/// (inside the image), and only the tile's own part of the output is kept, so seams see
/// the same neighbourhood as the interior (up to `overlap` pixels of receptive field).
/// Tile regions have even sides where the image allows (ESRN's contextual blocks halve
/// the resolution inside).
public enum SRInference {
  /// The model's ×`scale` output of `image` (Float CHW on 0…255; `valueDiv` as the
  /// dataset's `value_div`: the model sees pixels / valueDiv and returns them so scaled).
  public static func upscale(_ model: Module, _ image: Image, scale: Int, tile: Int = 128, overlap: Int = 8,
                             valueDiv: Float = 1) throws -> Image {
    guard scale >= 1, tile >= 8, overlap >= 0 else { throw TrainerError.input("upscale: scale ≥ 1, tile ≥ 8 and overlap ≥ 0 needed") }
    let (c, h, w) = (image.channels, image.height, image.width)
    var out = Image(channels: c, height: h * scale, width: w * scale)
    let wasTraining = model.training
    model.eval()
    defer { model.train(wasTraining) }
    func span(_ start: Int, _ n: Int) -> (Int, Int) {
      var a = max(0, start - overlap), b = min(n, start + tile + overlap)
      if (b - a) % 2 == 1 { if b < n { b += 1 } else if a > 0 { a -= 1 } }
      return (a, b)
    }
    for ty in stride(from: 0, to: h, by: tile) {
      for tx in stride(from: 0, to: w, by: tile) {
        let (y0, y1) = span(ty, h), (x0, x1) = span(tx, w)
        let rh = y1 - y0, rw = x1 - x0
        var px = [Float](repeating: 0, count: c * rh * rw)
        for ch in 0..<c {
          for y in 0..<rh {
            for x in 0..<rw { px[(ch * rh + y) * rw + x] = image[ch, y0 + y, x0 + x] / valueDiv }
          }
        }
        let y = try Tensor.noGrad { try model(Tensor(px, shape: [1, c, rh, rw])) }
        guard y.shape == [1, c, rh * scale, rw * scale] else {
          throw TrainerError.input("upscale: the model turns [1, \(c), \(rh), \(rw)] into \(y.shape), not a ×\(scale) image of \(c) channels (check --scale)")
        }
        let v = y.toArray()
        let (oh, ow) = (rh * scale, rw * scale)
        for ch in 0..<c {
          for yy in (ty * scale)..<(min(ty + tile, h) * scale) {
            let sy = yy - y0 * scale
            for xx in (tx * scale)..<(min(tx + tile, w) * scale) {
              out[ch, yy, xx] = v[(ch * oh + sy) * ow + xx - x0 * scale] * valueDiv
            }
          }
        }
      }
    }
    return out
  }

  /// PSNR and SSIM of `output` against `reference` by the SR protocol: the luma plane, a
  /// border of `scale` pixels left out (both images on 0…255, same size).
  public static func scores(_ output: Image, _ reference: Image, scale: Int) throws -> (psnr: Double, ssim: Double) {
    guard output.shape == reference.shape else {
      throw TrainerError.input("scores: output \(output.shape) and reference \(reference.shape) differ in size")
    }
    let shape = [1] + output.shape
    let (o, r) = (Tensor(output.pixels.map { min(max($0.rounded(), 0), 255) }, shape: shape), Tensor(reference.pixels, shape: shape))
    let p = PSNR(maxRGB: 255, scale: scale, toY: true), s = SSIM(maxRGB: 255, scale: scale, toY: true)
    try p.update(output: o, target: r)
    try s.update(output: o, target: r)
    return (try p.summary()["PSNR"]!, try s.summary()["SSIM"]!)
  }
}
