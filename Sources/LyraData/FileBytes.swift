import CZlib
import Foundation
import LyraBase

/// Reads whole data files into memory, inflating gzip transparently.
///
/// Why whole files: the datasets Lyra reads (IDX, CIFAR-10 batches, CSV) are tens of MB and
/// are indexed randomly afterwards, so one read is simplest and fastest; gzip detection
/// is by the magic bytes 1f 8b, not the file name, so a renamed file still works.
public enum FileBytes {
  /// The raw bytes of `path`; throws `DataError` if it cannot be read.
  public static func readRaw(_ path: String) throws -> [UInt8] {
    guard let handle = fopen(path, "rb") else {
      throw DataError(file: path, "cannot open: \(String(cString: strerror(errno)))")
    }
    defer { fclose(handle) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
      if n > 0 { bytes.append(contentsOf: chunk[0 ..< n]) }
      if n < chunk.count {
        if ferror(handle) != 0 { throw DataError(file: path, "read error: \(String(cString: strerror(errno)))") }
        break
      }
    }
    return bytes
  }

  /// The contents of `path`, gunzipped if the file starts with the gzip magic. Inflating
  /// stops with an error past `maxBytes` (the tensor byte cap by default), so a gzip bomb
  /// costs at most that much memory.
  public static func read(_ path: String, maxBytes: Int = CheckedSize.maxTensorBytes) throws -> [UInt8] {
    let raw = try readRaw(path)
    return isGzip(raw) ? try gunzip(raw, file: path, maxBytes: maxBytes) : raw
  }

  /// True if `bytes` starts with the gzip magic (1f 8b).
  public static func isGzip(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
  }

  /// Inflates a gzip stream (one or more concatenated members, as `gzip -c a b` writes).
  /// `file` only names the source in errors.
  ///
  /// At most `maxBytes` are produced: one more byte is an error ("inflates to more than
  /// ..."), checked while inflating, so the output buffer never grows past the cap. With
  /// `prefixOnly`, inflating stops silently once `maxBytes` are there (to read a header
  /// before deciding how much the whole file may hold); the result may then be shorter
  /// only when the stream itself is.
  public static func gunzip(_ input: [UInt8], file: String, maxBytes: Int = CheckedSize.maxTensorBytes,
                            prefixOnly: Bool = false) throws -> [UInt8] {
    guard input.count <= Int(UInt32.max) else {
      throw DataError(file: file, "gzip: the compressed file is \(input.count) bytes; Lyra inflates files up to 4 GiB")
    }
    let cap = max(0, maxBytes)
    // One byte beyond the cap, so an over-long stream is detected rather than cut.
    let limit = cap == Int.max ? cap : cap + 1
    var output = [UInt8](repeating: 0, count: min(limit, max(1 << 16, min(input.count, 1 << 28) * 4)))
    var produced = 0
    var stream = z_stream()
    // 16 + MAX_WBITS: expect a gzip header and trailer (CRC-32 and length are checked by zlib).
    var status = inflateInit2_(&stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    guard status == Z_OK else { throw DataError(file: file, "gzip: cannot initialise zlib (code \(status))") }
    defer { inflateEnd(&stream) }

    try input.withUnsafeBufferPointer { inBuf in
      stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
      stream.avail_in = uInt(inBuf.count)
      while true {
        if produced >= cap {
          if prefixOnly { return }
          if produced > cap { throw DataError(file: file, "gzip: the data inflates to more than \(cap) bytes\(cap == CheckedSize.maxTensorBytes ? " (the limit; set LYRA_MAX_TENSOR_BYTES to raise it)" : "")") }
        }
        if produced == output.count { output += [UInt8](repeating: 0, count: min(output.count, limit - output.count)) }
        status = output.withUnsafeMutableBufferPointer { outBuf -> Int32 in
          stream.next_out = outBuf.baseAddress! + produced
          stream.avail_out = uInt(outBuf.count - produced)
          let r = inflate(&stream, Z_NO_FLUSH)
          produced = outBuf.count - Int(stream.avail_out)
          return r
        }
        switch status {
        case Z_OK:
          continue
        case Z_STREAM_END:
          if produced > cap && !prefixOnly { continue }  // reported at the top of the loop
          // Another member may follow; anything else after the trailer is garbage.
          if stream.avail_in == 0 { return }
          let rest = inBuf.count - Int(stream.avail_in)
          guard inBuf.count - rest >= 2, inBuf[rest] == 0x1F, inBuf[rest + 1] == 0x8B else {
            throw DataError(file: file, "gzip: \(stream.avail_in) bytes of trailing garbage after the compressed data")
          }
          inflateReset(&stream)
        case Z_BUF_ERROR:
          // Output space is always available, so no progress means the input ran out.
          if prefixOnly { return }
          throw DataError(file: file, "gzip: truncated: the compressed stream ends early (after \(produced) bytes of output)")
        default:
          let detail = stream.msg.map { String(cString: $0) } ?? "code \(status)"
          throw DataError(file: file, "gzip: corrupt compressed data (\(detail))")
        }
      }
    }
    output.removeSubrange(min(produced, prefixOnly ? cap : produced)...)
    return output
  }
}
