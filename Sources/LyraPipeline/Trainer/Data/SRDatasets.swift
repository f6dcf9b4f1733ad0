import Foundation
import LyraBase
import LyraData
import LyraTensor

/// VEGA's super-resolution dataset types — `DIV2K`, `Set5`, `Set14`, `BSDS100`,
/// `Urban100` — all one DIV2K-layout reader (`SRImageFolder`) under VEGA's keys:
/// `root_HR` (required), `root_LR` (absent: LR made with MATLAB bicubic), `upscale` 2,
/// `crop` (HR patch side: random aligned crops on the training split, a centre crop on
/// the others; absent: whole images, which then need `batch_size: 1`), `hflip`, `vflip`,
/// `rot90` (training split only), `repeat` 1 (Lyra, training split: random crops per
/// image and epoch, as EDSR's `repeat`; a 6-image set is otherwise a 6-sample epoch),
/// `value_div` 1 (pixels are 0…255 divided by it, LR and HR
/// alike), `subfile` (a file listing HR file names, one a line); accepted and ignored:
/// `save_in_memory` (always in memory), `load_size`, `crop_size`, `fixed_size`,
/// `num_workers`. Lyra's own: `color` (`rgb` or `y`: the BT.601 luma plane) and `images`
/// (a list of HR file names: a held-out split of one folder without writing a subfile).
///
/// Samples are packed LR/HR pairs (`SRPair`); `TrainerBatch.pairs` unpacks a batch into
/// input [N, C, h, w] and target [N, C, h·s, w·s].
public enum SRDatasets {
  public static let types = ["DIV2K", "Set5", "Set14", "BSDS100", "Urban100"]

  /// The registry entries (DatasetRegistry merges them into its built-ins).
  static var factories: [String: DatasetRegistry.Factory] {
    Dictionary(uniqueKeysWithValues: types.map { ($0, make) })
  }

  static func make(_ r: ParamReader, _ split: Split) throws -> any Dataset {
    let root = try r.optionalString("root_HR")
    // VEGA's SR configs give train and test sections only: a check of a split nobody
    // reads (val; train in a benchmark step) must not require its folder.
    if r.checkOnly, root == nil, !r.path.hasSuffix(".test") { return ImageDataset(pixels: [], labels: [], imageShape: [1, 1, 1]) }
    guard let hr = root else {
      throw TrainerError.config(key: "\(r.path).root_HR", "missing: the folder of high-resolution images (e.g. /data/DIV2K/DIV2K_train_HR); see docs/super-resolution.md")
    }
    let lr = try r.optionalString("root_LR").flatMap { $0.isEmpty ? nil : $0 } // empty: made here
    let scale = try r.int("upscale", 2, min: 1)
    let crop = try r.optionalInt("crop", min: 1)
    let flips = (h: try r.bool("hflip", false), v: try r.bool("vflip", false), t: try r.bool("rot90", false))
    let div = try r.double("value_div", 1)
    guard div > 0 else { throw TrainerError.config(key: "\(r.path).value_div", "must be positive, got \(div)") }
    let colorText = try r.string("color", "rgb")
    guard let color = SRImageFolder.Color(rawValue: colorText.lowercased()) else {
      throw TrainerError.config(key: "\(r.path).color", "expected rgb or y, got '\(colorText)'")
    }
    var names = try r.raw("images").map { v -> [String] in
      guard let a = v.array?.compactMap(\.string), a.count == v.array?.count, !a.isEmpty else {
        throw TrainerError.config(key: "\(r.path).images", "expected a list of file names, got \(v.text)")
      }
      return a
    }
    if let sub = try r.optionalString("subfile") {
      guard let text = try? String(contentsOfFile: sub, encoding: .utf8) else {
        throw TrainerError.config(key: "\(r.path).subfile", "cannot read '\(sub)'")
      }
      names = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }.sorted()
    }
    r.accept(["save_in_memory", "load_size", "crop_size", "fixed_size", "num_workers"])
    if let c = crop, c % scale != 0 || c < scale {
      throw TrainerError.config(key: "\(r.path).crop", "\(c) is not a multiple of upscale \(scale)")
    }
    if crop == nil, try r.int("batch_size", 1, min: 1) > 1 {
      throw TrainerError.config(key: "\(r.path).batch_size", "whole images differ in size: set `crop` (an HR patch side) or `batch_size: 1`")
    }
    let repeats = try r.int("repeat", 1, min: 1)
    if r.checkOnly {
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: hr, isDirectory: &isDir), isDir.boolValue else {
        throw TrainerError.config(key: "\(r.path).root_HR", "'\(hr)' is not a folder (see docs/super-resolution.md for where DIV2K and Set5 go)")
      }
      if let lr, !FileManager.default.fileExists(atPath: lr) { throw TrainerError.config(key: "\(r.path).root_LR", "'\(lr)' does not exist") }
      return ImageDataset(pixels: [], labels: [], imageShape: [1, 1, 1])
    }
    return try DatasetRegistry.wrap(r.path) {
      let train = split == .train
      let folder = try SRImageFolder(hrRoot: hr, lrRoot: lr, scale: scale, color: color, names: names,
                                     lrCrop: train ? nil : crop.map { $0 / scale })
      if train, let c = crop, let small = folder.pairs.firstIndex(where: { $0.hr.height < c || $0.hr.width < c }) {
        throw DataError(file: folder.files[small], "smaller than the training crop \(c): lower `crop` or leave the image out")
      }
      let aug = train ? folder.augmentation(hrCrop: crop, hflip: flips.h, vflip: flips.v, rot90: flips.t) : nil
      return SRSamples(folder: folder, divide: Float(div), augmentation: aug, repeats: train ? repeats : 1)
    }
  }

  /// Whether a `dataset:` section is one of these types.
  public static func isSR(_ data: DatasetSection) -> Bool { types.contains(data.type) }

  /// The image channels of a section (its `color`).
  static func channels(_ data: DatasetSection) -> Int {
    let c = (data.modes["train"]?["color"] ?? data.modes["test"]?["color"] ?? data.common["color"])?.string?.lowercased()
    return c == "y" ? 1 : 3
  }

  /// The model's input shape [C, h, w] for a stored packed shape [C(1 + s²), h, w].
  static func inputShape(_ packed: [Int], channels: Int) -> [Int] {
    packed.count == 3 ? [channels, packed[1], packed[2]] : packed
  }
}

