/// CIFAR-10 in its binary form (https://www.cs.toronto.edu/~kriz/cifar.html): files of
/// 3073-byte records, each one label byte then 1024 red, 1024 green and 1024 blue bytes
/// of a 32×32 image in row-major order, which is already CHW.
public struct CIFAR10: Dataset {
  public static let classes = ["airplane", "automobile", "bird", "cat", "deer",
                               "dog", "frog", "horse", "ship", "truck"]
  /// Bytes per record: 1 label + 3 × 32 × 32 pixels.
  public static let recordSize = records.recordSize
  /// The files of each split, relative to the root (`cifar-10-batches-bin`).
  public static func files(_ split: Split) -> [String] {
    split == .train ? (1 ... 5).map { "data_batch_\($0).bin" } : ["test_batch.bin"]
  }

  /// The images; set `data.normalization = nil` for raw [0, 255] pixels.
  public var data: ImageDataset

  /// Reads the split's files under `root`, normalised with CIFAR-10 statistics by default.
  public init(split: Split = .train, root: String, normalized: Bool = true) throws {
    try self.init(files: CIFAR10.files(split).map { "\(root)/\($0)" }, normalized: normalized)
  }

  /// Reads the given batch files in order (gzip-compressed or raw).
  public init(files: [String], normalized: Bool = true) throws {
    let (pixels, labels) = try CIFAR10.records.read(files)
    data = ImageDataset(pixels: pixels, labels: labels, imageShape: [3, 32, 32], classes: CIFAR10.classes,
                        normalization: normalized ? .cifar10 : nil)
  }

  /// One label byte per record, 0–9.
  static let records = CIFARRecords(format: "CIFAR-10", labelBytes: 1, labelIndex: 0, classCount: 10)

  /// Appends the records in `bytes` to `pixels`/`labels`; throws if the size is not a
  /// whole number of records or a label is not 0–9 (both mean a wrong or damaged file).
  public static func decode(_ bytes: [UInt8], file: String, pixels: inout [UInt8], labels: inout [Int32]) throws {
    try records.decode(bytes, file: file, pixels: &pixels, labels: &labels)
  }

  public var count: Int { data.count }
  public func item(at index: Int) -> Sample { data.item(at: index) }
}
