import Foundation

/// Captures everything written to file descriptors 1 and 2 while a notebook runs.
///
/// Why at the descriptor level rather than by replacing `print`: cell output also comes
/// from `io.write`, `io.stdout:write`, `io.stderr`, Lua's `warn`, and Swift or C code
/// (progress lines, kernel warnings); only redirecting the descriptors catches them all
/// and keeps their order per stream. Temporary files, not pipes, hold the text, so a
/// chatty cell can never block on a full pipe.
final class OutputCapture {
  private struct Stream {
    let fd: Int32
    let saved: Int32
    let file: Int32
    var offset: off_t = 0
  }

  private var streams: [Stream] = []

  /// Starts capturing stdout and stderr. Throws when a descriptor cannot be set up.
  func start() throws {
    guard streams.isEmpty else { return }
    fflush(nil)
    for fd: Int32 in [1, 2] {
      var template = Array((NSTemporaryDirectory() + "/lyra-notebook-XXXXXX").utf8CString)
      let file = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
      guard file >= 0 else {
        stop()
        throw LuaFailure("cannot create a temporary file to capture cell output: \(String(cString: strerror(errno)))")
      }
      template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
      let saved = dup(fd)
      guard saved >= 0, dup2(file, fd) >= 0 else {
        close(file)
        if saved >= 0 { close(saved) }
        stop()
        throw LuaFailure("cannot redirect file descriptor \(fd): \(String(cString: strerror(errno)))")
      }
      streams.append(Stream(fd: fd, saved: saved, file: file))
    }
  }

  /// The text written since the last call: (stdout, stderr).
  func drain() -> (out: String, err: String) {
    fflush(nil)
    var texts: [String] = []
    for i in streams.indices {
      var bytes: [UInt8] = []
      var buf = [UInt8](repeating: 0, count: 65536)
      while true {
        let n = buf.withUnsafeMutableBytes { pread(streams[i].file, $0.baseAddress, $0.count, streams[i].offset) }
        if n <= 0 { break }
        bytes += buf[0..<n]
        streams[i].offset += off_t(n)
      }
      texts.append(String(decoding: bytes, as: UTF8.self))
    }
    return (texts.first ?? "", texts.count > 1 ? texts[1] : "")
  }

  /// Puts the descriptors back.
  func stop() {
    fflush(nil)
    for s in streams.reversed() {
      dup2(s.saved, s.fd)
      close(s.saved)
      close(s.file)
    }
    streams = []
  }

  deinit { stop() }
}
