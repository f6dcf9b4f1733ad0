import LyraBase
import Foundation
import LyraData
import LyraNN

/// Datasets by VEGA's names (`dataset: {type: FashionMnist, ...}`), each a factory from
/// the merged `common` + split section to a `Dataset` for one split. Lua registers more.
///
/// Built in: `FashionMnist`, `Mnist` (IDX files under `data_path`, FashionMnist defaulting
/// to Debian's /usr/share/datasets/fashion-mnist), `Cifar10` (binary batches under
/// `data_path`), `Csv` (`data_path` file, `label` column, optional `categorical` list).
/// The `val` split of the image sets is their test set unless `train_portion` < 1 carves
/// it out of the training set (DatasetSection does that).
public enum DatasetRegistry {
  /// Which part of the data a loader is for.
  public enum Mode: String, CaseIterable { case train, val, test }

  /// (params reader, split to read) → dataset. The reader rejects keys nobody read.
  public typealias Factory = (ParamReader, Split) throws -> any Dataset
  static let factories = Registry<Factory>(kind: "dataset", defaults().merging(CTRDatasets.factories) { a, _ in a })

  public static func register(_ name: String, _ factory: @escaping Factory) { factories.register(name, factory) }
  public static var names: [String] { factories.names }

  static func factory(_ name: String, path: String) throws -> Factory {
    try factories.lookup(name) { TrainerError.config(key: "\(path).type", $0) }
  }

  static func wrap<T>(_ path: String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as TrainerError { throw e } catch { throw TrainerError.config(key: path, "\(error)") }
  }

  /// Opens the dataset at `dataPath`, or, when the reader only checks, checks that the
  /// file or folder exists and gives an empty set (reading Fashion-MNIST takes seconds;
  /// a check before the first trial should not).
  static func open(_ r: ParamReader, _ dataPath: String, _ body: () throws -> any Dataset) throws -> any Dataset {
    guard r.checkOnly else { return try wrap(r.path, body) }
    guard FileManager.default.fileExists(atPath: dataPath) else {
      throw TrainerError.config(key: "\(r.path).data_path", "'\(dataPath)' does not exist")
    }
    return ImageDataset(pixels: [], labels: [], imageShape: [1, 1, 1])
  }

  static func defaults() -> [String: Factory] {
    [
      "FashionMnist": { r, split in
        let root = try r.string("data_path", FashionMNIST.defaultRoot)
        return try open(r, root) { try FashionMNIST(split: split, root: root) }
      },
      "Mnist": { r, split in
        guard let root = try r.optionalString("data_path") else { throw TrainerError.config(key: r.path, "missing 'data_path'") }
        return try open(r, root) { try MNIST(split: split, root: root) }
      },
      "Cifar10": { r, split in
        guard let root = try r.optionalString("data_path") else { throw TrainerError.config(key: r.path, "missing 'data_path'") }
        return try open(r, root) { try CIFAR10(split: split, root: root) }
      },
      "Csv": { r, _ in
        guard let file = try r.optionalString("data_path") else { throw TrainerError.config(key: r.path, "missing 'data_path'") }
        let label = try r.string("label", "label")
        let cat = try r.raw("categorical").map { v -> [String] in
          guard let a = v.array?.compactMap(\.string), a.count == v.array?.count else {
            throw TrainerError.config(key: "\(r.path).categorical", "expected a list of column names, got \(v.text)")
          }
          return a
        }
        return try open(r, file) { try TabularDataset(contentsOf: file, label: label, categorical: cat) }
      },
    ].merging(SRDatasets.factories) { a, _ in a }
  }
}
