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
  public init(contentsOf path: String) throws {
    try self.init(decoding: FileBytes.read(path), file: path)
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
