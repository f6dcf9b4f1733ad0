import Foundation
import LyraBase
import LyraNN

/// A pipeline config in VEGA's schema (docs/config.md): `general`, `pipeline: [steps]`, one
/// section per step, resolved: `ref:` merged, `{local_base_path}` replaced, old step
/// type names mapped, every key checked against the schema (errors name file, line, key).
public struct PipelineConfig {
  public struct Step {
    public var name: String
    /// `SearchPipeStep`, `TrainPipeStep`, `BenchmarkPipeStep` or `MultiTaskPipeStep` (old
    /// names and the data-parallel train steps mapped).
    public var type: String
    /// The step's section with references merged.
    public var section: JSON
  }

  public var general: JSON
  public var steps: [Step]
  /// The whole resolved tree (what is saved with the task).
  public var resolved: JSON
  /// The task folder `{local_base_path}` stands for: files under it may be written by an
  /// earlier step, so they are checked when their step starts, not when the config is read.
  public private(set) var taskFolder = "./tasks"
  public let file: String
  let lines: [String: Int]
  /// The problems found while reading, when the reader was asked to collect them
  /// (`collecting: true`); otherwise the reader threw them.
  public private(set) var problems: [ConfigError] = []
  /// What the run leaves out without stopping (`ConfigWarnings`): `lyra run` prints them
  /// as `warning:` lines, the pipeline's log records them.
  public private(set) var warnings: [ConfigError] = []

  /// Old step names (VEGA ≤ 1.2) and the names they became.
  public static let stepAliases = ["NasPipeStep": "SearchPipeStep", "HpoPipeStep": "SearchPipeStep",
                                   "FullyTrainPipeStep": "TrainPipeStep", "SearchPipeStep": "SearchPipeStep",
                                   "TrainPipeStep": "TrainPipeStep", "BenchmarkPipeStep": "BenchmarkPipeStep"]
    .merging(DataParallelSteps.aliases) { a, _ in a }.merging([MultiTaskPlan.type: MultiTaskPlan.type]) { a, _ in a }

  public init(contentsOf path: String, taskFolder: String? = nil) throws {
    try self.init(document: try YAMLDocument(contentsOf: path), taskFolder: taskFolder)
  }

  public init(document: YAMLDocument, taskFolder: String? = nil) throws {
    try self.init(json: document.value, file: document.file, lines: document.lines, taskFolder: taskFolder)
  }

  /// From a tree built elsewhere (a Lua table); errors name `file` without lines.
  ///
  /// Problems of keys and values are collected (one `ConfigError` each, see `ConfigProblems`);
  /// only a config without the shape to go on (no `pipeline`, a step without its section,
  /// a broken `ref:`) stops the reading at once. `collecting: true` keeps the collected
  /// problems in `problems` (steps of an unknown type left out) instead of throwing them,
  /// so a check can add those of each step's contents (`Pipeline.problems`).
  public init(json: JSON, file: String = "(config)", lines: [String: Int] = [:], taskFolder: String? = nil, collecting: Bool = false) throws {
    self.file = file
    self.lines = lines
    func fail(_ key: String?, _ message: String) -> ConfigError {
      ConfigError(file: file, line: key.flatMap { lines[$0] }, key: key, message: message)
    }
    guard let top = json.object else { throw fail(nil, "a pipeline config must be a mapping with 'pipeline' and one section per step") }
    guard let list = top["pipeline"] else { throw fail(nil, "missing 'pipeline' (the list of step names)") }
    guard let names = list.array?.compactMap(\.string), names.count == list.array?.count, !names.isEmpty else {
      throw fail("pipeline", "must be a non-empty list of step names")
    }
    for (i, n) in names.enumerated() where names[..<i].contains(n) { throw fail("pipeline", "step '\(n)' is listed twice") }
    var found: [ConfigError] = []
    var warned: [ConfigError] = []
    // A section `pipeline` leaves out is ignored, as VEGA does (its examples keep unused
    // steps); one named like `general`, `pipeline` or a step is a typo, and an error.
    for k in top.keys.sorted() where k != "general" && k != "pipeline" && !names.contains(k) {
      if let near = Suggest.closest(k, in: ["general", "pipeline"] + names) {
        found.append(fail(k, "unknown top-level key '\(k)' (did you mean '\(near)'?); sections must be named in 'pipeline'"))
      } else {
        warned.append(fail(k, "section '\(k)' is not named in 'pipeline' and is ignored"))
      }
    }
    var general = top["general"] ?? .object([:])
    guard general.object != nil else { throw fail("general", "must be a mapping") }
    found += ConfigSchema.check(general, schema: ConfigSchema.general, path: "general", fail: fail)
    if let p = general["plugins"] {
      // Relative to the config file (so a config and its plugins move together); a Lua
      // table config has no file, so its plugins are relative to the working directory.
      let folder = file.hasPrefix("(") ? FileManager.default.currentDirectoryPath : PathText.parent(file)
      var g = general.object ?? [:]
      g["plugins"] = try Plugins.resolve(p, relativeTo: folder.isEmpty ? "." : folder) { fail("general.plugins", $0) }
      general = .object(g)
    }
    // References first (they may point into other steps), then placeholders.
    var resolvedTop = top
    resolvedTop["general"] = general
    for n in names {
      guard top[n]?.object != nil else { throw fail(n, "step '\(n)' has no section (a mapping with pipe_step, trainer, ...)") }
      resolvedTop[n] = try ConfigRefs.resolve(top[n]!, path: n, root: top, seen: [], fail: fail)
    }
    let base = taskFolder ?? general["task"]?["local_base_path"]?.string ?? "./tasks"
    self.taskFolder = base
    var resolved = JSON.object(resolvedTop)
    resolved = ConfigRefs.substitute(resolved, ["{local_base_path}": base])
    general = resolved["general"] ?? .object([:])
    var steps: [Step] = []
    for n in names {
      let timm = TimmTrainerSection.translate(resolved[n]!, step: n, fail: fail) // VEGA's timm form → Lyra's
      if var o = resolved.object { o[n] = timm.section; resolved = .object(o) }
      found += timm.problems
      warned += timm.warnings
      found += ConfigSchema.check(resolved[n]!, schema: MultiTaskPlan.schema(resolved[n]!), path: n, fail: fail)
      let (section, fileProblems) = ModelFiles.resolve(resolved[n]!, step: n, taskFolder: base, fail: fail)
      found += fileProblems
      let declared = section["pipe_step"]?["type"]?.string ?? "SearchPipeStep"
      guard let type = PipelineConfig.stepAliases[declared] else {
        let hint = Suggest.hint(declared, in: Array(PipelineConfig.stepAliases.keys))
        found.append(fail("\(n).pipe_step.type", "unknown pipe step type '\(declared)'\(hint)"))
        continue
      }
      steps.append(Step(name: n, type: type, section: section))
    }
    found += ConfigValueLimits.check(general: general, steps: steps.map { ($0.name, $0.section) }, fail: fail)
    if collecting { problems = found } else { try ConfigProblems.throwIfAny(found) }
    warnings = warned + ConfigWarnings.scan(general: general, steps: steps.map { ($0.name, $0.section) }, warn: fail)
    self.general = general
    self.steps = steps
    self.resolved = resolved
  }

  /// The line of a dotted key in the source, when known.
  public func line(of key: String) -> Int? { lines[key] }

  /// An error about `key` in this config, with its line.
  public func error(_ key: String, _ message: String) -> ConfigError {
    ConfigError(file: file, line: lines[key], key: key, message: message)
  }
}
