import LyraBase

/// An array from an IDX file, the format of MNIST and Fashion-MNIST
/// (http://yann.lecun.com/exdb/mnist/): a big-endian header `00 00 TYPE NDIM`, NDIM
/// big-endian UInt32 dimensions, then the values in row-major order.
///
/// Only unsigned bytes (type 0x08) are supported because every image/label file in that
/// family uses them; other types are reported, not misread.
public struct IDXArray {
  /// Dimensions from the header, e.g. [60000, 28, 28].
  public var shape: [Int]
  /// The values, `shape.reduce(1, *)` of them.
  public var bytes: [UInt8]

  /// The magic number: 0x0000_0803 for 3-d unsigned-byte images, 0x0000_0801 for labels.
  public var magic: UInt32 { 0x0800 | UInt32(shape.count) }

  /// Reads `path`, gzip-compressed or raw.
  ///
  /// A compressed file's header is inflated first: the size it claims is checked against
  /// the allocation cap before anything else is inflated, and inflating stops with an
  /// error as soon as more bytes arrive than the header claims (a gzip bomb behind a small
  /// header costs no more than the header's size).
  public init(contentsOf path: String) throws {
    let raw = try FileBytes.readRaw(path)
    guard FileBytes.isGzip(raw) else {
      try self.init(decoding: raw, file: path)
      return
    }
    let head = try FileBytes.gunzip(raw, file: path, maxBytes: IDXArray.maxHeaderSize, prefixOnly: true)
    let expected = try IDXArray.claimedSize(head, file: path)
    do { try CheckedSize.bytes(count: expected, elementSize: 1, "IDX data") } catch let e as SizeError {
      throw DataError(file: path, "IDX: the header claims \(expected) bytes: \(e.description)")
    }
    try self.init(decoding: FileBytes.gunzip(raw, file: path, maxBytes: expected), file: path)
  }

  /// The largest IDX header: magic plus 255 four-byte dimensions.
  static let maxHeaderSize = 4 + 4 * 255

  /// The file size (header and data) an IDX header claims, or the error a short or
  /// malformed header deserves (the same checks as `init(decoding:)`).
  static func claimedSize(_ data: [UInt8], file: String) throws -> Int {
    guard data.count >= 4, data[0] == 0, data[1] == 0, data[2] == 0x08, data[3] >= 1, data.count >= 4 + 4 * Int(data[3]) else {
      _ = try IDXArray(decoding: data, file: file)  // throws the precise header error
      return data.count
    }
    let ndim = Int(data[3])
    var total = 1
    for d in 0 ..< ndim {
      let (product, overflow) = total.multipliedReportingOverflow(by: Int(IDXArray.bigEndian(data, 4 + 4 * d)))
      guard !overflow else { throw DataError(file: file, "IDX: the dimensions in the header overflow") }
      total = product
    }
    let (size, overflow) = total.addingReportingOverflow(4 + 4 * ndim)
    guard !overflow else { throw DataError(file: file, "IDX: the dimensions in the header overflow") }
    return size
  }

  /// Decodes an in-memory IDX file; `file` names the source in errors.
  public init(decoding data: [UInt8], file: String) throws {
    guard data.count >= 4 else {
      throw DataError(file: file, "IDX: file is \(data.count) bytes, too short for the 4-byte magic number")
    }
    let magic = IDXArray.bigEndian(data, 0)
    guard data[0] == 0, data[1] == 0 else {
      throw DataError(file: file, "IDX: bad magic number 0x\(String(magic, radix: 16)) (expected 0x0000080N); not an IDX file")
    }
    guard data[2] == 0x08 else {
      throw DataError(file: file, "IDX: element type 0x\(String(data[2], radix: 16)) is not supported (only 0x08, unsigned byte)")
    }
    let ndim = Int(data[3])
    guard ndim >= 1 else { throw DataError(file: file, "IDX: header declares 0 dimensions") }
    let headerSize = 4 + 4 * ndim
    guard data.count >= headerSize else {
      throw DataError(file: file, "IDX: truncated header: \(ndim) dimensions need \(headerSize) bytes, file has \(data.count)")
    }
    var shape: [Int] = []
    var total = 1
    for d in 0 ..< ndim {
      let n = Int(IDXArray.bigEndian(data, 4 + 4 * d))
      let (product, overflow) = total.multipliedReportingOverflow(by: n)
      guard !overflow else { throw DataError(file: file, "IDX: dimensions \(shape + [n]) overflow") }
      shape.append(n)
      total = product
    }
    let expected = headerSize + total
    guard data.count == expected else {
      let what = data.count < expected ? "truncated" : "wrong size"
      throw DataError(file: file, "IDX: \(what): shape \(shape) needs \(expected) bytes (header \(headerSize) + data \(total)), file has \(data.count)")
    }
    self.shape = shape
    self.bytes = Array(data[headerSize...])
  }

  /// Encodes the array as an IDX file (for tests and for exporting subsets).
  public func encoded() -> [UInt8] {
    var out: [UInt8] = [0, 0, 0x08, UInt8(shape.count)]
    for n in shape { out += [UInt8(n >> 24 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] }
    return out + bytes
  }

  public init(shape: [Int], bytes: [UInt8]) {
    precondition(shape.reduce(1, *) == bytes.count, "IDXArray: shape \(shape) does not match \(bytes.count) bytes")
    self.shape = shape
    self.bytes = bytes
  }

  static func bigEndian(_ d: [UInt8], _ i: Int) -> UInt32 {
    UInt32(d[i]) << 24 | UInt32(d[i + 1]) << 16 | UInt32(d[i + 2]) << 8 | UInt32(d[i + 3])
  }
}
