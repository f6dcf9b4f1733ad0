import Foundation
import XCTest

/// `lyra sr`: a whole image through bicubic or a model, the protocol scores with
/// --from-hr, and errors that name the file.
final class SuperResolveCommandTests: XCTestCase {
  var dir = ""

  override func setUpWithError() throws {
    dir = NSTemporaryDirectory() + "lyra-sr-cli-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }
  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  func testBicubicAndModelOnAWholeImage() throws {
    // A 20×24 PNG and a saved EDSR, written by Lua (m:upscale with `out`, m:save).
    let script = """
      lyra.manual_seed(1)
      local m = lyra.nn.build({type = 'EDSR', n_resblocks = 1, n_feats = 4, scale = 2, skip = 'bilinear'}, {3, 8, 8})
      m:upscale(lyra.rand(3, 10, 12) * 255, {scale = 2, out = '\(dir)/hr.png'})
      m:save('\(dir)/edsr.safetensors')
      """
    let w = try runLyra(["-e", script])
    XCTAssertEqual(w.status, 0, w.err)
    let up = try runLyra(["sr", "bicubic", "\(dir)/hr.png", "\(dir)/big.png", "--scale", "2"])
    XCTAssertEqual(up.status, 0, up.err)
    XCTAssertTrue(up.out.contains("24x20 -> 48x40"), up.out)
    let scored = try runLyra(["sr", "\(dir)/edsr.safetensors", "\(dir)/hr.png", "\(dir)/out.png", "--scale", "2", "--from-hr", "--tile", "8"])
    XCTAssertEqual(scored.status, 0, scored.err)
    XCTAssertTrue(scored.out.contains("12x10 -> 24x20") && scored.out.contains("PSNR") && scored.out.contains("SSIM"), scored.out)
    XCTAssertTrue(FileManager.default.fileExists(atPath: "\(dir)/out.png"))
  }

  func testErrorsNameTheFile() throws {
    let missing = try runLyra(["sr", "bicubic", "\(dir)/nothere.png", "\(dir)/o.png"])
    XCTAssertNotEqual(missing.status, 0)
    XCTAssertTrue(missing.err.contains("nothere.png"), missing.err)
    try Data("not an image".utf8).write(to: URL(fileURLWithPath: "\(dir)/bad.png"))
    let bad = try runLyra(["sr", "bicubic", "\(dir)/bad.png", "\(dir)/o.png"])
    XCTAssertNotEqual(bad.status, 0)
    XCTAssertTrue(bad.err.contains("bad.png") && bad.err.contains("not a PNG or JPEG"), bad.err)
    let scale = try runLyra(["sr", "bicubic", "\(dir)/bad.png", "\(dir)/o.png", "--scale", "0"])
    XCTAssertNotEqual(scale.status, 0)
    XCTAssertTrue((scale.err + scale.out).contains("--scale"), scale.err)
  }
}
