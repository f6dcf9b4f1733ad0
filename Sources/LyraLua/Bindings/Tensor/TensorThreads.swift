import LyraBase
import LyraKernels

/// `lyra.set_num_threads(n)` / `lyra.get_num_threads()` (PyTorch's names) over the one
/// thread setting, `KernelParallel.setThreads`, which sizes Lyra's kernels, element-wise
/// ops and OpenBLAS together.
enum TensorThreads {
  /// The most threads a script may ask for: beyond any core count Lyra runs on, and well
  /// inside OpenBLAS's Int32 argument.
  static let limit = 1024

  /// These and `lyra.config` (KernelConfig), the other kernel setting.
  static var all: [LuaMethod] {
    KernelConfig.all + [
      LuaMethod("set_num_threads", help: "lyra.set_num_threads(n)\nThe threads tensor kernels, element-wise ops and OpenBLAS use (n in 1..\(limit)).") { call in
        let n = try call.integer(1)
        guard (1...limit).contains(n) else { throw LuaArgumentError(1, "n must be a positive integer up to \(limit), got \(n)") }
        try call.noMoreArguments(after: 1)
        KernelParallel.setThreads(n)
        return 0
      },
      LuaMethod("get_num_threads", help: "lyra.get_num_threads() -> n\nThe threads tensor kernels use (set by lyra.set_num_threads).") { call in
        call.push(KernelParallel.maxThreads)
        return 1
      },
    ]
  }
}
