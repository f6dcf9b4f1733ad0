/// Path text helpers that never trap.
///
/// Why not `NSString.deletingLastPathComponent`: swift-corelibs-foundation on this toolchain
/// traps (SIGILL) on one-character paths such as `x` or `.`, so `lyra run x`, `lyra notebook x`
/// or `p:show('x')` crashed the process. Every folder-of-a-path question goes through here.
public enum PathText {
  /// The folder part of `path`, as `deletingLastPathComponent` answers it: `""` for a bare
  /// name, `"/"` for a top-level entry, trailing slashes ignored (`a/b/` → `a`).
  public static func parent(_ path: String) -> String {
    var p = Substring(path)
    while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
    guard let slash = p.lastIndex(of: "/") else { return "" }
    if slash == p.startIndex { return "/" }
    var d = p[..<slash]
    while d.count > 1, d.hasSuffix("/") { d = d.dropLast() }
    return String(d)
  }

  /// The folder part of `path`, or `"."` for a bare name (where a file beside it goes).
  public static func folder(_ path: String) -> String {
    let d = parent(path)
    return d.isEmpty ? "." : d
  }
}
