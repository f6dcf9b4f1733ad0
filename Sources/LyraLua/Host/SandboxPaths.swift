import Foundation

/// Decides whether a path may be written from the sandbox: it must resolve, after every
/// symbolic link and `..` is followed (realpath), to the working folder or below it.
///
/// A path that does not exist yet is judged by its deepest existing ancestor (resolved)
/// plus the remaining names, which may not contain `..`; a dangling symbolic link is
/// refused outright (its target could be created anywhere).
public struct SandboxPaths {
  /// The working folder, resolved.
  public let root: String

  public init(root: String) {
    self.root = SandboxPaths.realpath(root) ?? root
  }

  static func realpath(_ path: String) -> String? {
    guard let p = Foundation.realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
  }

  /// The resolved path that writing to `path` would touch, or nil when it cannot be resolved
  /// safely (a dangling link, `..` below a missing folder).
  public func resolve(_ path: String) -> String? {
    let cwd = FileManager.default.currentDirectoryPath
    let absolute = path.hasPrefix("/") ? path : cwd + "/" + path
    if let r = SandboxPaths.realpath(absolute) { return r }
    var st = stat()
    if lstat(absolute, &st) == 0 { return nil } // exists but unresolvable: a dangling or looping link
    var parts = absolute.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    var rest: [String] = []
    while let last = parts.popLast() {
      rest.insert(last, at: 0)
      let parent = "/" + parts.joined(separator: "/")
      if let r = SandboxPaths.realpath(parent) {
        if rest.contains("..") || rest.contains(".") { return nil }
        return (r == "/" ? "" : r) + "/" + rest.joined(separator: "/")
      }
    }
    return nil
  }

  /// Whether `resolved` is the root or inside it.
  public func contains(_ resolved: String) -> Bool {
    resolved == root || resolved.hasPrefix(root == "/" ? "/" : root + "/")
  }

  /// Throws a one-line error naming the path, what it resolved to, and the folder allowed.
  public func checkWritable(_ path: String, by function: String) throws {
    if path.contains("\0") {
      throw LuaFailure("\(function): the sandbox refuses a path with a NUL byte ('\(path.replacingOccurrences(of: "\0", with: "\\0"))')")
    }
    guard let r = resolve(path) else {
      throw LuaFailure("\(function): the sandbox refuses to write '\(path)': it cannot be resolved safely "
        + "(a dangling symbolic link, or '..' below a missing folder); write inside \(root)")
    }
    guard contains(r) else {
      throw LuaFailure("\(function): the sandbox refuses to write '\(path)' (resolves to \(r)): "
        + "lyra --sandbox writes only inside the working folder \(root)")
    }
  }
}
