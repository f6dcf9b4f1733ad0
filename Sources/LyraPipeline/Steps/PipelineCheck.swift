import Foundation
import LyraBase

extension Pipeline {
  /// Every problem of a config, found before any step runs and before a task folder
  /// exists (issue 18): the schema and value ranges of every section (`PipelineConfig`),
  /// the step names, the plug-ins, then each step's contents (`StepCheck`). Empty when
  /// the config is valid. `lyra run --check` prints these; `Pipeline.init` throws them.
  ///
  /// `seed`: the seed the search will use (`--seed`), for the sampled trial a search step
  /// is checked with; default `general.seed`.
  public static func problems(raw: JSON, file: String = "(lua)", lines: [String: Int] = [:], seed: UInt64? = nil) -> [ConfigError] {
    let config: PipelineConfig
    do { config = try PipelineConfig(json: raw, file: file, lines: lines, collecting: true) } catch {
      return ConfigProblems.list(error) ?? [ConfigError(file: file, line: nil, key: nil, message: "\(error)")]
    }
    var out = config.problems
    if let store = config.general["store"], let problem = StoreLocation.problem(store) { out.append(config.error("general.store", problem)) }
    for step in config.steps {
      if let problem = TaskNames.stepProblem(step.name) { out.append(config.error("pipeline", problem)) }
    }
    LyraPipeline.bootstrap() // the lyra.trainer executor; checkpoints of ResNet/DNet/... reload by type name
    // A plug-in's error is a config error, and its names exist for the steps' checks.
    do { try Plugins.load(config.general) } catch {
      return out + [config.error("general.plugins", "\(error)")]
    }
    // A negative or huge seed is one of the problems above; the check goes on with 0.
    let s = seed ?? UInt64(exactly: config.general["seed"]?.int ?? 0) ?? 0
    for step in config.steps { out += StepCheck(config: config, step: step, seed: s).problems() }
    out += CompressionCallbacks.problems(config)
    return oncePerValue(withoutInherited(out, raw: raw))
  }

  /// One problem per value: the range check of `ConfigValueLimits` and the reader of the
  /// value (the loader, the algorithm's policy) both refuse `max_samples: -3`; the first
  /// (the range check) is kept. Only keys of single values (three parts or more) are
  /// merged: a section (`hpo.dataset`) may have several problems of its own.
  static func oncePerValue(_ problems: [ConfigError]) -> [ConfigError] {
    var seen = Set<String>()
    return problems.filter { p in
      guard let k = p.key, k.split(separator: ".").count >= 3 else { return true }
      return seen.insert(k).inserted
    }
  }

  /// The problems left once those a `ref:` copied are dropped: `fully_train.trainer.loss`
  /// inherited from `hpo.trainer` (the section does not set `loss` itself) is the problem
  /// already named at `hpo.trainer.loss`, and is one problem, to fix in one place.
  static func withoutInherited(_ problems: [ConfigError], raw: JSON) -> [ConfigError] {
    let refs = ConfigRefs.references(raw, path: "")
    return problems.filter { p in
      guard let key = p.key else { return true }
      for r in refs where key == r.path {
        // About the section as a whole: inherited when the section sets nothing but `ref`.
        let own = ConfigRefs.lookup(r.path, in: raw.object ?? [:])?.object?.keys.filter { $0 != "ref" } ?? []
        if own.isEmpty, problems.contains(where: { $0.key == r.target && $0.message == p.message }) { return false }
      }
      for r in refs where key.hasPrefix(r.path + ".") {
        let rest = key.dropFirst(r.path.count + 1)
        let first = String(rest.prefix { $0 != "." && $0 != "[" })
        let local = ConfigRefs.lookup(r.path, in: raw.object ?? [:])?[first]
        if local == nil, problems.contains(where: { $0.key == "\(r.target).\(rest)" && $0.message == p.message }) { return false }
      }
      return true
    }
  }
}

extension Pipeline {
  /// What a run of this config would leave out (`ConfigWarnings`), for `lyra run --check`;
  /// empty when the config does not even read (its problems say why).
  public static func warnings(raw: JSON, file: String = "(lua)", lines: [String: Int] = [:]) -> [ConfigError] {
    (try? PipelineConfig(json: raw, file: file, lines: lines, collecting: true))?.warnings ?? []
  }
}
