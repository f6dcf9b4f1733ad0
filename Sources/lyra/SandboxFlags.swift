import ArgumentParser
import Foundation
import LyraBase
import LyraLua

/// `--sandbox`, `--max-memory`, `--max-seconds`: shared by the REPL/script entry and
/// `lyra notebook`, so a class can hand out one command line for both.
struct SandboxFlags: ParsableArguments {
  @Flag(help: ArgumentHelp("""
    Run confined for class and demo use: no os.execute, io.popen, os.remove/rename, \
    debug library, native modules or bytecode; files may be written only inside the \
    working folder (reading is allowed anywhere).
    """))
  var sandbox = false

  @Option(name: .customLong("max-memory"), help: ArgumentHelp(
    "With --sandbox: bytes Lua may hold, the largest tensor and all tensors together (e.g. 512M, 2G).", valueName: "BYTES"))
  var maxMemory: String?

  @Option(name: .customLong("max-seconds"), help: ArgumentHelp(
    "With --sandbox: seconds a script, a notebook or one REPL entry may run.", valueName: "N"))
  var maxSeconds: Double?

  func validate() throws {
    if !sandbox && (maxMemory != nil || maxSeconds != nil) {
      throw ValidationError("--max-memory and --max-seconds apply to the sandbox; add --sandbox")
    }
    if let m = maxMemory, (CheckedSize.parseByteCount(m) ?? 0) < (1 << 20) {
      throw ValidationError("--max-memory '\(m)': expected a byte count of at least 1M (e.g. 256M, 2G)")
    }
    if let t = maxSeconds, !(t > 0 && t.isFinite) {
      throw ValidationError("--max-seconds \(t): expected a positive number of seconds")
    }
  }

  /// The options when --sandbox was given; sets the tensor cap in the environment at once.
  func options() -> SandboxOptions? {
    guard sandbox else { return nil }
    let o = SandboxOptions(maxMemory: maxMemory.flatMap(CheckedSize.parseByteCount), maxSeconds: maxSeconds)
    o.applyToEnvironment()
    return o
  }
}
