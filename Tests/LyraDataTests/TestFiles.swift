import Foundation
import CZlib
import XCTest
import LyraData

/// A fresh temporary directory per test, removed afterwards, for the small files the
/// reader tests write.
final class TempDir {
  let path: String
  init() {
    path = NSTemporaryDirectory() + "lyradata-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// Writes `bytes` to `name` inside the directory and returns the full path.
  @discardableResult
  func write(_ name: String, _ bytes: [UInt8]) -> String {
    let p = path + "/" + name
    precondition(FileManager.default.createFile(atPath: p, contents: Data(bytes)), "cannot write \(p)")
    return p
  }

  func write(_ name: String, text: String) -> String { write(name, Array(text.utf8)) }
}

/// gzip-compresses with zlib's deflate (independent of the reader's inflate path).
func gzipBytes(_ input: [UInt8]) -> [UInt8] {
  var stream = z_stream()
  var rc = deflateInit2_(&stream, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
  precondition(rc == Z_OK)
  var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 64)
  var input = input
  input.withUnsafeMutableBufferPointer { inp in
    out.withUnsafeMutableBufferPointer { o in
      stream.next_in = inp.baseAddress
      stream.avail_in = uInt(inp.count)
      stream.next_out = o.baseAddress
      stream.avail_out = uInt(o.count)
      rc = deflate(&stream, Z_FINISH)
    }
  }
  precondition(rc == Z_STREAM_END)
  let n = Int(stream.total_out)
  deflateEnd(&stream)
  return Array(out[..<n])
}

/// Asserts that `body` throws a `DataError` whose text contains every one of `parts`.
func assertDataError<T>(_ body: @autoclosure () throws -> T, contains parts: [String], file: StaticString = #filePath, line: UInt = #line) {
  do {
    _ = try body()
    XCTFail("expected an error containing \(parts)", file: file, line: line)
  } catch let e as DataError {
    for p in parts { XCTAssertTrue(e.description.contains(p), "'\(e.description)' lacks '\(p)'", file: file, line: line) }
  } catch {
    XCTFail("expected DataError, got \(error)", file: file, line: line)
  }
}
