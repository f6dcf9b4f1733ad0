import Foundation
import LyraBase
import LyraData

/// The CTR datasets by name: `CriteoDataset` and `AvazuDataset` (VEGA's name) read a log
/// file (`data_path`: the file, or a folder holding Criteo's `train.txt` / Avazu's
/// `train.csv`) through `CTRTextReader` (keys `min_frequency`, `on_error: skip|refuse`,
/// `max_lines`, `cache_path`); `SyntheticCtrDataset` draws `SyntheticCTR` data (keys
/// `fields`, `cardinality`, `samples`, `planted`, `pairs`, `latent_dim`, `strength`,
/// `data_seed`), its test split being fresh samples of the same model.
///
/// The logs have no separate validation file here: give `train_portion` < 1 to carve the
/// validation split out of the training one (the test split of a log is the log itself).
enum CTRDatasets {
  static let factories: [(String, DatasetRegistry.Factory)] = [
    ("CriteoDataset", { r, _ in try log(r, CriteoFormat(), file: "train.txt") }),
    ("AvazuDataset", { r, _ in try log(r, AvazuFormat(), file: "train.csv") }),
    ("SyntheticCtrDataset", { r, split in try synthetic(r, split) }),
  ]

  static func log(_ r: ParamReader, _ format: CTRTextFormat, file: String) throws -> any Dataset {
    guard var path = try r.optionalString("data_path") else {
      throw TrainerError.config(key: r.path, "missing 'data_path' (the log file, or the folder holding \(file))")
    }
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue { path = (path as NSString).appendingPathComponent(file) }
    var o = CTRReadOptions()
    o.minFrequency = try r.int("min_frequency", 1, min: 1)
    let onError = try r.string("on_error", "skip")
    guard let e = CTRReadOptions.OnError(rawValue: onError) else {
      throw TrainerError.config(key: "\(r.path).on_error", "expected skip or refuse, got '\(onError)'")
    }
    o.onError = e
    o.maxLines = try r.optionalInt("max_lines", min: 1)
    o.cachePath = try r.optionalString("cache_path")
    return try DatasetRegistry.open(r, path) {
      let (d, report) = try CTRTextReader.read(path, format: format, options: o)
      FileHandle.standardError.write(Data("[\(r.path)] \(path): \(report.summary)\n".utf8))
      return d
    }
  }

  static func synthetic(_ r: ParamReader, _ split: Split) throws -> any Dataset {
    var g = SyntheticCTR()
    g.fields = try r.int("fields", g.fields, min: 2)
    g.cardinality = try r.int("cardinality", g.cardinality, min: 1)
    g.samples = try r.int("samples", g.samples, min: 1)
    g.plantedCount = try r.int("planted", g.plantedCount, min: 0)
    if let p = r.raw("pairs") {
      g.pairs = try (p.array ?? []).map { v in
        guard let a = v.array, a.count == 2, let i = a[0].int, let j = a[1].int else {
          throw TrainerError.config(key: "\(r.path).pairs", "expected a list of [i, j] field pairs, got \(p.text)")
        }
        return (i, j)
      }
    }
    g.latentDim = try r.int("latent_dim", g.latentDim, min: 1)
    g.strength = try r.double("strength", g.strength)
    g.seed = UInt64(try r.int("data_seed", 0, min: 0))
    g.sampleStream = split == .train ? 3 : 4
    do {
      let planted = try g.plantedPairs()
      if split == .train {
        FileHandle.standardError.write(Data("[\(r.path)] planted pairs: \(planted.map { "(\($0.0),\($0.1))" }.joined(separator: " "))\n".utf8))
      }
      return try g.make()
    } catch let e as DataError { throw TrainerError.config(key: r.path, e.message) }
  }
}
