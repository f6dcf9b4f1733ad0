import ArgumentParser
import Foundation
import LyraBase
import LyraData
import LyraNN
import LyraPipeline

/// `lyra sr MODEL IN.png OUT.png --scale 2`: a trained super-resolution model (or
/// `bicubic`, MATLAB's) applied to a whole image, in tiles (`SRInference`).
struct SuperResolve: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sr",
    abstract: "Upscale an image with a super-resolution model (a checkpoint, a task's model_<id>.safetensors, or bicubic).",
    discussion: """
      Examples:
        lyra sr tasks/t1/output/fully_train/model_0.safetensors small.png big.png --scale 2
        lyra sr bicubic small.png big.png --scale 2
        lyra sr model_0.safetensors photo.png out.png --scale 2 --from-hr   # PSNR/SSIM against photo.png
      With --from-hr, IN is the high-resolution image: it is shrunk with MATLAB's bicubic
      imresize first, and the output is scored against it (Y channel, a border of `scale`
      pixels left out), as the SR benchmarks do.
      """)

  @Argument(help: ArgumentHelp("A checkpoint (.safetensors with its description beside it) or 'bicubic'.", valueName: "MODEL"))
  var model: String

  @Argument(help: ArgumentHelp("The input image (PNG or JPEG, 8-bit RGB).", valueName: "IN"))
  var input: String

  @Argument(help: ArgumentHelp("The PNG to write.", valueName: "OUT"))
  var output: String

  @Option(help: "The up-scaling factor (the model's).")
  var scale: Int = 2

  @Option(help: "Tile side in input pixels (memory is about proportional to its square).")
  var tile: Int = 128

  @Option(help: "Context pixels around each tile.")
  var overlap: Int = 8

  @Option(help: ArgumentHelp("The dataset's value_div the model was trained with.", valueName: "D"))
  var valueDiv: Float = 1

  @Flag(help: "IN is the high-resolution image: shrink it first and print PSNR/SSIM of the result against it.")
  var fromHr = false

  func run() throws {
    do {
      guard scale >= 1, scale <= 8 else { throw ValidationError("--scale must be in 1…8, got \(scale)") }
      var image = try SRImageFolder.load(input)
      var reference: Image?
      if fromHr {
        let h = image.height / scale * scale, w = image.width / scale * scale
        let hr = SRPair.crop(image, 0, 0, h, w)
        reference = hr
        image = Imresize.downscale(hr, by: scale)
        for i in image.pixels.indices { image.pixels[i] = min(max(image.pixels[i].rounded(), 0), 255) }
      }
      let out: Image
      if model == "bicubic" {
        out = Imresize.upscale(image, by: scale)
      } else {
        guard let (m, _) = try SavedModel.load(model) else {
          throw ValidationError("\(model): not a .safetensors checkpoint or .json description (or 'bicubic')")
        }
        out = try SRInference.upscale(m, image, scale: scale, tile: tile, overlap: overlap, valueDiv: valueDiv)
      }
      try Data(try ImageEncoder.png(out, file: output)).write(to: URL(fileURLWithPath: output))
      var line = "lyra sr: \(image.width)x\(image.height) -> \(out.width)x\(out.height), wrote \(output)"
      if let reference {
        let s = try SRInference.scores(out, reference, scale: scale)
        line += String(format: "; PSNR %.3f dB, SSIM %.4f (Y, border %d)", s.psnr, s.ssim, scale)
      }
      print(line)
    } catch let e as ValidationError {
      throw e
    } catch {
      FileHandle.standardError.write(Data("lyra sr: \(error)\n".utf8))
      throw ExitCode(1)
    }
  }
}
