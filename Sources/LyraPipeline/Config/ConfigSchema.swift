import LyraBase
import LyraNN

/// The keys VEGA's schema allows (docs/config.md), checked so a typo is an error naming the
/// key, its line and the closest known name — never a silent default (docs/architecture.md#bad-input).
/// `nil` children mean "any content" (checked later by the part that reads it: the
/// trainer, the search algorithm, the model registry).
enum ConfigSchema {
  indirect enum Node {
    case keys([String: Node?])
  }

  static let general: Node = .keys([
    "backend": nil, "device_category": nil, "parallel_search": nil, "parallel_fully_train": nil,
    "devices_per_trainer": nil, "devices_per_job": nil, "task": .keys(["local_base_path": nil, "backup_base_path": nil, "task_id": nil]),
    "logger": .keys(["level": nil]), "cluster": nil, "worker": .keys(["timeout": nil, "gpus_per_job": nil]), "quota": nil,
    "requires": nil, "clean_worker_dir": nil, "skip_trainer_error": nil, "device_evaluate_before_train": nil,
    "seed": nil, "workers": nil, "threads_per_trial": nil, "plugins": nil, "ms_execute_mode": nil,
    "store": nil,
  ])

  static let step: Node = .keys([
    "pipe_step": .keys(["type": nil, "models_folder": nil, "load_weights": nil, "alias": nil]),
    "dataset": nil, "search_algorithm": nil, "search_space": nil,
    "model": .keys(["model_desc": nil, "model_desc_file": nil, "models_folder": nil, "pretrained_model_file": nil, "head": nil,
                     "strict_load": nil, "need_adjust": nil]),
    "trainer": nil, "evaluator": nil, "quota": nil,
  ])

  /// Every unknown key below `value` (and a non-mapping where a mapping belongs).
  static func check(_ value: JSON, schema: Node, path: String, fail: (String?, String) -> ConfigError) -> [ConfigError] {
    guard case .keys(let known) = schema else { return [] }
    guard let o = value.object else { return [fail(path, "must be a mapping")] }
    var out: [ConfigError] = []
    for k in o.keys.sorted() {
      guard let sub = known[k] else {
        let hint = Suggest.hint(k, in: Array(known.keys))
        out.append(fail("\(path).\(k)", "unknown key '\(k)'\(hint)"))
        continue
      }
      if let sub { out += check(o[k]!, schema: sub, path: "\(path).\(k)", fail: fail) }
    }
    return out
  }
}
