import CLua
import Foundation
import LyraBase
import LyraSearch
import LyraSpace

/// `lyra.search.*`: every algorithm behind one ask/tell object (docs/architecture.md#ask-and-tell).
final class SearchBox {
  let algorithm: SearchAlgorithm
  let kind: String
  var trials: [Int: Trial] = [:]
  init(_ algorithm: SearchAlgorithm, kind: String) {
    self.algorithm = algorithm
    self.kind = kind
  }
}

enum SearchLua {
  static let className = "lyra.search.Search"

  static func check(_ call: LuaCall, _ i: Int) throws -> SearchBox { try call.object(i, SearchBox.self, what: className) }

  static func trialValue(_ t: Trial) -> LuaValue {
    var f: [String: LuaValue] = ["id": .integer(t.id), "config": LuaJSON.lua(t.config)]
    if let b = t.budget { f["budget"] = b == b.rounded() && abs(b) < 1e15 ? .integer(Int(b)) : .number(b) }
    if let r = t.rung { f["rung"] = .integer(r) }
    if let b = t.bracket { f["bracket"] = .integer(b) }
    if let p = t.resumeFrom { f["resume_from"] = .integer(p) }
    return .table(array: [], fields: f)
  }

  static func resultValue(_ t: Trial, _ r: TrialResult) -> LuaValue {
    guard case .table(_, var f) = trialValue(t) else { return .nil }
    f["metrics"] = .table(array: [], fields: r.metrics.mapValues { .number($0) })
    f["status"] = .string(r.status.rawValue)
    return .table(array: [], fields: f)
  }

  /// The trial id of argument i: a trial table (its `id`) or a number.
  static func trialID(_ call: LuaCall, _ i: Int) throws -> Int {
    if call.stack.type(Int32(i)) == .number { return try call.integer(i) }
    guard call.stack.type(Int32(i)) == .table else { throw call.expected(i, "trial (a table from ask) or trial id") }
    call.stack.rawGet(Int32(i), "id")
    defer { call.stack.pop() }
    guard let id = call.stack.toInteger(-1) else { throw LuaArgumentError(i, "the trial has no id") }
    return id
  }

  /// Metrics `{loss = 0.1}`; nil, false or a table with status = 'failed' mark the trial failed.
  static func result(_ call: LuaCall, _ i: Int) throws -> TrialResult {
    let v = call.stack.value(Int32(i))
    switch v {
    case .nil, .boolean(false): return .failed()
    case .number(let d): return TrialResult(["loss": d])
    case .integer(let n): return TrialResult(["loss": Double(n)])
    case .table(_, let f):
      var m: [String: Double] = [:]
      var status = TrialResult.Status.completed
      for (k, x) in f {
        if k == "status" {
          guard case .string(let s) = x, let st = TrialResult.Status(rawValue: s) else {
            throw LuaArgumentError(i, "status must be 'completed', 'failed' or 'pruned'")
          }
          status = st
        } else if let d = x.number { m[k] = d } else { throw LuaArgumentError(i, "metric '\(k)' must be a number") }
      }
      return TrialResult(m, status: status)
    default: throw call.expected(i, "metrics table")
    }
  }

  static func open(_ state: LuaState) {
    state.defineClass(className, methods: methods, metamethods: [
      LuaMethod("__tostring", help: "") { call in
        let b = try check(call, 1)
        call.push("lyra.search.\(b.kind) (\(b.trials.count) trials asked\(b.algorithm.isDone ? ", done" : ""))")
        return 1
      },
    ])
    for (name, help, build) in SearchFactory.algorithms {
      state.register("lyra.search.\(name)", help: help) { call in
        guard let o = try call.options(1) else { throw call.expected(1, "options table {space = ..., ...}") }
        let alg = try build(call, o)
        try o.finish()
        call.push(object: SearchBox(alg, kind: name), className: className)
        return 1
      }
    }
    NASLua.open(state)
    DartsLua.open(state)
    let s = state.stack
    s.pushTable(path: "lyra.search")
    state.setHelp(-1, name: "lyra.search", help: "lyra.search: search algorithms behind one ask/tell interface (random, grid, hyperband, asha, bohb, tpe, boss, pbt, evolution, pareto, mfasc, mfkd), NAS codecs (lyra.search.codec, lyra.search.nondominated) and lyra.search.minimize.")
    s.pop()
  }

