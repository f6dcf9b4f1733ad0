import CLua
import Foundation
import LyraTensor

/// `lyra --sandbox`: a Lua state for class and demo use that cannot run programs, load
/// native code or bytecode, read Lua's internals, or write outside the working folder,
/// with optional memory and time caps.
///
/// Two fences: the Lua-level one (`SandboxPrelude`, and `SandboxPaths` behind every
/// writer a script can reach) gives clear errors; on Linux, Landlock then makes the
/// kernel refuse writes outside the folder and program execution for this process, so a
/// writer the Lua fence does not know of cannot escape either.
public struct SandboxOptions {
  /// Folder that may be written (default: the current directory).
  public var root: String
  /// Bytes the Lua allocator may hold, and the largest single tensor (nil: no cap).
  public var maxMemory: Int?
  /// Seconds each top-level call (a script, a notebook, one REPL entry) may run (nil: no cap).
  public var maxSeconds: Double?
  /// Whether to raise the kernel fence too. Off only for a process that must still start
  /// programs itself (libFuzzer's fork mode runs its jobs as child processes).
  public var kernelFence = true

  public init(root: String = FileManager.default.currentDirectoryPath, maxMemory: Int? = nil, maxSeconds: Double? = nil,
              kernelFence: Bool = true) {
    self.root = root
    self.maxMemory = maxMemory
    self.maxSeconds = maxSeconds
    self.kernelFence = kernelFence
  }

  /// Must run before any tensor is sized: the per-tensor cap is read once, from
  /// `LYRA_MAX_TENSOR_BYTES` (the smaller of it and `maxMemory` wins). All live tensors
  /// together are held to `maxMemory` as well (`MemoryGuard.limit`, likewise the smaller).
  public func applyToEnvironment() {
    guard let m = maxMemory else { return }
    MemoryGuard.limit = min(MemoryGuard.limit ?? m, m)
    let env = ProcessInfo.processInfo.environment["LYRA_MAX_TENSOR_BYTES"]
    if let e = env, let current = Int(e), current > 0, current <= m { return }
    setenv("LYRA_MAX_TENSOR_BYTES", String(m), 1)
  }
}

public enum Sandbox {
  /// Whether the kernel fence is in place (the Landlock ABI version, or nil).
  nonisolated(unsafe) public private(set) static var kernelFence: Int32?

  /// Confines `host` (already loaded) and this process. Call once, before user code runs.
  public static func apply(_ host: LyraHost, _ options: SandboxOptions) throws {
    let paths = SandboxPaths(root: options.root)
    let state = host.state
    let s = state.stack
    let base = s.top
    defer { s.setTop(base) }
    // LYRA_SANDBOX_KERNEL_ONLY=1 leaves out the Lua fence so that tests can show the kernel
    // fence holds alone. Whoever sets the environment starts lyra anyway: no escape hatch.
    if ProcessInfo.processInfo.environment["LYRA_SANDBOX_KERNEL_ONLY"] == "1" {
      try finish(state, options, paths)
      return
    }
    try state.load(SandboxPrelude.source, name: "=(sandbox)")
    state.pushFunction("sandbox.check", help: "check(path, function): refuses writes outside the working folder.") { call in
      try paths.checkWritable(try call.string(1), by: try call.optString(2, "write"))
      return 0
    }
    lua_pushvalue(state.L, lyra_registryindex())
    s.push("lyra.nn.Module")
    s.push("lyra.plot.Plot")
    s.push(paths.root + "/lyra-plots")
    try state.call(nargs: 5, nresults: 0)
    try finish(state, options, paths)
  }

  /// The caps and the kernel fence.
  static func finish(_ state: LuaState, _ options: SandboxOptions, _ paths: SandboxPaths) throws {
    if let m = options.maxMemory { lyra_set_memory_limit(state.L, m) }
    if let t = options.maxSeconds { state.timeLimit = t }
    guard options.kernelFence else { return }
    let scratch = makeScratch()
    let abi = lyra_landlock_confine_writes(paths.root, scratch)
    kernelFence = abi > 0 ? abi : nil
  }

  /// The folder removed at exit (see `makeScratch`).
  nonisolated(unsafe) static var scratchPath: String?

  /// A private temporary folder that becomes TMPDIR: Lyra's own temporary files (the
  /// notebook's output capture) still work under the kernel fence, while the system
  /// temporary folder, shared with other users and programs, stays closed. Lua code cannot
  /// name it for writing (the Lua fence allows the working folder only).
  static func makeScratch() -> String? {
    let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
    var template = Array((base + "/lyra-sandbox-XXXXXX").utf8CString)
    guard let p = mkdtemp(&template) else { return nil }
    let path = String(cString: p)
    setenv("TMPDIR", path, 1)
    scratchPath = path
    atexit {
      if let p = Sandbox.scratchPath { try? FileManager.default.removeItem(atPath: p) }
    }
    return path
  }
}
