/// The record layout CIFAR-10 and CIFAR-100 share: fixed-size records of some label bytes
/// followed by 3 × 32 × 32 pixel bytes (1024 red, 1024 green, 1024 blue, row-major, so
/// already CHW). One decoder for both, so their size and label checks cannot drift apart.
public struct CIFARRecords {
  /// "CIFAR-10" or "CIFAR-100", for error messages.
  public let format: String
  /// Label bytes before the pixels (1 for CIFAR-10; coarse then fine for CIFAR-100).
  public let labelBytes: Int
  /// Which of the label bytes is the sample's label.
  public let labelIndex: Int
  /// Labels must be below this (the class count).
  public let classCount: Int

  public static let pixelBytes = 3 * 32 * 32

  public init(format: String, labelBytes: Int, labelIndex: Int, classCount: Int) {
    self.format = format
    self.labelBytes = labelBytes
    self.labelIndex = labelIndex
    self.classCount = classCount
  }

  /// Bytes per record.
  public var recordSize: Int { labelBytes + CIFARRecords.pixelBytes }

  /// Appends the records in `bytes` to `pixels`/`labels`; throws if the size is not a
  /// whole number of records or a label is out of range (both mean a wrong or damaged file).
  public func decode(_ bytes: [UInt8], file: String, pixels: inout [UInt8], labels: inout [Int32]) throws {
    guard !bytes.isEmpty else { throw DataError(file: file, "\(format): file is empty") }
    guard bytes.count % recordSize == 0 else {
      throw DataError(file: file, "\(format): wrong size: \(bytes.count) bytes is not a whole number of \(recordSize)-byte records (\(bytes.count / recordSize) records and \(bytes.count % recordSize) bytes left over; truncated?)")
    }
    let n = bytes.count / recordSize
    pixels.reserveCapacity(pixels.count + n * CIFARRecords.pixelBytes)
    labels.reserveCapacity(labels.count + n)
    for r in 0 ..< n {
      let start = r * recordSize
      let label = bytes[start + labelIndex]
      guard Int(label) < classCount else {
        throw DataError(file: file, "\(format): record \(r) (byte offset \(start + labelIndex)) has label \(label), expected 0–\(classCount - 1)")
      }
      labels.append(Int32(label))
      pixels.append(contentsOf: bytes[start + labelBytes ..< start + recordSize])
    }
  }

  /// Reads and decodes `files` in order (gzip-compressed or raw).
  func read(_ files: [String]) throws -> (pixels: [UInt8], labels: [Int32]) {
    var pixels: [UInt8] = []
    var labels: [Int32] = []
    for file in files {
      try decode(try FileBytes.read(file), file: file, pixels: &pixels, labels: &labels)
    }
    return (pixels, labels)
  }
}
