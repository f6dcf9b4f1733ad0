import Foundation

/// The entry points libFuzzer calls in a `--sanitize=fuzzer` build (scripts/fuzz --libfuzzer).
/// In an ordinary build nothing calls them. libFuzzer owns `main` and its arguments, so the
/// target comes from the environment: LYRA_FUZZ_TARGET=onnx|safetensors|….
enum LibFuzzerEntry {
  nonisolated(unsafe) static var targets: FuzzTargets?
}

@_cdecl("LLVMFuzzerInitialize")
public func lyraFuzzInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
  let name = ProcessInfo.processInfo.environment["LYRA_FUZZ_TARGET"] ?? ""
  guard FuzzTargets.names.contains(name) || name == FuzzTargets.selfTest else {
    FileHandle.standardError.write(Data("lyra-fuzz: set LYRA_FUZZ_TARGET to one of \(FuzzTargets.names.joined(separator: ", "))\n".utf8))
    exit(2)
  }
  LibFuzzerEntry.targets = FuzzTargets(target: name, kernelFence: false)
  return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func lyraFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = size == 0 || data == nil ? Data() : Data(bytes: data!, count: size)
  _ = LibFuzzerEntry.targets?.run(bytes)
  return 0
}
