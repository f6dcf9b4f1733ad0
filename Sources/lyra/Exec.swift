import ArgumentParser
import Foundation
import LyraLua
import LyraPipeline

/// The default command: lua.c's interface (`-e`, `-l`, `-i`, a script with arguments, or the REPL).
struct Exec: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "exec", abstract: "Run a Lua script, statements, or the REPL (the default).", shouldDisplay: false)

  @Option(name: .customShort("e"), help: ArgumentHelp("Execute the Lua statement STMT.", valueName: "STMT"))
  var statements: [String] = []

  @Option(name: .customShort("l"), help: ArgumentHelp("require(MOD) and set the global MOD.", valueName: "MOD"))
  var modules: [String] = []

  @Flag(name: .customShort("i"), help: "Enter the REPL after running the script or statements.")
  var interactive = false

  @OptionGroup var sandbox: SandboxFlags

  @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("A Lua script ('-' for standard input) and its arguments.", valueName: "script args"))
  var scriptAndArguments: [String] = []

  func run() throws {
    let script = scriptAndArguments.first
    let arguments = Array(scriptAndArguments.dropFirst())
    let code = Session.run(statements: statements, modules: modules, script: script, arguments: arguments,
                           interactive: interactive, sandbox: sandbox.options())
    throw ExitCode(code)
  }
}

/// `lyra run FILE`: a pipeline from a VEGA-style YAML config, or a `.lua` pipeline script.
struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Run a pipeline: CFG.yml (VEGA's schema) or a .lua script.")

  @Argument(help: "The pipeline: a .yml/.yaml config or a .lua script (none with --resume: the task's recorded config).")
  var file: String?

  @Option(help: ArgumentHelp("Continue a task (after a crash or Ctrl-C): its id in the tasks folder, or its folder's path. Without a config file it runs with the config it recorded.", valueName: "TASK"))
  var resume: String?

  @Option(help: "Worker processes for search steps (default: from general.parallel_search).")
  var workers: Int?

  @Option(help: "Seed of the search (default: general.seed or 0).")
  var seed: UInt64?

  @Option(name: .customLong("set"), help: ArgumentHelp("Change a config key (repeatable): --set hpo.trainer.epochs=2.", valueName: "KEY=VALUE"))
  var sets: [String] = []

  @Option(help: ArgumentHelp("Run only these steps (comma-separated, repeatable); the steps before them must have finished (their outputs are reused).", valueName: "STEP,..."))
  var steps: [String] = []

  @Option(help: ArgumentHelp("Run from this step to the end; the steps before it must have finished (their outputs are reused).", valueName: "STEP"))
  var from: String?

  @Flag(help: "With --resume: run with a config (or --set) that differs from the task's recorded one, and record it.")
  var force = false

  @Flag(help: "Only check the whole config (every step's sections, plug-ins, data paths) and list every problem; create and train nothing.")
  var check = false

  @Option(help: ArgumentHelp("The trial store: sqlite (the task folder's trials.db, the default) or postgresql://USER@HOST[:PORT]/DB "
                              + "for workers on several machines (general.store; docs/pipeline.md#running-on-several-machines).", valueName: "URL"))
  var store: String?

  @Option(help: ArgumentHelp("Of --workers, how many this machine starts (0: only workers started elsewhere with lyra worker --store URL).", valueName: "N"))
  var localWorkers: Int?

  @Option(help: ArgumentHelp("With a PostgreSQL store: keep trial files in this directory, mounted on every machine (a path or file:///path), "
                              + "instead of the database; workers need the same option.", valueName: "DIR"))
  var artifacts: String?

  @Argument(parsing: .captureForPassthrough, help: "Arguments passed to a .lua script.")
  var arguments: [String] = []

  func run() throws {
    guard let file else {
      throw ExitCode(RunPipeline.run(file: nil, resume: resume, workers: workers, seed: seed, sets: sets + (try storeSetting(store)), check: check, force: force,
                                     part: RunPipeline.Part(steps: steps, from: from), localWorkers: localWorkers, artifacts: artifacts))
    }
    let ext = (file as NSString).pathExtension.lowercased()
    switch ext {
    case "lua":
      throw ExitCode(Session.run(statements: [], modules: [], script: file, arguments: arguments, interactive: false))
    case "yml", "yaml":
      // Options may also follow the file (`lyra run cfg.yml --resume ID`): the passthrough
      // capture took them, so read them here.
      var resume = self.resume, workers = self.workers, seed = self.seed, sets = self.sets, check = self.check, force = self.force,
          steps = self.steps, from = self.from, store = self.store, localWorkers = self.localWorkers, artifacts = self.artifacts
      var rest = arguments[...]
      while let a = rest.first {
        rest = rest.dropFirst()
        if a == "--check" || a == "--force" {
          if a == "--check" { check = true } else { force = true }
          continue
        }
        guard let v = rest.first, ["--resume", "--workers", "--seed", "--set", "--steps", "--from", "--store", "--local-workers", "--artifacts"].contains(a) else {
          FileHandle.standardError.write(Data("lyra run: unexpected argument '\(a)' (options: --resume TASK, --workers N, --seed S, --set KEY=VALUE, --steps STEP,..., --from STEP, --store URL, --local-workers N, --artifacts DIR, --check, --force)\n".utf8))
          throw ExitCode(2)
        }
        rest = rest.dropFirst()
        switch a {
        case "--resume": resume = v
        case "--set": sets.append(v)
        case "--steps": steps.append(v)
        case "--from": from = v
        case "--store": store = v
        case "--artifacts": artifacts = v
        case "--local-workers":
          guard let n = Int(v), n >= 0 else { FileHandle.standardError.write(Data("lyra run: --local-workers needs a non-negative integer\n".utf8)); throw ExitCode(2) }
          localWorkers = n
        case "--workers":
          guard let n = Int(v), n > 0 else { FileHandle.standardError.write(Data("lyra run: --workers needs a positive integer\n".utf8)); throw ExitCode(2) }
          workers = n
        default:
          guard let n = UInt64(v) else { FileHandle.standardError.write(Data("lyra run: --seed needs a non-negative integer\n".utf8)); throw ExitCode(2) }
          seed = n
        }
      }
      throw ExitCode(RunPipeline.run(file: file, resume: resume, workers: workers, seed: seed, sets: sets + (try storeSetting(store)), check: check, force: force,
                                     part: RunPipeline.Part(steps: steps, from: from), localWorkers: localWorkers, artifacts: artifacts))
    default:
      FileHandle.standardError.write(Data("lyra run: \(file): expected a .yml/.yaml config or a .lua script\n".utf8))
      throw ExitCode(2)
    }
  }

  /// `--store URL` as its `--set general.store=…` (a password moves to PGPASSWORD first: StoreLocation).
  func storeSetting(_ store: String?) throws -> [String] {
    guard let store else { return [] }
    do { return [try StoreLocation.overrideSetting(store)] } catch {
      FileHandle.standardError.write(Data("lyra run: --store: \(error)\n".utf8))
      throw ExitCode(2)
    }
  }
}
