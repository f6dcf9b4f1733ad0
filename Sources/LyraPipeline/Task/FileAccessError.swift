import Foundation
import LyraBase

/// A file or folder the task needs could not be read or written: one line naming the
/// path and the reason (`cannot write tasks/1/output/reports.json: permission denied`).
///
/// Why: Foundation's errors print as `Error Domain=NSCocoaErrorDomain Code=513 ...
/// UserInfo={...}` dumps; a user with a read-only task folder needs the path and what
/// to do, not the dictionary.
public struct FileAccessError: Error, CustomStringConvertible {
  public var path: String
  public var action: String
  public var reason: String

  public init(path: String, action: String, reason: String) {
    self.path = path
    self.action = action
    self.reason = reason
  }

  public var description: String {
    var s = "cannot \(action) \(path): \(reason)"
    if reason == "permission denied" || reason == "read-only file system" {
      s += " (make the folder writable, or choose another general.task.local_base_path)"
    }
    return s
  }

  /// From a POSIX errno.
  public init(path: String, action: String, errno code: Int32) {
    self.init(path: path, action: action, reason: FileAccessError.text(code))
  }

  /// Converts any error of a file operation on `path`; errors that already speak for
  /// themselves (not Foundation's) pass through unchanged.
  public static func wrap(_ error: Error, path: String, action: String) -> Error {
    if error is FileAccessError { return error }
    let ns = error as NSError
    guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return error }
    let target = (ns.userInfo[NSFilePathErrorKey] as? String) ?? path
    if ns.domain == NSPOSIXErrorDomain { return FileAccessError(path: target, action: action, errno: Int32(ns.code)) }
    if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
      return FileAccessError(path: target, action: action, errno: Int32(u.code))
    }
    let reason: String
    switch ns.code {
    case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: reason = "permission denied"
    case NSFileWriteVolumeReadOnlyError: reason = "read-only file system"
    case NSFileNoSuchFileError, NSFileReadNoSuchFileError: reason = "no such file or folder"
    case NSFileWriteOutOfSpaceError: reason = "no space left on the device"
    case NSFileWriteFileExistsError: reason = "a file is in the way"
    default: reason = probe(target) ?? "error \(ns.code)"
    }
    return FileAccessError(path: target, action: action, reason: reason)
  }

  /// Runs `body`, converting its file errors.
  public static func guarding<T>(_ path: String, _ action: String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch { throw wrap(error, path: path, action: action) }
  }

  /// Why `path` cannot be made or written, found by looking at its nearest existing
  /// ancestor (Foundation often reports only "unknown write error").
  static func probe(_ path: String) -> String? {
    var dir = PathText.parent(path)
    let fm = FileManager.default
    while !dir.isEmpty && dir != "/" {
      var isDir: ObjCBool = false
      if fm.fileExists(atPath: dir, isDirectory: &isDir) {
        if !isDir.boolValue { return "\(dir) is a file, not a folder" }
        return access(dir, W_OK) == 0 ? nil : "permission denied"
      }
      dir = PathText.parent(dir)
    }
    return nil
  }

  static func text(_ code: Int32) -> String {
    switch code {
    case EACCES, EPERM: return "permission denied"
    case EROFS: return "read-only file system"
    case ENOENT: return "no such file or folder"
    case ENOTDIR: return "a path component is not a folder"
    case EEXIST: return "a file is in the way"
    case ENOSPC: return "no space left on the device"
    default: return String(cString: strerror(code)).lowercased()
    }
  }
}
