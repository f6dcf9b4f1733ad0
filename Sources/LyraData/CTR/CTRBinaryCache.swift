import Foundation

/// The encoded form of a CTR log on disk, read for every epoch after the first parse:
/// a header (magic, version, field sizes, sample count, the key of the source it was
/// built from) then per sample its label and field ids as little-endian Int32.
///
/// Why: parsing and vocabulary lookups cost far more than reading 4 bytes an id; the
/// cache is memory-mapped, so a file larger than memory still trains (pages come and go).
public enum CTRBinaryCache {
  static let magic: [UInt8] = Array("LYRACTR1".utf8)

  /// Writes samples streamed by `body` (each call: label and global ids).
  final class Writer {
    let handle: UnsafeMutablePointer<FILE>
    let path: String
    var buffer: [Int32] = []
    init(path: String, key: String, fieldSizes: [Int]) throws {
      guard let h = fopen(path + ".part", "wb") else { throw DataError(file: path, "cannot write the binary cache: \(String(cString: strerror(errno)))") }
      handle = h
      self.path = path
      let k = Array(key.utf8)
      var head = CTRBinaryCache.magic
      for v in [Int32(fieldSizes.count)] + fieldSizes.map({ Int32($0) }) + [Int32(k.count)] { head += withUnsafeBytes(of: v.littleEndian, Array.init) }
      head += k
      head += [UInt8](repeating: 0, count: 8)  // sample count, patched at the end
      _ = head.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
    }
    func append(label: Int32, ids: [Int32]) throws {
      buffer.append(label)
      buffer += ids
      if buffer.count > 1 << 16 { try flush() }
    }
    func flush() throws {
      let n = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
      guard n == buffer.count * 4 else { throw DataError(file: path, "writing the binary cache failed (disk full?)") }
      buffer.removeAll(keepingCapacity: true)
    }
    func finish(count: Int, headerBytes: Int) throws {
      try flush()
      fseek(handle, headerBytes - 8, SEEK_SET)
      var c = Int64(count).littleEndian
      fwrite(&c, 8, 1, handle)
      fclose(handle)
      guard rename(path + ".part", path) == 0 else { throw DataError(file: path, "cannot move the binary cache into place: \(String(cString: strerror(errno)))") }
    }
  }

  static func headerBytes(fields: Int, key: String) -> Int { 8 + 4 * (fields + 2) + key.utf8.count + 8 }
}

/// A CTR data set read from its binary cache through a memory map.
public struct CTRCachedDataset: Dataset {
  public let fieldNames: [String]
  public let fieldSizes: [Int]
  public let count: Int
  /// The key of the source it was built from.
  public let key: String
  private let data: Data
  private let start: Int

  /// Opens `path`; throws when it is not a Lyra CTR cache or is truncated.
  public init(path: String, fieldNames: [String]) throws {
    let d: Data
    do { d = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
      throw DataError(file: path, "cannot open the binary cache: \(error.localizedDescription)")
    }
    func i32(_ at: Int) throws -> Int {
      guard at + 4 <= d.count else { throw DataError(file: path, "the binary cache is truncated (header)") }
      return Int(Int32(littleEndian: d.subdata(in: at ..< at + 4).withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }))
    }
    guard d.count >= 8, Array(d.prefix(8)) == CTRBinaryCache.magic else { throw DataError(file: path, "not a Lyra CTR binary cache") }
    let f = try i32(8)
    guard f == fieldNames.count else { throw DataError(file: path, "the binary cache has \(f) fields, the format \(fieldNames.count)") }
    var sizes: [Int] = []
    for k in 0..<f { sizes.append(try i32(12 + 4 * k)) }
    let kl = try i32(12 + 4 * f)
    let ks = 16 + 4 * f
    guard kl >= 0, ks + kl + 8 <= d.count else { throw DataError(file: path, "the binary cache is truncated (key)") }
    key = String(decoding: d[ks ..< ks + kl], as: UTF8.self)
    let n = Int(Int64(littleEndian: d.subdata(in: ks + kl ..< ks + kl + 8).withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }))
    start = ks + kl + 8
    guard n >= 0, start + n * (f + 1) * 4 == d.count else { throw DataError(file: path, "the binary cache is truncated (\(n) samples announced)") }
    self.fieldNames = fieldNames
    fieldSizes = sizes
    count = n
    data = d
  }

  public var fieldCount: Int { fieldSizes.count }

  /// Label and global ids of one sample.
  public func record(at index: Int) -> (label: Int32, ids: [Int32]) {
    let f = fieldSizes.count, at = start + index * (f + 1) * 4
    return data.withUnsafeBytes { raw in
      let v = (0...f).map { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: at + 4 * $0, as: Int32.self)) }
      return (v[0], Array(v[1...]))
    }
  }

  public func item(at index: Int) -> Sample {
    let r = record(at: index)
    return Sample(features: r.ids.map { Float($0) }, shape: [fieldSizes.count], label: r.label)
  }

  /// All samples in memory (small files, tests, the synthetic path's shape).
  public func load(limit: Int? = nil) throws -> CTRDataset {
    let n = min(count, limit ?? count)
    var ids: [Int32] = [], labels: [Int32] = []
    ids.reserveCapacity(n * fieldSizes.count)
    for i in 0..<n {
      let r = record(at: i)
      labels.append(r.label)
      ids += r.ids
    }
    return try CTRDataset(fieldNames: fieldNames, fieldSizes: fieldSizes, ids: ids, labels: labels)
  }
}
