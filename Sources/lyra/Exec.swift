import ArgumentParser
import Foundation
import LyraLua

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

  @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("A Lua script ('-' for standard input) and its arguments.", valueName: "script args"))
  var scriptAndArguments: [String] = []

  func run() throws {
    let script = scriptAndArguments.first
    let arguments = Array(scriptAndArguments.dropFirst())
    let code = Session.run(statements: statements, modules: modules, script: script, arguments: arguments,
                           interactive: interactive)
    throw ExitCode(code)
  }
}

/// `lyra run FILE`: runs a pipeline. A `.lua` file is run as a script; configs come later.
struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Run a pipeline script (FILE.lua).")

  @Argument(help: "The pipeline: a .lua script.")
  var file: String

  @Argument(parsing: .captureForPassthrough, help: "Arguments passed to the script.")
  var arguments: [String] = []

  func run() throws {
    let ext = (file as NSString).pathExtension.lowercased()
    guard ext == "lua" else {
      FileHandle.standardError.write(Data("lyra run: \(file): only .lua pipeline scripts are supported yet (YAML configs arrive with the pipeline)\n".utf8))
      throw ExitCode(2)
    }
    throw ExitCode(Session.run(statements: [], modules: [], script: file, arguments: arguments, interactive: false))
  }
}
