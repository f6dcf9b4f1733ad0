import CRuntime
import Foundation
import LyraLua
import LyraPipeline

/// `lyra run CFG.yml`: the pipeline from a YAML config (new task, or `--resume TASK`).
enum RunPipeline {
  static func run(file: String, resume: String?, workers: Int?, seed: UInt64?, sets: [String] = []) -> Int32 {
    lyra_sigint_install() // Ctrl-C stops the search cleanly; the task can be resumed
    PluginHost.install()
    do {
      let doc = try YAMLDocument(contentsOf: file)
      let p = sets.isEmpty ? try Pipeline(document: doc, resume: resume)
        : try Pipeline(raw: try ConfigOverrides.apply(doc.value, sets), file: doc.file, lines: doc.lines, sourceText: doc.text, resume: resume)
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
      FileHandle.standardError.write(Data("lyra run: \(error)\n".utf8))
      return 1
    }
  }
}
