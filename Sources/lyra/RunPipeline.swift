import CRuntime
import Foundation
import LyraLua
import LyraPipeline

/// `lyra run CFG.yml`: the pipeline from a YAML config (new task, or `--resume TASK`), or
/// with `--check` only the check of the whole config (nothing created, nothing trained).
enum RunPipeline {
  static func run(file: String, resume: String?, workers: Int?, seed: UInt64?, sets: [String] = [], check: Bool = false) -> Int32 {
    lyra_sigint_install() // Ctrl-C stops the search cleanly; the task can be resumed
    PluginHost.install()
    do {
      let doc = try YAMLDocument(contentsOf: file)
      let raw = sets.isEmpty ? doc.value : try ConfigOverrides.apply(doc.value, sets)
      if check {
        let problems = ConfigOverrides.attribute(Pipeline.problems(raw: raw, file: doc.file, lines: doc.lines, seed: seed), to: sets)
        guard problems.isEmpty else { return report(problems) }
        print("\(file): the config is valid")
        return 0
      }
      let p = try Pipeline(raw: raw, file: doc.file, lines: doc.lines, sourceText: doc.text, resume: resume)
      p.workers = workers
      p.seedOverride = seed
      let summary = try p.run()
      if summary.interrupted {
        print("interrupted; resume with: lyra run \(file) --resume \(summary.taskID)" + sets.map { " --set \($0)" }.joined())
        return 130
      }
      let layout = TaskLayout(root: summary.root)
      let report = layout.reportHTML
      print("task \(summary.taskID) finished: \(layout.reports)")
      if FileManager.default.fileExists(atPath: report) { print("report: \(report)") }
      return 0
    } catch {
      if let problems = ConfigProblems.list(error) { return report(ConfigOverrides.attribute(problems, to: sets)) }
      FileHandle.standardError.write(Data("lyra run: \(error)\n".utf8))
      return 1
    }
  }

  /// One problem as one line (as before), several as a count and a line each. Exit 1.
  static func report(_ problems: [ConfigError]) -> Int32 {
    let text = problems.count == 1 ? "lyra run: \(problems[0])\n"
      : "lyra run: \(problems.count) problems in the config:\n" + problems.map { "  \($0)\n" }.joined()
    FileHandle.standardError.write(Data(text.utf8))
    return 1
  }
}
