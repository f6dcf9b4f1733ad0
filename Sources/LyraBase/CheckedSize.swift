import Foundation

/// A size that could not be honoured: negative, overflowing, or more bytes than Lyra may allocate.
///
/// Thrown (never trapped) so that a hostile file or a careless Lua argument becomes an error
/// message naming what was asked for, instead of a wrapped-around element count that later
/// reads or writes outside its buffer.
public struct SizeError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// The one home of size arithmetic on untrusted numbers.
///
/// Every tensor whose shape comes from outside the process (a file header, a model
/// description, an ONNX attribute, a Lua argument, a config value) is sized through these
/// functions: they multiply with overflow checks and compare the byte size with the
/// allocation cap before anything is allocated. Kernels may then trust the shapes they are
/// handed, which is what allows their inner loops to run without bounds checks.
public enum CheckedSize {
  /// Bytes a single tensor (or one buffer read from a file) may take.
  ///
  /// `LYRA_MAX_TENSOR_BYTES` sets it (a byte count, or with a `K`/`M`/`G` suffix); the
  /// default is half of the physical memory, capped at 16 GiB: well under the machine, so
  /// a refused allocation leaves room for the process to report it and go on.
  public static let maxTensorBytes: Int = {
    if let text = ProcessInfo.processInfo.environment["LYRA_MAX_TENSOR_BYTES"], let n = parseByteCount(text), n > 0 {
      return n
    }
    let physical = Int(clamping: ProcessInfo.processInfo.physicalMemory)
    return Swift.min(physical / 2, 16 << 30)
  }()

  /// Reads `123`, `64K`, `512M`, `2G` (powers of 1024); nil when malformed or overflowing.
  public static func parseByteCount(_ text: String) -> Int? {
    let t = text.trimmingCharacters(in: .whitespaces).uppercased()
    guard let last = t.last else { return nil }
    let shifts: [Character: Int] = ["K": 10, "M": 20, "G": 30, "T": 40]
    let (digits, shift) = shifts[last].map { (String(t.dropLast()), $0) } ?? (t, 0)
    guard let n = Int(digits), n >= 0 else { return nil }
    let (v, o) = n.multipliedReportingOverflow(by: 1 << shift)
    return o ? nil : v
  }

  /// `a * b` for sizes; throws instead of wrapping.
  @inline(__always)
  public static func product(_ a: Int, _ b: Int, _ what: @autoclosure () -> String = "size") throws -> Int {
    let (v, o) = a.multipliedReportingOverflow(by: b)
    if o { throw SizeError("\(what()): \(a) × \(b) overflows") }
    return v
  }

  /// Element count of `shape` (1 for a scalar shape): every size must be ≥ 0 and the
  /// product must not overflow.
  public static func count(_ shape: [Int], _ what: @autoclosure () -> String = "tensor") throws -> Int {
    var n = 1
    for s in shape {
      if s < 0 { throw SizeError("\(what()): negative size \(s) in shape \(format(shape))") }
      let (v, o) = n.multipliedReportingOverflow(by: s)
      if o { throw SizeError("\(what()): shape \(format(shape)) has more elements than can be counted") }
      n = v
    }
    return n
  }

  /// Checks that `count` elements of `elementSize` bytes may be allocated, and returns the
  /// byte count. Throws when it overflows, exceeds `maxTensorBytes`, or exceeds the memory
  /// the system reports available (checked only for large requests: reading the figure costs
  /// a file read).
  @discardableResult
  public static func bytes(count: Int, elementSize: Int = 4, _ what: @autoclosure () -> String = "tensor") throws -> Int {
    try bytes(count: count, elementSize: elementSize, what(), checkAvailable: true)
  }

  /// `bytes`, optionally without the available-memory test: `checkAvailable: false` is for
  /// last-resort checks at the allocation itself, where memory may have been freed since
  /// and the cap is what matters (a momentary shortage must not become a trap).
  @discardableResult
  public static func bytes(count: Int, elementSize: Int = 4, _ what: @autoclosure () -> String = "tensor",
                           checkAvailable: Bool) throws -> Int {
    if count < 0 { throw SizeError("\(what()): negative element count \(count)") }
    let (b, o) = count.multipliedReportingOverflow(by: elementSize)
    if o || b > maxTensorBytes {
      throw SizeError("\(what()): \(o ? "more than \(Int.max)" : formatBytes(b)) requested, above the limit of "
        + "\(formatBytes(maxTensorBytes)) (set LYRA_MAX_TENSOR_BYTES to change it)")
    }
    if checkAvailable, b >= 256 << 20, let avail = availableMemory(), b > avail {
      throw SizeError("\(what()): \(formatBytes(b)) requested, but only \(formatBytes(avail)) of memory is available")
    }
    return b
  }

