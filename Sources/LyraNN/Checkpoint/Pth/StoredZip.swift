import CZlib
import Foundation

/// The entries of a zip archive as `torch.save` writes it: stored (uncompressed) entries,
/// sizes in the central directory (the local headers carry zeros and a data descriptor),
/// zip64 end records even for small files. Only what that needs is read; every offset and
/// size is checked against the file before use, and each entry's CRC-32 is verified when
/// it is read, so a truncated or altered archive is an error, never a wild read.
///
/// Why not a zip library: none is available to LyraNN (no Swift package on this machine;
/// libzip is not installed), and a stored-only reader is ~100 lines.
struct StoredZip {
  struct Entry {
    var name: String
    var method: Int
    var crc: UInt32
    var size: Int
    var localHeader: Int
  }

  let data: Data
  let file: String
  private(set) var entries: [String: Entry] = [:]
  private(set) var names: [String] = []

  /// At most this many entries (a checkpoint holds one per storage, plus a handful).
  static let maxEntries = 1 << 20

  init(data: Data, file: String) throws {
    self.data = data
    self.file = file
    try readCentralDirectory()
  }

  private func bad(_ p: String) -> PthError { PthError(file: file, "not a valid PyTorch zip checkpoint: \(p)") }

  private func u16(_ at: Int) throws -> Int {
    guard at >= 0, at <= data.count - 2 else { throw bad("truncated (needs 2 bytes at offset \(at))") }
    return data.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: at, as: UInt16.self).littleEndian) }
  }

  private func u32(_ at: Int) throws -> Int {
    guard at >= 0, at <= data.count - 4 else { throw bad("truncated (needs 4 bytes at offset \(at))") }
    return data.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian) }
  }

  private func u64(_ at: Int) throws -> Int {
    guard at >= 0, at <= data.count - 8 else { throw bad("truncated (needs 8 bytes at offset \(at))") }
    let v = data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian }
    guard v <= UInt64(Int.max) else { throw bad("a 64-bit size or offset \(v) is out of range") }
    return Int(v)
  }

  private mutating func readCentralDirectory() throws {
    // The end record: 22 bytes plus a comment of up to 65535, at the end of the file.
    guard data.count >= 22 else { throw bad("\(data.count) bytes is too short for a zip archive (truncated?)") }
    var eocd = -1
    var at = data.count - 22
    let lowest = max(0, data.count - 22 - 65535)
    while at >= lowest {
      if try u32(at) == 0x0605_4b50 { eocd = at; break }
      at -= 1
    }
    guard eocd >= 0 else { throw bad("no end-of-central-directory record (truncated or not a zip file)") }
    var count = try u16(eocd + 10)
    var cdSize = try u32(eocd + 12)
    var cdOffset = try u32(eocd + 16)
    // zip64: a locator just before the end record points at the zip64 end record.
    if eocd >= 20, try u32(eocd - 20) == 0x0706_4b50 {
      let z = try u64(eocd - 20 + 8)
      guard try u32(z) == 0x0606_4b50 else { throw bad("the zip64 end record is not where its locator says") }
      count = try u64(z + 32)
      cdSize = try u64(z + 40)
      cdOffset = try u64(z + 48)
    }
    guard count <= StoredZip.maxEntries else { throw bad("\(count) entries (at most \(StoredZip.maxEntries))") }
    guard cdOffset <= data.count, cdSize <= data.count - cdOffset else {
      throw bad("the central directory (offset \(cdOffset), \(cdSize) bytes) lies outside the \(data.count)-byte file (truncated?)")
    }
    var p = cdOffset
    for _ in 0..<count {
      guard try u32(p) == 0x0201_4b50 else { throw bad("central directory entry at offset \(p) has a wrong signature") }
      let method = try u16(p + 10)
      let crc = UInt32(try u32(p + 16))
      var size = try u32(p + 24)
      let compressed = try u32(p + 20)
      let nameLen = try u16(p + 28), extraLen = try u16(p + 30), commentLen = try u16(p + 32)
      var local = try u32(p + 42)
      guard p + 46 + nameLen <= data.count else { throw bad("an entry name runs past the end of the file") }
      let name = String(decoding: data[(data.startIndex + p + 46)..<(data.startIndex + p + 46 + nameLen)], as: UTF8.self)
      // zip64 extra field: the 64-bit values of the fields that read 0xFFFFFFFF, in order.
      var e = p + 46 + nameLen
      let extraEnd = e + extraLen
      while e + 4 <= extraEnd {
        let id = try u16(e), len = try u16(e + 2)
        if id == 1 {
          var q = e + 4
          if size == 0xFFFF_FFFF { size = try u64(q); q += 8 }
          if compressed == 0xFFFF_FFFF { q += 8 }
          if local == 0xFFFF_FFFF { local = try u64(q) }
        }
        e += 4 + len
      }
      if method == 0, compressed != 0xFFFF_FFFF, compressed != size { throw bad("entry '\(name)' is stored but its sizes differ") }
      entries[name] = Entry(name: name, method: method, crc: crc, size: size, localHeader: local)
      names.append(name)
      p = extraEnd + commentLen
    }
  }

  /// The bytes of entry `name` (nil when there is none), checked: stored, inside the file,
  /// CRC-32 as recorded.
  func read(_ name: String) throws -> Data? {
    guard let e = entries[name] else { return nil }
    guard e.method == 0 else {
      throw bad("entry '\(name)' is compressed (method \(e.method)); torch.save writes stored entries: re-save the file with torch.save, or convert it to safetensors")
    }
    guard try u32(e.localHeader) == 0x0403_4b50 else { throw bad("entry '\(name)' has no local header at offset \(e.localHeader)") }
    let start = e.localHeader + 30 + (try u16(e.localHeader + 26)) + (try u16(e.localHeader + 28))
    guard start <= data.count, e.size <= data.count - start else {
      throw bad("entry '\(name)' declares \(e.size) bytes at offset \(start), past the end of the \(data.count)-byte file (truncated?)")
    }
    let bytes = data.subdata(in: (data.startIndex + start)..<(data.startIndex + start + e.size))
    guard CRC32.of(bytes) == e.crc else { throw bad("entry '\(name)' fails its CRC-32 check (the file is damaged)") }
    return bytes
  }
}

/// CRC-32 (IEEE, as zip uses), by zlib. Measured with scripts/bench/pth_load.py (release,
/// 98 MiB ResNet-50 checkpoint): the load took 846 ms with a byte-at-a-time table and an
/// element-by-element gather, 86 ms with zlib's CRC and the contiguous copy (PthTensor).
enum CRC32 {
  static func of(_ data: Data) -> UInt32 {
    data.withUnsafeBytes { raw -> UInt32 in
      var c: uLong = crc32(0, nil, 0)
      var p = raw.baseAddress?.assumingMemoryBound(to: Bytef.self)
      var left = raw.count
      while left > 0, let q = p {
        let n = min(left, Int(UInt32.max >> 1))
        c = crc32(c, q, uInt(n))
        p = q + n
        left -= n
      }
      return UInt32(truncatingIfNeeded: c)
    }
  }
}
