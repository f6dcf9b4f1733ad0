import CLua
import LyraBase
import LyraPipeline
import LyraSearch
import LyraTensor

/// A Lua table's methods called by name in protected mode (`self` first).
final class LuaObject {
  let table: LuaRef
  let name: String
  private var methods: [String: LuaRef] = [:]

  /// Holds the table at the top of `s` and its functions named in `hooks`.
  init(stack s: LuaStack, state: LuaState, name: String, hooks: [String]) throws {
    guard s.type(-1) == .table else { throw LuaFailure("\(name) must be a table, got \(s.typeName(-1))") }
    self.name = name
    let t = s.absIndex(-1)
    table = LuaRef(state: state, L: s.L, index: t)
    for h in hooks {
      let kind = try s.field(t, h)
      if kind == .function { methods[h] = LuaRef(state: state, L: s.L, index: -1) } else if kind != .nil {
        s.pop()
        throw LuaFailure("\(name).\(h) must be a function, got \(kind)")
      }
      s.pop()
    }
  }

  func has(_ method: String) -> Bool { methods[method] != nil }

  /// A field of the table read as a Lua value (at registration time).
  static func field(_ s: LuaStack, _ key: String) -> LuaValue {
    s.rawGet(-1, key)
    defer { s.pop() }
    return s.value(-1)
  }

  /// Calls `method(self, ...)` with what `push` pushes; nil when the table has no such method.
  @discardableResult
  func call(_ method: String, push: (LuaStack) -> Int32 = { _ in 0 }) throws -> LuaValue? {
    guard let f = methods[method] else { return nil }
    do {
      return try f.call(nresults: 1, pushArgs: { s in
        table.push(to: s)
        return 1 + push(s)
      }, readResults: { s in s.value(-1) })
    } catch let e as LuaError { throw LuaFailure("\(name):\(method): \(e.message)") }
  }
}

/// A metric written in Lua (lyra.pipeline.register_metric).
final class LuaMetric: Metric {
  let name: String
  let objective: Direction
  let object: LuaObject

  init(name: String, stack s: LuaStack, state: LuaState) throws {
    self.name = name
    object = try LuaObject(stack: s, state: state, name: "metric '\(name)'", hooks: ["reset", "update", "summary"])
    guard object.has("update"), object.has("summary") else { throw LuaFailure("metric '\(name)' needs update(self, output, target) and summary(self)") }
    switch LuaObject.field(s, "objective") {
    case .nil, .string("max"), .string("MAX"): objective = .maximize
    case .string("min"), .string("MIN"): objective = .minimize
    case let v: throw LuaFailure("metric '\(name)': objective must be 'max' or 'min', got \(v)")
    }
  }

  func reset() { _ = try? object.call("reset") }

  func update(output: Tensor, target: Tensor) throws {
    // Labels are 1..C on the Lua side, as everywhere in lyra.
    let t = target.dtype == .int32 ? Tensor(indices: target.toIntArray().map { $0 + 1 }, shape: target.shape) : target
    let out = output.detach()
    try object.call("update") { s in
      TensorLua.push(out, s)
      TensorLua.push(t, s)
      return 2
    }
  }

  func summary() throws -> [String: Double] {
    switch try object.call("summary") {
    case .integer(let i)?: return [name: Double(i)]
    case .number(let d)?: return [name: d]
    case .table(_, let f)?:
      var out: [String: Double] = [:]
      for (k, v) in f {
        switch v {
        case .integer(let i): out[k] = Double(i)
        case .number(let d): out[k] = d
        default: throw LuaFailure("metric '\(name)': summary value '\(k)' is not a number")
        }
      }
      guard out[name] != nil else { throw LuaFailure("metric '\(name)': the summary table must hold '\(name)'") }
      return out
    case let v: throw LuaFailure("metric '\(name)': summary() must return a number or a table of numbers, got \(v.map { "\($0)" } ?? "nothing")")
    }
  }
}

/// A trainer callback written in Lua (lyra.pipeline.register_callback).
final class LuaTrainerCallback: TrainerCallback {
  static let hooks = ["init_trainer", "before_train", "before_epoch", "after_epoch", "before_train_step", "after_train_step",
                      "before_valid", "after_valid", "after_train"]
  let object: LuaObject
  let label: String
  let order: Int

  init(name: String, stack s: LuaStack, state: LuaState) throws {
    label = name
    object = try LuaObject(stack: s, state: state, name: "callback '\(name)'", hooks: LuaTrainerCallback.hooks)
    switch LuaObject.field(s, "priority") {
    case .nil: order = 100
    case .integer(let p): order = p
    case let v: throw LuaFailure("callback '\(name)': priority must be an integer, got \(v)")
    }
    super.init()
  }

  override var priority: Int { order }
  override var name: String { label }

  /// What a hook sees of the trainer (VEGA's `logs`), as a Lua table.
  func info() -> LuaValue {
    guard let t = trainer else { return .nil }
    var f: [String: LuaValue] = ["trial": .string(t.trialID), "epoch": .integer(t.epoch + 1), "epochs": .integer(t.epochs),
                                 "step": .integer(t.globalStep), "lr": .number(t.logs.lr)]
    if let l = t.logs.loss { f["loss"] = .number(l) }
    if let l = t.logs.trainLoss { f["train_loss"] = .number(l) }
    if let l = t.logs.validLoss { f["valid_loss"] = .number(l) }
    f["perfs"] = .table(array: [], fields: t.logs.currentPerfs.mapValues { .number($0) })
    f["best"] = .table(array: [], fields: t.logs.bestPerfs.mapValues { .number($0) })
    return .table(array: [], fields: f)
  }

  private func hook(_ h: String) throws {
    guard object.has(h) else { return }
    let info = info(), model = trainer?.model
    try object.call(h) { s in
      s.push(info)
      guard let model else { return 1 }
      ModuleLua.push(model, s)
      return 2
    }
  }

  override func initTrainer() throws { try hook("init_trainer") }
  override func beforeTrain() throws { try hook("before_train") }
  override func beforeEpoch(_ epoch: Int) throws { try hook("before_epoch") }
  override func afterEpoch(_ epoch: Int) throws { try hook("after_epoch") }
  override func beforeTrainStep(_ step: Int) throws { try hook("before_train_step") }
  override func afterTrainStep(_ step: Int) throws { try hook("after_train_step") }
  override func beforeValid() throws { try hook("before_valid") }
  override func afterValid() throws { try hook("after_valid") }
  override func afterTrain() throws { try hook("after_train") }
}
