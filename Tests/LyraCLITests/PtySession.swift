import CPty
import Foundation
import XCTest

/// The built `lyra` binary (beside the test bundle).
func lyraBinary() -> String {
  let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
  var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
  if dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
  return dir.appendingPathComponent("lyra").path
}

/// Runs the `lyra` binary with pipes (no terminal) and returns its exit status and output.
func runLyra(_ args: [String], stdin: String? = nil, environment: [String: String] = [:],
             directory: String? = nil) throws -> (status: Int32, out: String, err: String) {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: lyraBinary())
  p.arguments = args
  var env = ProcessInfo.processInfo.environment
  env["LYRA_HISTORY"] = ""
  for (k, v) in environment { env[k] = v }
  p.environment = env
  if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
  let out = Pipe(), err = Pipe(), inp = Pipe()
  p.standardOutput = out
  p.standardError = err
  p.standardInput = inp
  try p.run()
  if let s = stdin { inp.fileHandleForWriting.write(Data(s.utf8)) }
  try inp.fileHandleForWriting.close()
  // Read both pipes concurrently: a chatty child must never block on a full pipe.
  nonisolated(unsafe) var e = Data()
  let done = DispatchSemaphore(value: 0)
  DispatchQueue.global().async {
    e = err.fileHandleForReading.readDataToEndOfFile()
    done.signal()
  }
  let o = out.fileHandleForReading.readDataToEndOfFile()
  done.wait()
  p.waitUntilExit()
  return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// A program running on a real pseudo-terminal: keystrokes in, screen text out.
final class PtySession {
  let pid: pid_t
  let fd: Int32
  private(set) var raw = ""
  private var consumed = 0

  init(arguments: [String] = [], environment: [String: String] = [:], unsetting: [String] = []) throws {
    var env = ProcessInfo.processInfo.environment
    env["TERM"] = "xterm"
    env["NO_COLOR"] = "1"
    for (k, v) in environment { env[k] = v }
    for k in unsetting { env.removeValue(forKey: k) }
    let path = lyraBinary()
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var master: Int32 = -1
    pid = lyra_pty_spawn(path, argv, envp, 24, 120, &master)
    guard pid > 0 else { throw NSError(domain: "pty", code: 1) }
    fd = master
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
  }

  deinit {
    kill(pid, SIGKILL)
    var st: Int32 = 0
    waitpid(pid, &st, 0)
    close(fd)
  }

  func send(_ keys: String) {
    let bytes = Array(keys.utf8)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
  }

  /// Reads what is available within `timeout` seconds.
  private func pump(_ timeout: Double) {
    var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    if poll(&p, 1, Int32(timeout * 1000)) > 0 {
      var buf = [UInt8](repeating: 0, count: 65536)
      let n = read(fd, &buf, buf.count)
      if n > 0 { raw += String(decoding: buf[0..<n], as: UTF8.self) }
    }
  }

  /// The screen text without escape sequences or carriage returns.
  static func plain(_ s: String) -> String {
    var out = ""
    var it = s.unicodeScalars.makeIterator()
    while let c = it.next() {
      if c == "\u{1B}" {
        guard let n = it.next() else { break }
        if n == "[" { // CSI: parameters until a final byte @..~
          while let x = it.next(), !(x.value >= 0x40 && x.value <= 0x7E) {}
        } else if n == "]" { // OSC until BEL
          while let x = it.next(), x != "\u{07}" {}
        }
        continue
      }
      if c == "\r" || c == "\u{07}" { continue }
      out.unicodeScalars.append(c)
    }
    return out
  }

  /// Waits until text appears in the output produced since the last successful wait.
  @discardableResult
  func expect(_ text: String, timeout: Double = 10, file: StaticString = #filePath, line: UInt = #line) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      let fresh = PtySession.plain(String(raw.dropFirst(consumed)))
      if let r = fresh.range(of: text) {
        let used = fresh.distance(from: fresh.startIndex, to: r.upperBound)
        // Advance past the match in raw terms: re-scan raw for the same plain prefix.
        advance(plainCount: used)
        return true
      }
      pump(0.05)
    }
    XCTFail("timed out waiting for \(text.debugDescription); screen was:\n\(PtySession.plain(String(raw.dropFirst(consumed))))", file: file, line: line)
    return false
  }

  private func advance(plainCount: Int) {
    let rest = Array(String(raw.dropFirst(consumed)))
    var n = 1
    while n <= rest.count, PtySession.plain(String(rest[0..<n])).count < plainCount { n += 1 }
    consumed += min(n, rest.count)
  }

  /// Waits for the process to exit; returns its exit status or nil on timeout.
  func waitExit(timeout: Double = 10) -> Int32? {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      var st: Int32 = 0
      if waitpid(pid, &st, WNOHANG) == pid { return (st >> 8) & 0xFF }
      pump(0.05)
    }
    return nil
  }
}