  static var methods: [LuaMethod] {
    [
      LuaMethod("ask", help: "alg:ask() -> trial | nil\nThe next trial {id, config, budget, rung, bracket, resume_from}; nil when nothing can start until running trials are told, or when the search is done.") { call in
        let b = try check(call, 1)
        guard let t = b.algorithm.ask() else { call.pushNil(); return 1 }
        b.trials[t.id] = t
        call.stack.push(trialValue(t))
        return 1
      },
      LuaMethod("tell", help: "alg:tell(trial, metrics)\nReports a result: metrics {loss = 0.09, accuracy = ...} (a number means {loss = n}); nil, false or {status = 'failed'} mark a failure (ranked worst, as are NaN values).") { call in
        let b = try check(call, 1)
        let id = try trialID(call, 2)
        guard b.trials[id] != nil else { throw LuaArgumentError(2, "trial \(id) was not handed out by this search") }
        b.algorithm.tell(id, try result(call, 3))
        return 0
      },
      LuaMethod("report", help: "alg:report(trial, budget, metrics) -> 'continue' | 'stop'\nIntermediate result for ASHA's stopping type: whether the trial should go on training.") { call in
        let b = try check(call, 1)
        guard let asha = b.algorithm as? ASHA else { throw LuaFailure("report is for lyra.search.asha{type = 'stopping'}") }
        let id = try trialID(call, 2)
        guard b.trials[id] != nil else { throw LuaArgumentError(2, "trial \(id) was not handed out by this search") }
        let budget = try call.number(3)
        let r = try result(call, 4)
        call.push(asha.report(id, budget: budget, r.metrics).rawValue)
        return 1
      },
      LuaMethod.returning("done", help: "alg:done() -> boolean\nTrue when no more trials will be handed out and all were told.") { try check($0, 1).algorithm.isDone },
      LuaMethod("best", help: "alg:best() -> {id, config, metrics, budget, ...} | nil\nThe best told trial by the first objective (failures and NaN never best).") { call in
        let b = try check(call, 1)
        if let (t, r) = b.algorithm.best() { call.stack.push(resultValue(t, r)) } else { call.pushNil() }
        return 1
      },
      LuaMethod("pareto", help: "alg:pareto() -> {trials}\nThe non-dominated trials over all objectives.") { call in
        let b = try check(call, 1)
        call.stack.push(.table(array: b.algorithm.paretoFront().map { resultValue($0.trial, $0.result) }, fields: [:]))
        return 1
      },
      LuaMethod.returning("state", help: "alg:state() -> string\nThe whole search state as JSON text; alg:restore(text) on a new search with the same settings resumes it exactly.") { try check($0, 1).algorithm.state().text },
      LuaMethod("restore", help: "alg:restore(text) -> alg\nResumes from alg:state() text (same algorithm and settings, fresh object).") { call in
        let b = try check(call, 1)
        do {
          try b.algorithm.restore(try JSON.parse(Data(try call.string(2).utf8)))
        } catch let e as LuaArgumentError { throw e } catch { throw LuaFailure("\(error)") }
        call.stack.setTop(1)
        return 1
      },
      LuaMethod("schedule", help: "alg:schedule(trial) -> {{budget =, config =}, ...}\nPBT: the hyperparameters a lineage used per interval (to replay in a final training).") { call in
        let b = try check(call, 1)
        guard let pbt = b.algorithm as? PBT else { throw LuaFailure("schedule is for lyra.search.pbt") }
        let id = try trialID(call, 2)
        let rows: [LuaValue] = pbt.schedule(of: id).map {
          .table(array: [], fields: ["budget": .number($0.budget), "config": LuaJSON.lua($0.config)])
        }
        call.stack.push(.table(array: rows, fields: [:]))
        return 1
      },
    ]
  }
}
