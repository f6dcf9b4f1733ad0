import CLua
import Foundation
import LyraLua
import LyraONNX
import LyraPipeline
import LyraTensor

/// The fuzz targets: one per reader, plus the Lua API. Each takes the input bytes and
/// goes through the same entry point a user reaches (mostly the Lua functions), so a
/// crash found here is a crash a hostile file or script causes. A Lua error or a thrown
/// Swift error is a correct outcome; only a dead or stuck process is a finding.
///
/// The process works in a private scratch folder under the sandbox (so a fuzzed
/// `lyra.save` cannot write into the checkout), and file readers read the input from there.
final class FuzzTargets {
  static let names = ["onnx", "safetensors", "pth", "desc", "yaml", "csv", "idx", "json", "lua-api"]
  /// A target for the harness's own tests: input "CRASH…" traps as a failed precondition does, "HANG…" never
  /// answers, anything else is fine. Not part of `all`.
  static let selfTest = "self-test"

  let target: String
  let host: LyraHost
  let scratch: String
  private var loaded = false

  /// `kernelFence: false` for libFuzzer, whose fork mode starts its jobs as programs (and
  /// bounds memory itself with -rss_limit_mb).
  init(target: String, kernelFence: Bool = true) {
    if kernelFence { FuzzTargets.limitAddressSpace() }
    self.target = target
    scratch = FuzzTargets.scratchFolder(target: target, pid: getpid())
    try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    FileManager.default.changeCurrentDirectoryPath(scratch)
    // Tensors above 16 MiB are refused (where sizes are checked, issue 14): well under the
    // address-space cap, so a fixed reader answers an absurd size with an error, not an abort.
    // Not more: `lyra.nn.Conv2d(123, 123, 123)` (915 MB of weights), `lyra.rand(326, 326, 326)`
    // (138 MB) and even `lyra.nn.Conv2d(53, 53, 59)` (39 MB, 4.4 s in a plain debug build)
    // are legal, but filling them under AddressSanitizer on a busy machine passes libFuzzer's
    // 10 s timeout, which reports them as hangs. No seed needs more than a few hundred KiB,
    // so the cap costs no coverage and leaves only real hangs as timeouts.
    setenv("LYRA_MAX_TENSOR_BYTES", "16M", 0)
    setenv("TMPDIR", scratch, 1) // the sandbox's private temporary folder goes inside: one folder to remove
    FuzzTargets.scratchToRemove = scratch
    atexit {
      guard let s = FuzzTargets.scratchToRemove else { return }
      for f in (try? FileManager.default.contentsOfDirectory(atPath: s)) ?? [] { try? FileManager.default.removeItem(atPath: s + "/" + f) }
      try? FileManager.default.removeItem(atPath: s)
    }
    do {
      host = try LyraHost()
      try Sandbox.apply(host, SandboxOptions(root: scratch, kernelFence: kernelFence))
    } catch {
      FileHandle.standardError.write(Data("lyra-fuzz: cannot start Lyra: \(error)\n".utf8))
      exit(3)
    }
  }

