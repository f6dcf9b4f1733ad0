import Foundation

/// The process a campaign feeds. Protocol on stdin/stdout: the parent writes a 4-byte
/// little-endian length and the input; the child runs it and answers one byte. Its own
/// standard output goes to /dev/null (targets print), so the answer byte is all the
/// parent reads. When the child dies, the parent knows which input killed it.
enum ChildServer {
  static func serve(target: String) -> Never {
    let answer = dup(1)
    let devnull = open("/dev/null", O_WRONLY)
    dup2(devnull, 1)
    let targets = FuzzTargets(target: target)
    while let input = readFrame() {
      _ = targets.run(input)
      var ok: UInt8 = 0x2E
      guard write(answer, &ok, 1) == 1 else { exit(0) }
    }
    exit(0)
  }

  static func readExactly(_ n: Int) -> [UInt8]? {
    var buf = [UInt8](repeating: 0, count: n)
    var got = 0
    while got < n {
      let r = buf.withUnsafeMutableBytes { read(0, $0.baseAddress! + got, n - got) }
      if r <= 0 { return nil }
      got += r
    }
    return buf
  }

  static func readFrame() -> Data? {
    guard let h = readExactly(4) else { return nil }
    let n = Int(h[0]) | Int(h[1]) << 8 | Int(h[2]) << 16 | Int(h[3]) << 24
    if n == 0 { return Data() }
    return readExactly(n).map { Data($0) }
  }
}
