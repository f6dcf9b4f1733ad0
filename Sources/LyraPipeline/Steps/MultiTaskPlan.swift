import LyraBase

/// What a `MultiTaskPipeStep` trains (VEGA's multi_task_pipe_step.py): `pipe_step.tasks`
/// names sections of the step, each a task with its own `model`, `dataset` and `trainer`
/// (the step's own sections are their defaults, the task's keys win, as VEGA merges a
/// task's section over the step's); `pipe_step.multi_task_epochs` rounds [1], each
/// training every task in turn for its `trainer.epochs`.
///
/// What the tasks share: VEGA trains one model id, each task loading the last task's
/// weights with `strict=False`, so every weight of the same name and shape carries over.
/// Lyra makes that a rule on the parts of `model_desc.modules`: a part named in every
/// task, described the same, is shared (the backbone); the others (the heads) belong to
/// their task, which gets them back at its next turn. Two heads described alike would be
/// shared, as in VEGA: name them apart (`head_a`, `head_b`) to keep them apart.
///
/// Lyra trains classification tasks; a segmentation task (VEGA's example pairs one with a
/// classification task) is named by the check and stops the run before anything trains.
struct MultiTaskPlan {
  struct Task {
    var name: String
    /// The task's section over the step's defaults: `model`, `dataset`, `trainer`, `evaluator`.
    var section: JSON
    /// The parts of its `model_desc.modules`.
    var parts: [String]
  }

  static let type = "MultiTaskPipeStep"
  /// The keys a task section may hold.
  static let taskKeys = ["model", "dataset", "trainer", "evaluator"]
  /// Names that only segmentation tasks use in VEGA (networks, data sets, metrics, losses).
  static let segmentationNames: Set<String> = [
    "MicroDecoder", "Seghead", "AdelaideFastNAS", "Cityscapes", "Voc2012", "IoUMetric", "ProbOhemCrossEntropy2d",
  ]

  var tasks: [Task] = []
  var rounds = 1
  /// The shared parts (in the first task's order).
  var shared: [String] = []

  /// The step's schema: a multi-task step's `pipe_step` keys and one section per task
  /// (`ConfigSchema.step` for every other step).
  static func schema(_ section: JSON) -> ConfigSchema.Node {
    guard section["pipe_step"]?["type"]?.string == type, case .keys(var keys) = ConfigSchema.step else { return ConfigSchema.step }
    keys["pipe_step"] = .keys(["type": nil, "tasks": nil, "multi_task_epochs": nil, "alias": nil])
    var task: [String: ConfigSchema.Node?] = [:]
    for k in taskKeys { task[k] = keys[k] ?? nil }
    for name in section["pipe_step"]?["tasks"]?.array?.compactMap(\.string) ?? [] where keys[name] == nil {
      keys[name] = .keys(task)
    }
    for name in unlisted(section) { keys[name] = .some(nil) } // warned about and ignored
    return .keys(keys)
  }

  /// Task sections `tasks` leaves out (a mapping of task keys only, its name not close to
  /// a step key or a listed task, which would make it a typo): ignored, as VEGA ignores
  /// them, with a warning — so a task is dropped by taking it out of the list.
  static func unlisted(_ section: JSON) -> [String] {
    guard section["pipe_step"]?["type"]?.string == type, let o = section.object, case .keys(let stepKeys) = ConfigSchema.step else { return [] }
    let listed = section["pipe_step"]?["tasks"]?.array?.compactMap(\.string) ?? []
    return o.keys.sorted().filter { k in
      guard stepKeys[k] == nil, !listed.contains(k), let sub = o[k]?.object, !sub.isEmpty, sub.keys.allSatisfy(taskKeys.contains) else { return false }
      return Suggest.closest(k, in: Array(stepKeys.keys) + listed) == nil
    }
  }