  /// Caps this process's address space (LYRA_FUZZ_MAX_AS bytes, default 8 GiB): an input that
  /// makes Lyra allocate without a check then fails at once, as the allocation abort it is,
  /// instead of driving a shared machine into swap or the OOM killer.
  static func limitAddressSpace() {
    let bytes = ProcessInfo.processInfo.environment["LYRA_FUZZ_MAX_AS"].flatMap { UInt64($0) } ?? (8 << 30)
    var lim = rlimit(rlim_cur: rlim_t(bytes), rlim_max: rlim_t(bytes))
    _ = withUnsafePointer(to: &lim) { setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), $0) }
  }

  /// Emptied at a normal exit (replay, libFuzzer jobs). The folder itself stays: under the
  /// kernel fence this process may not remove entries of its parent; a campaign (or the test
  /// that ran a replay) removes it.
  nonisolated(unsafe) static var scratchToRemove: String?

  /// Where the process `pid` works (the campaign removes it when that child ends).
  static func scratchFolder(target: String, pid: Int32) -> String {
    (NSTemporaryDirectory() as NSString).appendingPathComponent("lyra-fuzz-\(target)-\(pid)")
  }

  /// Runs one input; returns "ok" or "error: …" (the first line of the error).
  func run(_ data: Data) -> String {
    do {
      switch target {
      case FuzzTargets.selfTest:
        if data.starts(with: Array("CRASH".utf8)) { fatalError("self-test crash") }
        if data.starts(with: Array("HANG".utf8)) { while true { sleep(60) } }
      case "onnx": try onnx(data)
      case "yaml": try yaml(data)
      default: try lua(data)
      }
      return "ok"
    } catch {
      return "error: " + (String(describing: error).split(separator: "\n").first.map(String.init) ?? "")
    }
  }

  /// lyra.onnx.load's path (ONNXModule(path:)), then a run on inputs of the declared
  /// shapes: unknown dims become 1, and an input is skipped past 2^20 elements (the input
  /// is ours, the file is not). Integer inputs (shapes, pads) get small positive values.
  func onnx(_ data: Data) throws {
    let path = scratch + "/input.onnx"
    try data.write(to: URL(fileURLWithPath: path))
    let m = try ONNXModule(path: path)
    var feeds: [String: Tensor] = [:]
    for input in m.model.inputs {
      let shape = (input.shape ?? [1]).map { max($0 ?? 1, 0) }
      var n = 1
      for d in shape { n = n.multipliedReportingOverflow(by: d).overflow ? Int.max : n * d }
      if n > 1 << 20 { return }
      feeds[input.name] = Tensor.ones(shape, dtype: input.dataType == .float ? .float32 : .int32)
    }
    _ = try m.model.run(feeds)
  }

  /// The pipeline config reader and validator, without running anything.
  func yaml(_ data: Data) throws {
    let doc = try YAMLDocument(text: String(decoding: data, as: UTF8.self), file: "fuzz.yml")
    _ = try PipelineConfig(document: doc, taskFolder: scratch + "/task")
  }

  /// The Lua-side targets (FuzzLuaTargets): the input is handed over as a string.
  func lua(_ data: Data) throws {
    let state = host.state
    let L = state.L
    let s = state.stack
    let base = s.top
    defer { s.setTop(base) }
    if !loaded {
      try state.load(FuzzLuaTargets.source, name: "=(fuzz targets)")
      try state.call(nargs: 0, nresults: 1)
      s.push(target)
      lua_gettable(L, -2)
      guard s.type(-1) == .function else { throw LuaFailure("no Lua target \(target)") }
      lua_setglobal(L, "__lyra_fuzz_target")
      loaded = true
    }
    lua_getglobal(L, "__lyra_fuzz_target")
    let bytes = [CChar](unsafeUninitializedCapacity: max(data.count, 1)) { buf, n in
      buf[0] = 0
      _ = data.withUnsafeBytes { memcpy(buf.baseAddress!, $0.baseAddress ?? UnsafeRawPointer(buf.baseAddress!), data.count) }
      n = max(data.count, 1)
    }
    _ = lua_pushlstring(L, bytes, data.count)
    s.push(scratch)
    try state.call(nargs: 2, nresults: 0)
  }

  /// Tokens of each format, inserted by the mutator.
  static func dictionary(_ target: String) -> [String] {
    switch target {
    case "safetensors": return ["\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"F32\"", "\"I32\"", "\"F16\"", "\"I64\"", "\"U8\"", "\"__metadata__\"", "[]", "[0]", "[4611686018427387904, 4]", "{", "}", ","]
    case "pth": return ["PK\u{03}\u{04}", "PK\u{01}\u{02}", "PK\u{05}\u{06}", "\u{80}\u{02}", "ctorch._utils\n_rebuild_tensor_v2\n", "ctorch\nFloatStorage\n", "ccollections\nOrderedDict\n", "cos\nsystem\n", "storage", "(", "t", "R", "Q", "q\u{00}", "h\u{00}", "}", "]", "u", "s", "a", "e", "\u{8a}\u{08}\u{ff}\u{ff}\u{ff}\u{ff}\u{ff}\u{ff}\u{ff}\u{7f}", "."]
    case "desc": return ["\"type\"", "\"in_features\"", "\"out_features\"", "\"kernel_size\"", "\"in_channels\"", "\"out_channels\"", "\"stride\"", "\"padding\"", "\"modules\"", "\"Linear\"", "\"Conv2d\"", "\"BatchNorm2d\"", "\"Sequential\"", "\"ReLU\"", "\"MaxPool2d\"", "\"Flatten\"", "[", "]", "{", "}"]
    case "yaml": return ["&a ", "*a", "<<: *a", "pipeline: [", "general:", "seed: ", "pipe_step:", "type: ", "SearchPipeStep", "TrainPipeStep", "search_algorithm:", "search_space:", "config_count: ", "epochs: ", "- ", "\n  ", "{", "}", "[", "]", "~", "!!str ", "quota:"]
    case "csv": return [",", "\n", "\"", "\"\"", "label", "1e308", "nan", ";", "\r\n", ",,,,,,,,"]
    case "json": return ["{", "}", "[", "]", "\"", "\\u0000", "\\ud800", "true", "false", "null", "1e400", "-0", ":", ","]
    case "lua-api": return []
    default: return []
    }
  }
}
