import Foundation

/// One runner per task: an exclusive `flock` on `<task>/lock`, held from the moment a
/// pipeline opens the task until the `Pipeline` object goes away (or the process dies).
///
/// Why flock rather than a pid file alone: the kernel drops the lock when its holder
/// dies, however it dies (SIGKILL included), so a stale lock from a dead process is
/// simply taken over — no pid-reuse guesswork. The file also holds the holder's pid and
/// start time, for the message a refused runner prints. The descriptor is close-on-exec,
/// so `lyra worker` processes never inherit (and outlive the runner with) the lock.
public final class TaskLock {
  public let path: String
  private var fd: Int32
  /// The pid and start time written by the previous holder when this lock took over
  /// from a process that had died (nil for a fresh task or a cleanly finished one).
  public private(set) var tookOverFrom: String?

  public init(taskRoot: String) throws {
    path = TaskLayout(root: taskRoot).lock
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw FileAccessError(path: path, action: "open the task lock", errno: errno) }
    let previous = TaskLock.contents(fd)
    if flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let code = errno
      close(fd)
      fd = -1
      if code == EWOULDBLOCK {
        let holder = previous.isEmpty ? "another process" : "process " + previous
        throw TaskLockError(message: "task \((taskRoot as NSString).lastPathComponent) is in use by \(holder) (lock \(path)); " +
                            "wait for that run to end or stop it, then resume")
      }
      throw FileAccessError(path: path, action: "lock", errno: code)
    }
    if !previous.isEmpty && !previous.hasSuffix("(released)") { tookOverFrom = previous }
    let me = "\(getpid()) (started \(ISO8601DateFormatter().string(from: Date())))"
    let bytes = Array((me + "\n").utf8)
    _ = ftruncate(fd, 0)
    _ = bytes.withUnsafeBufferPointer { pwrite(fd, $0.baseAddress, $0.count, 0) }
  }

  /// Marks the lock released and drops it (also done when the object goes away).
  public func release() {
    guard fd >= 0 else { return }
    let text = Array((TaskLock.contents(fd) + " (released)\n").utf8)
    _ = ftruncate(fd, 0)
    _ = text.withUnsafeBufferPointer { pwrite(fd, $0.baseAddress, $0.count, 0) }
    close(fd)
    fd = -1
  }

  deinit { release() }

  /// The holder line in the lock file (empty when none).
  private static func contents(_ fd: Int32) -> String {
    var buf = [UInt8](repeating: 0, count: 256)
    let n = pread(fd, &buf, 255, 0)
    guard n > 0 else { return "" }
    return String(decoding: buf[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }
}

/// A second runner was refused: the message names the holder's pid.
public struct TaskLockError: Error, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}