  /// One warning per task section that `pipe_step.tasks` does not name.
  static func warnings(steps: [(name: String, section: JSON)], warn: (String?, String) -> ConfigError) -> [ConfigError] {
    steps.flatMap { name, section in
      unlisted(section).map { warn("\(name).\($0)", "task section '\($0)' is not named in pipe_step.tasks and is ignored") }
    }
  }

  /// Reads the plan; every problem goes to `problems` (key and line through `config`).
  init(step: PipelineConfig.Step, config: PipelineConfig, problems: inout [ConfigError]) {
    let ps = "\(step.name).pipe_step"
    if let r = step.section["pipe_step"]?["multi_task_epochs"] {
      if let n = r.int, n >= 1 { rounds = n } else {
        problems.append(config.error("\(ps).multi_task_epochs", "expected a whole number of rounds ≥ 1, got \(r.text)"))
      }
    }
    guard let list = step.section["pipe_step"]?["tasks"]?.array, !list.isEmpty else {
      problems.append(config.error(ps, "MultiTaskPipeStep needs tasks: [names], one section of this step per task"))
      return
    }
    var defaults = step.section.object ?? [:]
    defaults = defaults.filter { Self.taskKeys.contains($0.key) }
    for entry in list {
      guard let name = entry.string, !name.isEmpty else {
        problems.append(config.error("\(ps).tasks", "expected task names (strings), got \(entry.text)"))
        continue
      }
      let key = "\(step.name).\(name)"
      if tasks.contains(where: { $0.name == name }) { problems.append(config.error("\(ps).tasks", "task '\(name)' is listed twice")); continue }
      if case .keys(let stepKeys) = ConfigSchema.step, stepKeys[name] != nil {
        problems.append(config.error("\(ps).tasks", "'\(name)' is a key of every step, not a task name: rename the task"))
        continue
      }
      guard let own = step.section[name], own.object != nil else {
        problems.append(config.error("\(ps).tasks", "task '\(name)' has no section \(key) (with its model, dataset and trainer)"))
        continue
      }
      let section = ConfigRefs.merge(.object(defaults), own)
      if let marks = Self.segmentationMarks(section), !marks.isEmpty {
        problems.append(config.error(key, "task '\(name)' is segmentation (\(marks.joined(separator: ", "))), out of scope: " +
                                     "Lyra trains classification tasks; remove it from pipe_step.tasks"))
        continue
      }
      let desc = section["model"]?["model_desc"]
      guard let parts = desc?["modules"]?.array?.compactMap(\.string), parts.count >= 2 else {
        problems.append(config.error("\(key).model.model_desc", "a task's model is written as modules: [backbone, head] " +
                                     "(the parts every task names alike are shared, the rest are the task's own)"))
        continue
      }
      tasks.append(Task(name: name, section: section, parts: parts))
    }
    guard let first = tasks.first, tasks.count == list.count else { return }
    shared = first.parts.filter { part in
      tasks.allSatisfy { $0.parts.contains(part) && $0.section["model"]?["model_desc"]?[part] == first.section["model"]?["model_desc"]?[part] }
    }
    if shared.isEmpty && tasks.count > 1 {
      problems.append(config.error("\(ps).tasks", "the tasks share no part: name the shared part (e.g. backbone) in every task's " +
                                   "model_desc.modules and describe it the same"))
    }
  }

  /// The segmentation-only names a task section uses (nil or empty: none).
  static func segmentationMarks(_ section: JSON) -> [String]? {
    var found: [String] = []
    func walk(_ v: JSON) {
      if let s = v.string, segmentationNames.contains(s), !found.contains(s) { found.append(s) }
      if let o = v.object { for k in o.keys.sorted() { walk(o[k]!) } }
      if let a = v.array { a.forEach(walk) }
    }
    walk(section)
    return found
  }

  /// Whether a state-dict name belongs to a shared part (`backbone.…`).
  func isShared(_ name: String) -> Bool {
    shared.contains { name.hasPrefix($0 + ".") }
  }
}
