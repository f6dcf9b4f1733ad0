import CFuzz
import Foundation

/// `lyra-fuzz`: feeds mutated inputs through Lyra's own readers and its Lua API, and
/// keeps every input that crashed or hung. See docs/robustness.md.
///
///   lyra-fuzz run TARGET [--seconds N] [--runs N] [--seed S] [--timeout S] [--corpus DIR] [--out DIR]
///   lyra-fuzz replay TARGET FILE...      run inputs in this process; prints one line each
///   lyra-fuzz child TARGET               (internal) the process `run` feeds through a pipe
///   lyra-fuzz libfuzzer TARGET [ARGS]    libFuzzer's driver (a -sanitize=fuzzer build only)
///   lyra-fuzz list                       the targets
setvbuf(stdout, nil, _IOLBF, 0)
var args = Array(CommandLine.arguments.dropFirst())

func usage() -> Never {
  FileHandle.standardError.write(Data("""
    usage: lyra-fuzz run TARGET [--seconds N] [--runs N] [--seed S] [--timeout S] [--corpus DIR] [--out DIR]
           lyra-fuzz replay TARGET FILE...
           lyra-fuzz libfuzzer TARGET [libFuzzer options] [CORPUS_DIR...]
           lyra-fuzz list
    targets: \(FuzzTargets.names.joined(separator: ", "))

    """.utf8))
  exit(2)
}

func target(_ name: String?) -> String {
  guard let name, FuzzTargets.names.contains(name) else {
    FileHandle.standardError.write(Data("lyra-fuzz: unknown target '\(name ?? "")' (targets: \(FuzzTargets.names.joined(separator: ", ")))\n".utf8))
    exit(2)
  }
  return name
}

guard let command = args.first else { usage() }
args.removeFirst()
switch command {
case "list":
  print(FuzzTargets.names.joined(separator: "\n"))
case "child":
  ChildServer.serve(target: target(args.first))
case "replay":
  let t = target(args.first)
  // Read first: the targets work in their own scratch folder.
  let files = args.dropFirst().map { ($0, FileManager.default.contents(atPath: $0)) }
  let targets = FuzzTargets(target: t)
  var failed = false
  for (file, data) in files {
    guard let data else { print("\(file): cannot read"); failed = true; continue }
    // A crash here kills the process: the crash writer keeps the input for the report.
    data.withUnsafeBytes { lyra_fuzz_set_current($0.baseAddress?.assumingMemoryBound(to: UInt8.self), data.count) }
    print("\(file): \(targets.run(data))")
  }
  exit(failed ? 1 : 0)
case "libfuzzer":
  let t = target(args.first)
  guard lyra_fuzz_has_libfuzzer() != 0 else {
    FileHandle.standardError.write(Data("lyra-fuzz: this build has no libFuzzer; build with scripts/fuzz --libfuzzer\n".utf8))
    exit(2)
  }
  LibFuzzerBridge.targets = FuzzTargets(target: t)
  let argv = [CommandLine.arguments[0]] + args.dropFirst()
  var cargs = argv.map { strdup($0) }
  let status = lyra_fuzz_run_libfuzzer(Int32(cargs.count), &cargs, LibFuzzerBridge.callback)
  exit(status)
case "run":
  let t = target(args.first)
  do {
    let options = try CampaignOptions(target: t, arguments: Array(args.dropFirst()))
    let result = Campaign(options).run()
    exit(result.findings.isEmpty ? 0 : 1)
  } catch {
    FileHandle.standardError.write(Data("lyra-fuzz: \(error)\n".utf8))
    exit(2)
  }
default:
  usage()
}

/// libFuzzer calls a C function pointer, which cannot capture: the targets live here.
enum LibFuzzerBridge {
  nonisolated(unsafe) static var targets: FuzzTargets!
  static let callback: lyra_fuzz_callback = { data, size in
    let bytes = size == 0 ? Data() : Data(bytes: data!, count: size)
    _ = LibFuzzerBridge.targets.run(bytes)
    return 0
  }
}
