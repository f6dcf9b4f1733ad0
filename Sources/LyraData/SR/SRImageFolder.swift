import Foundation

/// A super-resolution set in DIV2K's layout (VEGA's `DIV2K`, `Set5`, `Set14`, `BSDS100`
/// dataset types): a folder of HR images and, optionally, a folder of LR images made
/// from them at `scale`; without the LR folder each LR image is made here with
/// MATLAB-compatible bicubic downscaling (`Imresize`), then rounded to 8 bits as a saved
/// PNG would be. HR and LR files pair up in sorted-name order, as VEGA's loader does.
///
/// Every image is checked before anything is trained on: its header (16-bit samples and
/// grey images are refused by name: the decoder would convert them silently), that it
/// decodes, and that each LR image is exactly HR / scale (after HR is cut to a multiple of
/// the scale, MATLAB's `modcrop`). All images are decoded into memory once (VEGA's
/// `save_in_memory`); `maxBytes` bounds that.
///
/// Samples are packed pairs (`SRPair`): whole images, or an LR × LR centre crop when
/// `lrCrop` is set; the training split's random crops and flips are `augmentation`.
public final class SRImageFolder: Dataset {
  /// RGB (3 channels) or the luma plane Y of ITU-R BT.601 (1 channel, 16…235), as the
  /// SR papers' Y-channel models.
  public enum Color: String, CaseIterable { case rgb, y }

  public let scale: Int
  public let color: Color
  /// HR file paths, one per sample.
  public let files: [String]
  public let pairs: [SRPair]
  public let lrCrop: Int?

  public static let extensions: Set<String> = ["png", "jpg", "jpeg"]

  public var channels: Int { color == .rgb ? 3 : 1 }

  /// - Parameters:
  ///   - names: only these file names of `hrRoot` (all images when nil).
  ///   - lrCrop: every sample is the centre LR crop of this side (and its HR region);
  ///     images smaller than that are refused by name.
  public init(hrRoot: String, lrRoot: String? = nil, scale: Int, color: Color = .rgb, names: [String]? = nil,
              lrCrop: Int? = nil, maxBytes: Int = 4 << 30) throws {
    guard scale >= 1 else { throw DataError(file: hrRoot, "scale must be at least 1, got \(scale)") }
    self.scale = scale
    self.color = color
    self.lrCrop = lrCrop
    let hrFiles = try SRImageFolder.list(hrRoot, names: names)
    guard !hrFiles.isEmpty else { throw DataError(file: hrRoot, "no PNG or JPEG images in this folder") }
    var lrFiles: [String]?
    if let lrRoot {
      let l = try SRImageFolder.list(lrRoot, names: nil)
      guard l.count == hrFiles.count || names != nil else {
        throw DataError(file: lrRoot, "\(l.count) LR images for \(hrFiles.count) HR images in \(hrRoot): the folders must pair up in sorted order")
      }
      lrFiles = names == nil ? l : try SRImageFolder.matching(hrFiles, in: l, lrRoot: lrRoot)
    }
    var out: [SRPair] = [], bytes = 0
    for (k, file) in hrFiles.enumerated() {
      var hr = try SRImageFolder.load(file)
      let h = hr.height / scale * scale, w = hr.width / scale * scale
      guard h >= scale, w >= scale else { throw DataError(file: file, "a \(hr.height)x\(hr.width) image is smaller than the scale \(scale)") }
      if h != hr.height || w != hr.width { hr = SRPair.crop(hr, 0, 0, h, w) }
      var lr: Image
      if let lrFiles {
        lr = try SRImageFolder.load(lrFiles[k])
        guard lr.height == h / scale, lr.width == w / scale else {
          throw DataError(file: lrFiles[k], "LR image is \(lr.height)x\(lr.width) but HR \(file) is \(hr.height)x\(hr.width): at scale \(scale) LR must be \(h / scale)x\(w / scale)")
        }
      } else {
        lr = Imresize.downscale(hr, by: scale)
        for i in lr.pixels.indices { lr.pixels[i] = min(max(lr.pixels[i].rounded(), 0), 255) }
      }
      var pair = SRPair(lr: color == .y ? SRImageFolder.luma(lr) : lr, hr: color == .y ? SRImageFolder.luma(hr) : hr, scale: scale)
      if let n = lrCrop {
        guard n <= pair.lr.height, n <= pair.lr.width else {
          throw DataError(file: file, "the LR image is \(pair.lr.height)x\(pair.lr.width), smaller than the crop \(n) (HR crop \(n * scale)): lower `crop` or leave the image out")
        }
        pair = pair.cropped(y: (pair.lr.height - n) / 2, x: (pair.lr.width - n) / 2, height: n, width: n)
      }
      bytes += 4 * (pair.lr.pixels.count + pair.hr.pixels.count)
      guard bytes <= maxBytes else {
        throw DataError(file: hrRoot, "the images take more than \(maxBytes >> 20) MiB decoded (at \(file)): use fewer images (`images`) or a crop")
      }
      out.append(pair)
    }
    files = hrFiles
    pairs = out
  }

