import CKernels

/// Which instruction-set path Lyra's C kernels (the CKernels target) run: AVX-512, AVX2+FMA or
/// portable C. The CPU is read once (cpuid and the OS's saved-register mask); `LYRA_ISA=avx512|avx2|portable`
/// lowers the choice for a whole process, `force` for tests and benchmarks.
///
/// Why runtime dispatch rather than compiler flags: one binary runs on every x86-64, and a CPU
/// whose BLAS library misdetects it (Debian's OpenBLAS 0.3.21 takes an AVX-512 Xeon with FP16 for a
/// Prescott and runs SSE3 kernels at 30 GFLOP/s) still gets its widest vectors. Numbers in
/// docs/performance.md.
public enum KernelISA: Int, CaseIterable, CustomStringConvertible, Sendable {
  case portable = 0, avx2 = 1, avx512 = 2

  /// The highest path this CPU and OS support.
  public static var detected: KernelISA { KernelISA(rawValue: Int(lyra_isa_detected())) ?? .portable }

  /// The path kernels use now.
  public static var active: KernelISA { KernelISA(rawValue: Int(lyra_isa_active())) ?? .portable }

  /// Paths this machine can run, lowest first: what tests loop over to check each one.
  public static var available: [KernelISA] { allCases.filter { $0.rawValue <= detected.rawValue } }

  /// Makes `isa` the active path (clamped to `detected`) and returns the one now active.
  @discardableResult
  public static func force(_ isa: KernelISA) -> KernelISA {
    KernelISA(rawValue: Int(lyra_isa_set(Int32(isa.rawValue)))) ?? .portable
  }

  /// Runs `body` on `isa` (clamped to `detected`), restoring the previous path afterwards.
  public static func with<R>(_ isa: KernelISA, _ body: () throws -> R) rethrows -> R {
    let previous = active
    force(isa)
    defer { force(previous) }
    return try body()
  }

  /// A path's name as `LYRA_ISA` takes it.
  public var description: String { String(cString: lyra_isa_name(Int32(rawValue))) }

  /// Parses `LYRA_ISA`'s spelling; nil when it is not a path's name.
  public init?(name: String) {
    let v = lyra_isa_parse(name)
    guard v >= 0, let isa = KernelISA(rawValue: Int(v)) else { return nil }
    self = isa
  }

  /// GEMM's register tile on this path ("6x16": rows × columns of C per micro-kernel call;
  /// "12x32|8x32" on AVX-512, where the row count of each product picks one).
  public var gemmTile: String { String(cString: lyra_sgemm_tile(Int32(rawValue))) }

  /// LYRA_ISA's value when it named no path (then the detected path is used), for a warning.
  public static var rejectedEnvironment: String? {
    guard let p = lyra_isa_env_rejected() else { return nil }
    return String(cString: p)
  }

  /// One line for `lyra --version` and the REPL banner: the active path, what the CPU offers,
  /// the GEMM tile, the integer kernel and the thread count.
  public static var summary: String {
    let a = active, d = detected
    var s = "kernels: \(a) (cpu: \(d)"
    if a != d { s += ", lowered by LYRA_ISA" }
    s += "), gemm \(a.gemmTile), int8 \(QuantizedProduct.path), threads \(KernelParallel.maxThreads)"
    if let bad = rejectedEnvironment {
      s += "; LYRA_ISA=\(bad) ignored (use avx512, avx2 or portable)"
    }
    return s
  }
}
