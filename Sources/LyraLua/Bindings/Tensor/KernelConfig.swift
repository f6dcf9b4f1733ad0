import CLua
import LyraKernels
import LyraNN

/// `lyra.config()`: which kernel paths run (the ISA path chosen at start-up, what the CPU offers,
/// GEMM's register tile) and the thread count, as a table; `lyra.config{isa = 'avx2', threads = 1}`
/// changes them for this process (lower ISA only) and returns the new table. Why in Lua: a teacher
/// comparing AVX-512 with portable C, or a user checking that LYRA_ISA took effect, should not need
/// to restart with another environment.
enum KernelConfig {
  static let help = """
    lyra.config([{isa = 'avx512'|'avx2'|'portable', threads = n, int8 = true|false}]) -> table
    The kernel settings: isa (the path kernels run), isa_detected (the widest this CPU offers),
    isa_available (every path this machine can run), gemm_tile (GEMM's register tile on the active
    path; '12x32|8x32' on AVX-512, where products with a multiple of 8 but not of 12 rows take the
    8-row tile), threads, int8 (whether quantised layers with quantised inputs run integer kernels
    in evaluation under lyra.no_grad; false: fake-quantised floats, as in training) and int8_path
    (the integer kernel: 'avx512-vnni', 'avx2' or 'portable'). With a table, sets isa (never above
    isa_detected; LYRA_ISA sets it at start-up), threads and/or int8 first.
    """

  static var all: [LuaMethod] {
    [
      LuaMethod("config", help: help) { call in
        if let o = try call.options(1) {
          if let name = try o.string("isa") {
            guard let isa = KernelISA(name: name) else {
              throw LuaArgumentError(1, "option 'isa' must be 'avx512', 'avx2' or 'portable', got '\(name)'")
            }
            guard isa.rawValue <= KernelISA.detected.rawValue else {
              throw LuaArgumentError(1, "option 'isa': this CPU offers at most '\(KernelISA.detected)', so '\(name)' cannot run")
            }
            KernelISA.force(isa)
          }
          if let n = try o.int("threads") {
            guard (1...TensorThreads.limit).contains(n) else {
              throw LuaArgumentError(1, "option 'threads' must be a positive integer up to \(TensorThreads.limit), got \(n)")
            }
            KernelParallel.setThreads(n)
          }
          if let b = try o.bool("int8") { IntegerInference.enabled = b }
          try o.finish()
        }
        try call.noMoreArguments(after: 1)
        let s = call.stack
        lua_createtable(call.L, 0, 7)
        s.push(KernelISA.active.description); s.rawSet(-2, "isa")
        s.push(KernelISA.detected.description); s.rawSet(-2, "isa_detected")
        s.push(KernelISA.available.map(\.description)); s.rawSet(-2, "isa_available")
        s.push(KernelISA.active.gemmTile); s.rawSet(-2, "gemm_tile")
        s.push(KernelParallel.maxThreads); s.rawSet(-2, "threads")
        s.push(IntegerInference.enabled); s.rawSet(-2, "int8")
        s.push(QuantizedProduct.path); s.rawSet(-2, "int8_path")
        return 1
      },
    ]
  }
}