  /// Element count of `shape`, checked for overflow and against the allocation cap.
  @discardableResult
  public static func allocation(_ shape: [Int], elementSize: Int = 4, _ what: @autoclosure () -> String = "tensor") throws -> Int {
    try allocation(shape, elementSize: elementSize, what(), checkAvailable: true)
  }

  /// `allocation`, optionally without the available-memory test (see `bytes`).
  @discardableResult
  public static func allocation(_ shape: [Int], elementSize: Int = 4, _ what: @autoclosure () -> String = "tensor",
                                checkAvailable: Bool) throws -> Int {
    let name = what()
    let n = try count(shape, name)
    try bytes(count: n, elementSize: elementSize, "\(name) of shape \(format(shape))", checkAvailable: checkAvailable)
    return n
  }

  /// Memory this process may still take: `MemAvailable` from /proc/meminfo (Linux), lowered
  /// to the room left under the cgroup's `memory.max` where one is set (a container's limit
  /// is what its OOM killer enforces, not the host's free memory); nil where neither can be read.
  public static func availableMemory() -> Int? {
    var available: Int?
    if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) {
      for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
        let parts = line.split(separator: " ")
        if parts.count >= 2, let kb = Int(parts[1]) { available = kb * 1024 }
      }
    }
    if let room = cgroupRoom() { available = min(available ?? room, room) }
    return available
  }

  /// `memory.max − memory.current` of this process's cgroup (v2), nil when unlimited or unreadable.
  static func cgroupRoom() -> Int? {
    func number(_ file: String) -> Int? {
      (try? String(contentsOfFile: "/sys/fs/cgroup/" + file, encoding: .utf8))
        .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
    guard let max = number("memory.max"), let current = number("memory.current") else { return nil }
    return Swift.max(0, max - current)
  }

  /// `[2, 3, 4]`.
  public static func format(_ shape: [Int]) -> String { ShapeText.format(shape) }

  /// `1.5 GiB`, `512 B`.
  public static func formatBytes(_ b: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    var v = Double(b), i = 0
    while v >= 1024, i < units.count - 1 { v /= 1024; i += 1 }
    return i == 0 ? "\(b) B" : String(format: "%.1f %@", v, units[i])
  }
}

extension CheckedSize {
  /// `a + b` for sizes; throws instead of wrapping.
  @inline(__always)
  public static func sum(_ a: Int, _ b: Int, _ what: @autoclosure () -> String = "size") throws -> Int {
    let (v, o) = a.addingReportingOverflow(b)
    if o { throw SizeError("\(what()): \(a) + \(b) overflows") }
    return v
  }

  /// Output length of a sliding window (convolution, pooling) along one axis, as PyTorch
  /// defines it: ⌊(input + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1 (rounded up
  /// with `ceil`). Every term is overflow-checked and must be in range — kernel, stride and
  /// dilation positive, padding non-negative, the output at least 1 — so a padding or a
  /// kernel of 2^62 from a description, an ONNX attribute or a Lua option is an error
  /// instead of a wrapped size that a kernel then trusts.
  public static func windowOutput(input: Int, kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
                                  ceil: Bool = false, _ what: @autoclosure () -> String = "window") throws -> Int {
    let name = what()
    guard input >= 0 else { throw SizeError("\(name): negative input size \(input)") }
    guard kernel > 0 else { throw SizeError("\(name): kernel size \(kernel) must be positive") }
    guard stride > 0 else { throw SizeError("\(name): stride \(stride) must be positive") }
    guard dilation > 0 else { throw SizeError("\(name): dilation \(dilation) must be positive") }
    guard padding >= 0 else { throw SizeError("\(name): padding \(padding) must not be negative") }
    let padded = try sum(input, try product(padding, 2, name), name)
    let span = try sum(try product(dilation, kernel - 1, name), 1, name)
    guard padded >= span else {
      throw SizeError("\(name): input size \(input) (padded to \(padded)) is smaller than the window of \(span)")
    }
    let room = padded - span
    return room / stride + (ceil && room % stride != 0 ? 1 : 0) + 1
  }
}
