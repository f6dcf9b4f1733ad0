import CLua
import Foundation
import LyraBase
import LyraPipeline
import LyraSpace
import LyraTensor

/// `lyra.space{...}`: VEGA's search spaces from Lua tables (or JSON text), with
/// sampling, encoding, gridding and validation as methods.
final class SpaceBox {
  let space: SearchSpace
  let generator: Generator
  init(_ space: SearchSpace, seed: UInt64) {
    self.space = space
    self.generator = Generator(seed: seed)
  }
}

enum SpaceLua {
  static let className = "lyra.space.Space"

  static func check(_ call: LuaCall, _ i: Int) throws -> SpaceBox { try call.object(i, SpaceBox.self, what: className) }

  /// VEGA's list form passes through; the compact form `{lr = {type = 'FLOAT_EXP', range = {1e-5, 0.1}}}`
  /// becomes the list form with keys sorted.
  static func spaceJSON(_ v: LuaValue) -> JSON {
    guard case .table(let a, let f) = v, a.isEmpty, f["hyperparameters"] == nil, f["search_space"] == nil else {
      return LuaJSON.json(v)
    }
    var list: [JSON] = []
    var rest: [String: JSON] = [:]
    for k in f.keys.sorted() {
      if k == "condition" || k == "conditions" || k == "forbidden" {
        rest[k] = LuaJSON.json(f[k]!)
        continue
      }
      var entry = LuaJSON.json(f[k]!).object ?? ["range": LuaJSON.json(f[k]!)]
      entry["key"] = .string(k)
      list.append(.object(entry))
    }
    rest["hyperparameters"] = .array(list)
    return .object(rest)
  }

  static func make(_ call: LuaCall, _ json: JSON) throws -> Int {
    let space: SearchSpace
    do { space = try SearchSpace(json: json) } catch { throw LuaFailure("\(error)") }
    call.push(object: SpaceBox(space, seed: 0), className: className)
    return 1
  }

  static func open(_ state: LuaState) {
    state.defineClass(className, methods: methods, metamethods: [
      LuaMethod("__tostring", help: "") { call in
        let s = try check(call, 1).space
        let lines = s.parameters.map { "  \($0.key): \($0.type.rawValue) \($0.range)" }
        call.push("lyra.space (\(s.parameters.count) hyperparameters, \(s.dimension) encoded dimensions, \(s.conditions.count) conditions, \(s.forbidden.count) forbidden)\n" + lines.joined(separator: "\n"))
        return 1
      },
    ])
    let newSpace: LuaFunctionBody = { call in
      try call.table(1)
      return try make(call, spaceJSON(call.stack.value(1)))
    }
    state.register("lyra.space.new", help: """
      lyra.space.new(definition) -> space   (also lyra.space(definition))
      A search space from VEGA's list form {hyperparameters = {{key =, type =, range =}, ...}, condition = {...}, forbidden = {...}}
      or the compact form {lr = {type = 'FLOAT_EXP', range = {1e-5, 0.1}}, opt = {type = 'CATEGORY', range = {'SGD', 'Adam'}}}.
      Types: INT, INT_EXP, FLOAT, FLOAT_EXP, CATEGORY, BOOL, BINARY_CODE, HALF, ADJACENCY_LIST, IntArray, MultiPositionArray, BinaryArray.
      """, newSpace)
    state.register("lyra.space.from_yaml", help: """
      lyra.space.from_yaml(text) -> space
      A search space from YAML text in VEGA's form (a `search_space:` section or its contents):
        hyperparameters:
          - {key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.00001, 0.1]}
      Errors name the line.
      """) { call in
      let doc: YAMLDocument
      do { doc = try YAMLDocument(text: try call.string(1), file: "(yaml)") } catch let e as ConfigError { throw LuaFailure("\(e)") }
      return try make(call, doc.value)
    }
    state.register("lyra.space.from_json", help: """
      lyra.space.from_json(text) -> space
      A search space from JSON text in VEGA's form.
      """) { call in
      do { return try make(call, try JSON.parse(Data(try call.string(1).utf8))) } catch let e as LuaFailure { throw e } catch {
        throw LuaFailure("\(error)")
      }
    }
    // lyra.space(...) calls lyra.space.new.
    let s = state.stack
    s.pushTable(path: "lyra.space")
    state.setHelp(-1, name: "lyra.space", help: "lyra.space(definition) -> space: search spaces (VEGA's hyperparameter types, conditions, forbidden clauses).")
    s.pop()
    // lyra.space(def): a __call metamethod written in Swift, so errors point at the caller's line.
    s.pushTable(path: "lyra.space")
    lua_createtable(state.L, 0, 1)
    state.pushFunction("lyra.space", help: "lyra.space(definition) -> space") { call in
      lyra_remove(call.L, 1) // drop the namespace table __call passes first
      return try newSpace(call)
    }
    s.rawSet(-2, "__call")
    lua_setmetatable(state.L, -2)
    s.pop()
  }

