import Foundation
import LyraData
import LyraNN
import LyraPipeline
import LyraTensor

/// `m:upscale(img [, options])`: a super-resolution model applied to a whole image in
/// overlapping tiles (`SRInference`), from Lua.
enum UpscaleMethod {
  static let method = LuaMethod("upscale", help: """
    m:upscale(img [, {scale = 2, tile = 128, overlap = 8, value_div = 1, out = 'big.png'}]) -> tensor
    Applies a super-resolution model (EDSR, ESRN, ...) to a whole image: img is a file name
    (PNG or JPEG, 8-bit RGB) or a float tensor [C, H, W] on 0..255. The image is cut into
    tile x tile pieces, each run with `overlap` pixels of context; the result is the
    [C, H*scale, W*scale] tensor on 0..255, also written as a PNG when `out` is given.
    """) { call in
    let m = try ModuleLua.check(call, 1)
    let image: Image
    if call.stack.type(2) == .string {
      image = try SRImageFolder.load(try call.string(2))
    } else {
      let t = try TensorLua.check(call, 2)
      let s = t.shape
      guard t.dtype == .float32, s.count == 3 || (s.count == 4 && s[0] == 1), s.suffix(3).allSatisfy({ $0 > 0 }) else {
        throw LuaArgumentError(2, "expected a file name or a float tensor [C, H, W], got \(s)")
      }
      let (c, h, w) = (s[s.count - 3], s[s.count - 2], s[s.count - 1])
      image = Image(channels: c, height: h, width: w, pixels: t.contiguous().toArray())
    }
    let o = try call.options(3)
    let scale = try o?.int("scale") ?? 2, tile = try o?.int("tile") ?? 128, overlap = try o?.int("overlap") ?? 8
    let div = try o?.number("value_div") ?? 1
    let out = try o?.string("out")
    try o?.finish()
    guard (1...8).contains(scale) else { throw LuaArgumentError(3, "scale must be in 1..8, got \(scale)") }
    guard tile >= 8, overlap >= 0, div > 0 else { throw LuaArgumentError(3, "tile must be ≥ 8, overlap ≥ 0 and value_div > 0") }
    let up = try SRInference.upscale(m, image, scale: scale, tile: tile, overlap: overlap, valueDiv: Float(div))
    if let out { try Data(try ImageEncoder.png(up, file: out)).write(to: URL(fileURLWithPath: out)) }
    TensorLua.push(Tensor(up.pixels, shape: up.shape), call.stack)
    return 1
  }
}
