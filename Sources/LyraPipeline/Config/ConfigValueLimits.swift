import LyraBase

/// Range checks for the counts, sizes and seeds a config gives (issue 14).
///
/// Why here, at load: the parts that read these values (the pipeline's seed, a search
/// algorithm's population, the trainer's epochs) turn them into unsigned seeds, array
/// sizes and loop bounds; a negative seed trapped converting to `UInt64`, and a PBA
/// `config_count` of 2^32 asked for 64 GiB. Checking every such key once, with the key's
/// path and line, makes a hostile or careless value an error before any step runs.
/// The bounds are far beyond any real run, so they only stop nonsense.
enum ConfigValueLimits {
  /// An integer value's allowed range, and a hint of what the key means.
  struct Limit {
    let range: ClosedRange<Int>
    let what: String
  }

  static let seed = Limit(range: 0...Int(UInt32.max), what: "a seed")
  static let epochs = Limit(range: 0...1_000_000, what: "an epoch count")
  static let population = Limit(range: 0...100_000, what: "a population or trial count")
  static let samples = Limit(range: 0...100_000_000, what: "a sample count")
  static let interval = Limit(range: 0...Int(Int32.max), what: "an interval")

  /// Keys of `general` (dotted below it).
  static let general: [String: Limit] = [
    "seed": seed,
    "workers": Limit(range: 1...4096, what: "a worker count"),
    "threads_per_trial": Limit(range: 1...4096, what: "a thread count"),
  ]

  /// Keys wherever they appear inside a step's trainer, dataset, evaluator and
  /// search_algorithm sections (by their last name: `policy.config_count`,
  /// `dataset.common.batch_size`, `trainer.seed`).
  static let step: [String: Limit] = [
    "seed": seed,
    "epochs": epochs, "each_epochs": epochs, "max_epochs": epochs, "min_epochs": epochs,
    "total_epochs": Limit(range: -1...1_000_000, what: "an epoch count (−1: unset, as in VEGA)"),
    "total_rungs": epochs,
    "batch_size": Limit(range: 1...(1 << 20), what: "a batch size"),
    "config_count": population, "num_individual": population, "num_generation": population, "population": population,
    "num_samples": population, "num_sample": population, "random_samples": population, "sample_size": population,
    "warmup_count": population, "repeat_times": population, "iterations": population, "slices": population,
    "eta": Limit(range: 2...1_000, what: "a reduction factor"),
    "max_samples": samples,
    "num_workers": Limit(range: 0...1024, what: "a worker count"),
    "report_freq": interval, "valid_interval": interval, "step_size": interval, "warmup_iters": interval,
  ]

  /// The step sections the step table applies to (model descriptions and search spaces
  /// have their own readers and keys that may share these names).
  static let checkedSections: Set<String> = ["trainer", "dataset", "evaluator", "search_algorithm"]

  /// Keys whose value must be a string (`quota: "flops < 10"`), as dotted paths below
  /// `general` and below a step: a number or a mapping there was silently ignored (the
  /// reader's `?.string` fell back to the default: no quota, a SearchPipeStep).
  static let generalStrings: Set<String> = ["quota", "backend", "device_category", "task.local_base_path",
                                            "task.backup_base_path", "task.task_id", "logger.level"]
  static let stepStrings: Set<String> = ["quota", "pipe_step.type", "pipe_step.models_folder", "search_algorithm.type",
                                         "dataset.type", "trainer.type", "evaluator.type", "model.model_desc_file",
                                         "model.models_folder", "model.pretrained_model_file"]

  /// Every problem of `general` and of every step section of a resolved config.
  static func check(general section: JSON, steps: [(name: String, section: JSON)], fail: (String?, String) -> ConfigError) -> [ConfigError] {
    var out: [ConfigError] = []
    func note(_ body: () throws -> Void) {
      do { try body() } catch let e as ConfigError { out.append(e) } catch { out.append(fail(nil, "\(error)")) }
    }
    for (k, v) in (section.object ?? [:]).sorted(by: { $0.key < $1.key }) {
      if let limit = ConfigValueLimits.general[k] { note { try checkInt(v, limit, key: "general.\(k)", fail: fail) } }
    }
    for path in generalStrings.sorted() { note { try checkString(section, path: path, prefix: "general", fail: fail) } }
    for (name, stepSection) in steps {
      for path in stepStrings.sorted() { note { try checkString(stepSection, path: path, prefix: name, fail: fail) } }
      for (k, v) in (stepSection.object ?? [:]).sorted(by: { $0.key < $1.key }) where checkedSections.contains(k) {
        walk(v, path: "\(name).\(k)", fail: fail, into: &out)
      }
    }
    return out
  }

  /// Every mapping key below `value` named in `step`.
  static func walk(_ value: JSON, path: String, fail: (String?, String) -> ConfigError, into out: inout [ConfigError]) {
    switch value {
    case .object(let o):
      for (k, v) in o.sorted(by: { $0.key < $1.key }) {
        if let limit = step[k], v.object == nil, v.array == nil {
          do { try checkInt(v, limit, key: "\(path).\(k)", fail: fail) } catch let e as ConfigError { out.append(e) } catch {}
        }
        walk(v, path: "\(path).\(k)", fail: fail, into: &out)
      }
    case .array(let a):
      for (i, v) in a.enumerated() { walk(v, path: "\(path)[\(i + 1)]", fail: fail, into: &out) }
    default:
      break
    }
  }

  static func checkInt(_ v: JSON, _ limit: Limit, key: String, fail: (String?, String) -> ConfigError) throws {
    if v == .null { return }
    guard let i = v.int else {
      throw fail(key, "expected an integer (\(limit.what)) in \(limit.range.lowerBound)…\(limit.range.upperBound), got \(v.text)")
    }
    guard limit.range.contains(i) else {
      throw fail(key, "\(i) is out of range: \(limit.what) must be in \(limit.range.lowerBound)…\(limit.range.upperBound)")
    }
  }

  /// The value at dotted `path` below `root`, when present, must be a string.
  static func checkString(_ root: JSON, path: String, prefix: String, fail: (String?, String) -> ConfigError) throws {
    var v = root
    for part in path.split(separator: ".") {
      guard let next = v.object?[String(part)] else { return }
      v = next
    }
    if v == .null || v.string != nil { return }
    let example = path.hasSuffix("quota") ? " (e.g. quota: \"flops < 10 and params < 100\")" : ""
    throw fail("\(prefix).\(path)", "expected a string\(example), got \(v.text)")
  }
}
