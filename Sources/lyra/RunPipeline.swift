import CRuntime
import Foundation
import LyraBase
import LyraLua
import LyraPipeline

/// `lyra run CFG.yml`: the pipeline from a YAML config (new task, or `--resume TASK`),
/// `lyra run --resume TASK` from the config the task recorded, or with `--check` only the
/// check of the whole config (nothing created, nothing trained).
enum RunPipeline {
  /// `--steps a,b` (repeatable) / `--from STEP`: which part of the pipeline to run.
  struct Part {
    var steps: [String] = []
    var from: String?
    var names: [String]? {
      let list = steps.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
      return list.isEmpty ? nil : list
    }
  }

  static func run(file: String?, resume: String?, workers: Int?, seed: UInt64?, sets: [String] = [], check: Bool = false,
                  force: Bool = false, part: Part = Part(), localWorkers: Int? = nil, artifacts: String? = nil) -> Int32 {
    lyra_sigint_install() // Ctrl-C stops the run cleanly; the task can be resumed
    PluginHost.install()
    // `--seed S` is `--set general.seed=S`, so it is part of the recorded config and a
    // resume without it keeps the seed the task started with.
    let seedSet = seed.map { "general.seed=\($0)" }
    let sets = sets + (seedSet.map { [$0] } ?? [])
    /// Problems named by the `--set` (or `--seed`) that gave the key.
    func attributed(_ problems: [ConfigError]) -> [ConfigError] {
      ConfigOverrides.attribute(problems, to: sets).map { p in
        guard let seed, p.file == "--set \(seedSet ?? "")" else { return p }
        return ConfigError(file: "--seed \(seed)", line: nil, key: p.key, message: p.message)
      }
    }
    do {
      let base: JSON, name: String, lines: [String: Int], text: String?
      var target: (base: String, id: String)?
      if let file {
        let doc = try YAMLDocument(contentsOf: file)
        (base, name, lines, text) = (doc.value, doc.file, doc.lines, doc.text)
        target = resume.map { Pipeline.resumeTarget($0, tasksFolder: Pipeline.tasksFolder(of: base)) }
      } else {
        guard let resume else {
          FileHandle.standardError.write(Data("lyra run: give a config file (lyra run CFG.yml) or a task to resume (lyra run --resume TASK)\n".utf8))
          return 2
        }
        let t = Pipeline.resumeTarget(resume, tasksFolder: "./tasks")
        (base, name) = try Pipeline.recordedConfig(tasksFolder: t.base, taskID: t.id)
        (lines, text, target) = ([:], nil, t)
      }
      let raw = sets.isEmpty ? base : try ConfigOverrides.apply(base, sets)
      // --artifacts is checked before a task is created: a refused scheme, or SQLite, leaves nothing behind.
      let artifactsDir = try artifacts.map(ArtifactsDirectory.parse)
      if artifactsDir != nil, !PostgresLocation.isPostgres(raw["general"]?["store"]?.string ?? "") {
        FileHandle.standardError.write(Data("lyra run: --artifacts is for a PostgreSQL store (--store postgresql://…): with SQLite the trial files are in the task folder already\n".utf8))
        return 2
      }
      if check {
        let problems = attributed(Pipeline.problems(raw: raw, file: name, lines: lines))
        for w in Pipeline.warnings(raw: raw, file: name, lines: lines) { FileHandle.standardError.write(Data("lyra run: warning: \(w)\n".utf8)) }
        guard problems.isEmpty else { return report(problems) }
        print(file.map { "\($0): the config is valid" } ?? "task \(resume ?? ""): the recorded config is valid")
        return 0
      }
      // The selection is checked before a new task is created (a fresh task has no finished step).
      let names = raw["pipeline"]?.array?.compactMap(\.string) ?? []
      let only = try Pipeline.selectSteps(part.names, from: part.from, names: names)
      if let only, target == nil { try Pipeline.checkSelection(only, names: names, option: part.from == nil ? "--steps" : "--from") { _ in false } }
      let p = try Pipeline(raw: raw, file: name, lines: lines, sourceText: text, resume: target?.id, tasksFolder: target?.base,
                           force: force, command: CommandLine.arguments)
      p.workers = workers
      p.localWorkers = localWorkers
      try p.store.useArtifacts(artifactsDir, coordinator: true)
      if !p.forcedChanges.isEmpty {
        print("--force: task \(p.taskID) now runs with the new config (recorded in the task):")
        for c in p.forcedChanges { print("  \(c)") }
      }
      let summary = try p.run(only: only)
      if summary.interrupted { return 130 } // the pipeline printed the resume command
      if !summary.notRun.isEmpty {
        print("task \(summary.taskID): stopped before \(summary.notRun.joined(separator: ", ")) (not selected)")
        return 0
      }
      let layout = TaskLayout(root: summary.root)
      let report = layout.reportHTML
      print("task \(summary.taskID) finished: \(layout.reports)")
      if FileManager.default.fileExists(atPath: report) { print("report: \(report)") }
      return 0
    } catch {
      if let problems = ConfigProblems.list(error) { return report(attributed(problems)) }
      FileHandle.standardError.write(Data("lyra run: \(Redact.urls(in: "\(error)"))\n".utf8))
      return 1
    }
  }

  /// One problem as one line (as before), several as a count and a line each. Exit 1.
  static func report(_ problems: [ConfigError]) -> Int32 {
    let text = problems.count == 1 ? "lyra run: \(problems[0])\n"
      : "lyra run: \(problems.count) problems in the config:\n" + problems.map { "  \($0)\n" }.joined()
    FileHandle.standardError.write(Data(Redact.urls(in: text).utf8))  // a --set general.store=URL may hold a password
    return 1
  }
}
