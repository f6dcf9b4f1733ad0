import ArgumentParser
import Foundation
import LyraBase
import LyraLua
import LyraNotebook

/// `lyra notebook FILE.lua`: runs a jupytext "percent" notebook and writes it with its
/// outputs as Markdown, HTML and/or .ipynb (docs/guide.md#notebooks).
struct NotebookCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "notebook",
    abstract: "Run a Lua notebook (-- %% cells) and render it with its outputs.",
    discussion: """
      Cells: `-- %%` starts a code cell, `-- %% [markdown]` a markdown cell (its lines are \
      `-- text` comments). Tags: `-- %% tags=["hide"]` runs the cell but leaves its code out \
      of the page; tags=["skip"] does not run it.

      The file runs as one Lua chunk, so a `local` of one cell is visible in the next, as in \
      a script (at most 200 top-level locals; the first error stops the run and later cells \
      are marked not run). A cell ending in an expression shows its value as the REPL does \
      (a trailing `;` hides it); display(x) shows plots, image tensors and tables as rich \
      output. Printed text (print, io.write, stderr) is captured per cell.

      Output goes to DIR (default: the notebook's folder) as NAME.md (+ NAME_files/ for \
      pictures), NAME.html (self-contained) or NAME.ipynb (nbformat 4). Without --to, \
      Markdown is written, unless --check alone is given (then nothing is written).
      """)

  @Argument(help: "The notebook: a .lua file with -- %% cell markers.")
  var file: String

  @Option(name: .customLong("to"), help: ArgumentHelp("Output format: md, html or ipynb (repeatable, or comma-separated).", valueName: "FORMAT"))
  var formats: [String] = []

  @Option(name: .customShort("o"), help: ArgumentHelp("Folder for the outputs (created if missing).", valueName: "DIR"))
  var output: String?

  @Flag(help: "Exit with status 1 when a cell fails (for CI).")
  var check = false

  @OptionGroup var sandbox: SandboxFlags

  enum Format: String, CaseIterable { case md, html, ipynb }

  func validate() throws {
    _ = try parsedFormats()
  }

  func parsedFormats() throws -> [Format] {
    var out: [Format] = []
    for f in formats.flatMap({ $0.split(separator: ",") }) {
      let name = f.trimmingCharacters(in: .whitespaces).lowercased()
      let alias = ["markdown": "md", "htm": "html", "jupyter": "ipynb"][name] ?? name
      guard let fmt = Format(rawValue: alias) else {
        throw ValidationError("unknown format '\(name)' for --to (expected md, html or ipynb)")
      }
      if !out.contains(fmt) { out.append(fmt) }
    }
    if out.isEmpty && formats.isEmpty && !check { out = [.md] }
    return out
  }

  func run() throws {
    let formats = try parsedFormats()
    guard let data = FileManager.default.contents(atPath: file) else { throw fail("cannot read \(file)") }
    let notebook: LyraNotebook.Notebook
    do { notebook = try NotebookParser.parse(String(decoding: data, as: UTF8.self), path: file) } catch { throw fail("\(error)") }
    let host: LyraHost
    let sandboxOptions = sandbox.options()
    do {
      host = try LyraHost()
      if let o = sandboxOptions { try Sandbox.apply(host, o) }
    } catch { throw fail("\(error)") }
    host.setScriptArguments(interpreter: [CommandLine.arguments.first ?? "lyra", "notebook"], script: file, arguments: [])
    let result: NotebookRun
    do { result = try NotebookRunner(host: host).run(notebook) } catch { throw fail("\(error)") }
    report(result)
    let dir = output ?? PathText.folder(file)
    let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    if let o = sandboxOptions, !formats.isEmpty {
      // The outputs are written by Swift, after the run: the same check as every Lua-side writer.
      do { try SandboxPaths(root: o.root).checkWritable(dir + "/" + stem + ".md", by: "lyra notebook -o") } catch { throw fail("\(error)") }
    }
    do {
      for f in formats { print("wrote " + (try write(result, format: f, dir: dir, stem: stem))) }
    } catch {
      throw fail("\(error)")
    }
    if check && result.failed { throw ExitCode(1) }
  }

  /// One line per run to stderr, plus the error of the failed cell.
  func report(_ run: NotebookRun) {
    var text = "\(file): \(run.summary)\n"
    if let k = run.failedCell {
      for case .error(_, _, let trace) in run.outcomes[k].outputs { text += "cell \(k + 1): " + trace.joined(separator: "\n") + "\n" }
    }
    FileHandle.standardError.write(Data(text.utf8))
  }

  func write(_ run: NotebookRun, format: Format, dir: String, stem: String) throws -> String {
    let fm = FileManager.default
    try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = (dir as NSString).appendingPathComponent(stem + "." + format.rawValue)
    switch format {
    case .md:
      let folder = stem + "_files"
      let (text, files) = MarkdownRenderer(run).render(assetsFolder: folder)
      let assets = (dir as NSString).appendingPathComponent(folder)
      try? fm.removeItem(atPath: assets) // pictures of an earlier run must not linger
      if !files.isEmpty { try fm.createDirectory(atPath: assets, withIntermediateDirectories: true) }
      for (name, data) in files { try data.write(to: URL(fileURLWithPath: (assets as NSString).appendingPathComponent(name)), options: .atomic) }
      try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    case .html:
      try Data(HTMLRenderer(run).render().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    case .ipynb:
      try Data(IpynbRenderer(run).render().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
    return path
  }

  func fail(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("lyra notebook: \(message)\n".utf8))
    return ExitCode(1)
  }
}
