import Foundation

/// Finds the folder holding Lyra's Lua stdlib (`lyra/init.lua`).
///
/// Order: each folder in `LYRA_PATH` (colon-separated); beside the binary
/// (`<bin>/stdlib`, `<bin>/../share/lyra/stdlib`); then the source tree, walking up
/// from the binary (a `.build/release/lyra` finds the checkout's `stdlib/`).
public enum LuaStdlib {
  public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
    let fm = FileManager.default
    func holds(_ dir: String) -> Bool { fm.fileExists(atPath: dir + "/lyra/init.lua") }
    if let paths = environment["LYRA_PATH"] {
      for p in paths.split(separator: ":") where holds(String(p)) { return String(p) }
    }
    let exe = URL(fileURLWithPath: CommandLine.arguments.first.flatMap { resolveExecutable($0) } ?? "")
      .resolvingSymlinksInPath().deletingLastPathComponent()
    for c in [exe.appendingPathComponent("stdlib"), exe.appendingPathComponent("../share/lyra/stdlib")] {
      if holds(c.standardizedFileURL.path) { return c.standardizedFileURL.path }
    }
    var dir = exe
    for _ in 0..<8 {
      let c = dir.appendingPathComponent("stdlib")
      if holds(c.path) { return c.standardizedFileURL.path }
      dir = dir.deletingLastPathComponent()
    }
    return nil
  }

  /// The running binary's path: /proc/self/exe on Linux, else argv[0].
  static func resolveExecutable(_ argv0: String) -> String? {
    if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
    return argv0
  }
}