/// The samples of an SR folder as the loader reads them: packed pairs divided by
/// `value_div`, with the training augmentation the loader applies (`SelfAugmenting`).
struct SRSamples: Dataset, SelfAugmenting {
  let folder: SRImageFolder
  let divide: Float
  let augmentation: (any Transform)?
  /// Samples per image and epoch (a random crop each).
  let repeats: Int
  var count: Int { folder.count * repeats }
  func item(at index: Int) -> Sample {
    var s = folder.item(at: index % folder.count)
    if divide != 1 { for i in s.features.indices { s.features[i] /= divide } }
    return s
  }
}

extension TrainerBatch {
  /// Input [N, C, h, w] and target [N, C, h·s, w·s] from a batch of packed SR pairs.
  public static func pairs(channels c: Int) -> Maker {
    { b in
      guard b.shape.count == 4, b.shape[1] % c == 0 else { throw TrainerError.input("SR batch: expected packed pairs [N, C(1+s²), h, w], got \(b.shape)") }
      let (n, h, w) = (b.shape[0], b.shape[2], b.shape[3])
      let s = Int(Double(b.shape[1] / c - 1).squareRoot().rounded())
      guard b.shape[1] == c * (1 + s * s), s >= 1 else { throw TrainerError.input("SR batch: \(b.shape[1]) channels are not \(c)·(1 + s²)") }
      let per = b.shape[1] * h * w, lrN = c * h * w
      var input = [Float](), target = [Float](repeating: 0, count: n * c * h * w * s * s)
      input.reserveCapacity(n * lrN)
      for i in 0..<n {
        input += b.data[(i * per)..<(i * per + lrN)]
        var hr = [Float](repeating: 0, count: lrN * s * s)
        SRPair.unpackHR(b.data, offset: i * per + lrN, into: &hr, channels: c, height: h, width: w, scale: s)
        target.replaceSubrange((i * hr.count)..<((i + 1) * hr.count), with: hr)
      }
      return (Tensor(input, shape: [n, c, h, w]), Tensor(target, shape: [n, c, h * s, w * s]))
    }
  }
}

extension DatasetSection {
  /// How the trainer and evaluator turn this section's batches into input and target.
  public var batchMaker: TrainerBatch.Maker {
    SRDatasets.isSR(self) ? TrainerBatch.pairs(channels: SRDatasets.channels(self)) : TrainerBatch.standard
  }

  /// 64, or 1 for an SR set of whole images (no `crop`), whose sizes differ.
  func defaultBatchSize(_ r: ParamReader) -> Int {
    SRDatasets.isSR(self) && r.raw("crop") == nil ? 1 : 64
  }

  /// A stored sample's shape as the model's input (an SR pair's LR part).
  func modelInput(_ stored: [Int]) -> [Int] {
    SRDatasets.isSR(self) ? SRDatasets.inputShape(stored, channels: SRDatasets.channels(self)) : stored
  }
}
