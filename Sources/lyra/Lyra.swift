import ArgumentParser
import Foundation
import LyraKernels
import LyraLua

/// `lyra`: the REPL, the script runner and (in later issues) the pipeline commands.
@main
struct Lyra: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lyra",
    abstract: "A native AutoML pipeline scripted in Lua 5.4.",
    discussion: """
      lyra                      start the REPL (on a terminal; piped input runs without prompts)
      lyra FILE.lua [ARGS...]   run a script (ARGS in `arg` and `...`)
      lyra -e STMT | -l MOD | -i
      lyra run FILE.lua         run a pipeline script
      lyra --sandbox [--max-memory B] [--max-seconds N] [FILE]
                                for classes: no programs, native code,
                                bytecode or debug library; writes only
                                in the working folder (docs/guide.md)
      """,
    version: LyraVersion.string,
    subcommands: [Exec.self, Run.self, Status.self, Worker.self, TestSearch.self, StoreBench.self, Export.self, NotebookCommand.self, SuperResolve.self],
    defaultSubcommand: Exec.self
  )

  /// Every layer's registrations before any subcommand runs (a worker builds its trial
  /// executor from the store alone, so the executor kinds must be known first).
  static func main() {
    LyraLua.bootstrap()
    if let bad = KernelISA.rejectedEnvironment {
      FileHandle.standardError.write(Data("lyra: LYRA_ISA=\(bad) is not a kernel path (use avx512, avx2 or portable); running \(KernelISA.active)\n".utf8))
    }
    main(nil)
  }
}

enum LyraVersion {
  /// The version, then the kernel paths and threads this process runs (`KernelISA.summary`).
  static let string = "lyra 0.1.0 (Lua 5.4)\n" + KernelISA.summary
}