  public var count: Int { pairs.count }
  public func item(at index: Int) -> Sample { pairs[index].packed() }

  /// The model input's shape [C, h, w] when all samples share it (a crop), else nil.
  public var inputShape: [Int]? {
    guard let first = pairs.first, pairs.allSatisfy({ $0.lr.shape == first.lr.shape }) else { return nil }
    return first.lr.shape
  }

  /// The training transform: random aligned crops of `crop` HR pixels and flips.
  public func augmentation(hrCrop: Int?, hflip: Bool, vflip: Bool, rot90: Bool) -> SRPairCrop {
    SRPairCrop(channels: channels, lrSize: hrCrop.map { $0 / scale }, hflip: hflip, vflip: vflip, rot90: rot90)
  }

  /// Sorted image files of `root` (only `names` when given, each checked to exist).
  static func list(_ root: String, names: [String]?) throws -> [String] {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
      throw DataError(file: root, "no such folder: put the HR images (e.g. DIV2K_train_HR, Set5's HR) there")
    }
    if let names {
      return try names.map { n in
        let p = (root as NSString).appendingPathComponent(n)
        guard FileManager.default.fileExists(atPath: p) else { throw DataError(file: p, "listed in `images` but not in \(root)") }
        return p
      }
    }
    let all = try FileManager.default.contentsOfDirectory(atPath: root)
    return all.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
      .map { (root as NSString).appendingPathComponent($0) }
  }

  /// For listed HR files, the LR file of the same stem (DIV2K: `0001.png` → `0001x2.png`).
  static func matching(_ hr: [String], in lr: [String], lrRoot: String) throws -> [String] {
    let stems = Dictionary(lr.map { (SRImageFolder.stem($0), $0) }, uniquingKeysWith: { a, _ in a })
    return try hr.map { f in
      let s = stem(f)
      guard let m = stems[s] ?? lr.first(where: { stem($0).hasPrefix(s + "x") }) else {
        throw DataError(file: f, "no LR image named like it in \(lrRoot)")
      }
      return m
    }
  }

  static func stem(_ p: String) -> String { ((p as NSString).lastPathComponent as NSString).deletingPathExtension }

  /// An 8-bit RGB image file as Float CHW, refusing 16-bit and grey files by name.
  public static func load(_ file: String) throws -> Image {
    let bytes = try FileBytes.readRaw(file)
    let head = try ImageHeader.read(bytes, file: file)
    guard head.bitDepth <= 8 else {
      throw DataError(file: file, "\(head.bitDepth)-bit samples: SR sets are 8-bit (PSNR is measured on 0…255); convert it, e.g. `convert \(file) -depth 8 out.png`")
    }
    guard head.channels >= 3 else {
      throw DataError(file: file, "a grey image where RGB is expected: SR sets are colour images (use `color: y` models on colour files)")
    }
    let d = try ImageDecoder.decode(bytes, file: file, channels: 3)
    var img = Image(channels: 3, height: d.height, width: d.width)
    let plane = d.height * d.width
    for i in 0..<plane {
      for c in 0..<3 { img.pixels[c * plane + i] = Float(d.pixels[i * 3 + c]) }
    }
    return img
  }

  /// BT.601 luma on 16…235 from RGB on 0…255 (MATLAB's `rgb2ycbcr` first channel), the
  /// plane PSNR and SSIM use (`ImagePairs` applies the same coefficients).
  public static func luma(_ im: Image) -> Image {
    let n = im.height * im.width
    var out = Image(channels: 1, height: im.height, width: im.width)
    for i in 0..<n {
      let r = Double(im.pixels[i]), g = Double(im.pixels[n + i]), b = Double(im.pixels[2 * n + i])
      out.pixels[i] = Float(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255)
    }
    return out
  }
}
