import Foundation

/// `lyra-fuzz`: feeds mutated inputs through Lyra's own readers and its Lua API, and
/// keeps every input that crashed or hung. See docs/robustness.md.
///
///   lyra-fuzz run TARGET [--seconds N] [--runs N] [--seed S] [--timeout S] [--corpus DIR] [--out DIR]
///   lyra-fuzz replay TARGET FILE...      run inputs in this process; prints one line each
///   lyra-fuzz child TARGET               (internal) the process `run` feeds through a pipe
///   lyra-fuzz list                       the targets
///
/// Built with `--sanitize=fuzzer -Xswiftc -DLYRA_LIBFUZZER` (scripts/fuzz --libfuzzer), the
/// program is libFuzzer's: its main calls `LLVMFuzzerTestOneInput` (LibFuzzerEntry.swift)
/// with the target named by LYRA_FUZZ_TARGET, and none of the commands above exist.
#if !LYRA_LIBFUZZER
@main
enum LyraFuzz {
  static func main() {
    setvbuf(stdout, nil, _IOLBF, 0)
    var args = Array(CommandLine.arguments.dropFirst())

    func usage() -> Never {
      FileHandle.standardError.write(Data("""
        usage: lyra-fuzz run TARGET [--seconds N] [--runs N] [--seed S] [--timeout S] [--corpus DIR] [--out DIR]
               lyra-fuzz replay TARGET FILE...
               lyra-fuzz list
        targets: \(FuzzTargets.names.joined(separator: ", "))

        """.utf8))
      exit(2)
    }

    func target(_ name: String?) -> String {
      guard let name, FuzzTargets.names.contains(name) || name == FuzzTargets.selfTest else {
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
        print("\(file): \(targets.run(data))")
      }
      exit(failed ? 1 : 0)
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


  }
}
#endif