  static var methods: [LuaMethod] {
    [
      LuaMethod("sample", help: "s:sample([seed]) -> config\nA random configuration (conditions and forbidden clauses respected); with a seed, a reproducible one.") { call in
        let b = try check(call, 1)
        let g = call.isNil(2) ? b.generator : Generator(seed: try call.seed(2))
        call.stack.push(LuaJSON.lua(b.space.sample(g)))
        return 1
      },
      LuaMethod("encode", help: "s:encode(config) -> {numbers in [0, 1]}\nThe point of the unit cube for a configuration (NaN for inactive dimensions).") { call in
        let b = try check(call, 1)
        let c = try LuaJSON.config(call.stack.value(2))
        do { try b.space.validate(c) } catch { throw LuaFailure("\(error)") }
        call.stack.push(.table(array: b.space.encode(c).map { .number($0) }, fields: [:]))
        return 1
      },
      LuaMethod("decode", help: "s:decode(point) -> config\nThe configuration for a point of the unit cube (values clamped and rounded).") { call in
        let b = try check(call, 1)
        guard case .table(let a, _) = call.stack.value(2), a.count == b.space.dimension else {
          throw LuaArgumentError(2, "expected a list of \(b.space.dimension) numbers")
        }
        let u = try a.map { v -> Double in guard let d = v.number else { throw LuaArgumentError(2, "expected numbers") }; return d }
        call.stack.push(LuaJSON.lua(b.space.decode(u)))
        return 1
      },
      LuaMethod("grid", help: "s:grid([slices = 3]) -> {configs}\nEvery combination: numeric ranges at `slices` evenly spaced points, categories in full.") { call in
        let b = try check(call, 1)
        let n = try call.optInteger(2, 3)
        guard n >= 1, n <= 1000 else { throw LuaArgumentError(2, "slices must be in 1..1000") }
        let g = b.space.grid(slices: n)
        guard g.count <= 1_000_000 else { throw LuaFailure("the grid has \(g.count) points") }
        call.stack.push(.table(array: g.map(LuaJSON.lua), fields: [:]))
        return 1
      },
      LuaMethod("validate", help: "s:validate(config) -> true | false, message\nChecks keys, ranges, conditions and forbidden clauses.") { call in
        let b = try check(call, 1)
        let config = try LuaJSON.config(call.stack.value(2))
        return LuaJSON.pushVerdict(call) { try b.space.validate(config) }
      },
      LuaMethod("mutate", help: "s:mutate(config [, seed]) -> config\nThe configuration with exactly one active hyperparameter changed.") { call in
        let b = try check(call, 1)
        let c = try LuaJSON.config(call.stack.value(2))
        do { try b.space.validate(c) } catch { throw LuaFailure("\(error)") }
        let g = call.isNil(3) ? b.generator : Generator(seed: try call.seed(3))
        call.stack.push(LuaJSON.lua(b.space.mutate(c, g)))
        return 1
      },
      LuaMethod.returning("keys", help: "s:keys() -> {keys}\nHyperparameter keys in declaration order.") { try check($0, 1).space.keys },
      LuaMethod.returning("dimension", help: "s:dimension() -> number\nLength of the encoded vector.") { try check($0, 1).space.dimension },
      LuaMethod("is_active", help: "s:is_active(key, config) -> boolean\nWhether key's conditions hold in config.") { call in
        let b = try check(call, 1)
        call.push(b.space.isActive(try call.string(2), in: try LuaJSON.config(call.stack.value(3))))
        return 1
      },
    ]
  }
}
