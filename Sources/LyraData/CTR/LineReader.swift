import Foundation

/// Reads a text file line by line from disk (getline on a FILE*), so a 45 M-line Criteo
/// file is never held whole. Lines come without their "\n" (and "\r"), numbered from 1.
final class LineReader {
  private let handle: UnsafeMutablePointer<FILE>
  private var buffer: UnsafeMutablePointer<CChar>?
  private var capacity = 0
  private(set) var lineNumber = 0
  let path: String

  init(_ path: String) throws {
    guard let h = fopen(path, "rb") else { throw DataError(file: path, "cannot open: \(String(cString: strerror(errno)))") }
    handle = h
    self.path = path
  }

  deinit {
    free(buffer)
    fclose(handle)
  }

  /// The next line's bytes, or nil at the end of the file.
  func next() throws -> ArraySlice<UInt8>? {
    let n = getline(&buffer, &capacity, handle)
    if n < 0 {
      if ferror(handle) != 0 { throw DataError(file: path, line: lineNumber + 1, "read error: \(String(cString: strerror(errno)))") }
      return nil
    }
    lineNumber += 1
    var len = n
    guard let b = buffer else { return [] }
    while len > 0 && (b[len - 1] == 10 || b[len - 1] == 13) { len -= 1 }
    return UnsafeRawBufferPointer(start: b, count: len).withMemoryRebound(to: UInt8.self) { Array($0)[...] }
  }
}
