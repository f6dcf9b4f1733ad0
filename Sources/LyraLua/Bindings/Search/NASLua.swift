import CLua
import LyraBase
import LyraPipeline
import LyraSearch
import LyraSpace

/// What a `lyra.search.Codec` userdata holds: the codec and its own seeded generator.
final class CodecBox {
  let codec: Codec
  let kind: String
  let generator: Generator
  init(_ codec: Codec, kind: String, seed: UInt64) {
    self.codec = codec
    self.kind = kind
    generator = Generator(seed: seed)
  }
}

/// The native pieces of sample-based NAS for Lua loops (a custom NAS loop is a few
/// lines of Lua: docs/architecture.md#ask-and-tell): codecs that sample and mutate architectures, NSGA-II's
/// non-dominated sort, and `lyra.search.pareto` (the whole evolution behind ask/tell).
enum NASLua {
  static let className = "lyra.search.Codec"
  static let kinds = ["space", "backbone", "dnet_block", "dnet_macro"]

  /// `{kind =, space =, block_codes =, macro =, min_length =, max_length =}` → a codec.
  static func codec(_ call: LuaCall, _ o: LuaOptions) throws -> (Codec, String) {
    let kind = try o.string("kind") ?? o.string("codec") ?? "space"
    let space = try SearchFactory.space(call, o)
    var lengths: ClosedRange<Int>?
    if let lo = try o.int("min_length"), let hi = try o.int("max_length") {
      guard lo >= 1, hi >= lo else { throw LuaFailure("min_length/max_length must satisfy 1 <= min <= max") }
      lengths = lo...hi
    }
    do {
      switch kind {
      case "space": return (SpaceCodec(space: space), kind)
      case "backbone": return (try BackboneNasCodec(space: space), kind)
      case "dnet_block":
        return (NASCodecs.buildableDNet(try DblockNasCodec(space: space, macro: try o.string("macro") ?? DblockNasCodec.defaultMacro)), kind)
      case "dnet_macro":
        let v = o.value("block_codes")
        guard case .table(let a, _) = v, !a.isEmpty else { throw LuaFailure("kind 'dnet_macro' needs block_codes = {'031-', ...}") }
        let codes = try a.map { x -> String in
          guard case .string(let c) = x else { throw LuaFailure("block_codes must be strings") }
          return c
        }
        return (NASCodecs.buildableDNet(try DnetNasCodec(space: space, blockCodes: codes, lengths: lengths)), kind)
      default: throw LuaFailure("kind must be one of \(kinds.joined(separator: ", ")), got '\(kind)'")
      }
    } catch let e as CodecError { throw LuaFailure("\(e)") }
  }

  static func check(_ call: LuaCall) throws -> CodecBox { try call.object(1, CodecBox.self, what: className) }

  static func open(_ state: LuaState) {
    state.defineClass(className, methods: [
      LuaMethod("sample", help: "codec:sample() -> config\nA random individual (a flat config {['network.backbone.encoding'] = ..., ...}).") { call in
        let b = try check(call)
        call.stack.push(LuaJSON.lua(b.codec.sample(b.generator)))
        return 1
      },
      LuaMethod("mutate", help: "codec:mutate(config) -> config\nOne mutation step away from config (VEGA's moves for the NAS codecs).") { call in
        let b = try check(call)
        try call.table(2)
        call.stack.push(LuaJSON.lua(b.codec.mutate(try LuaJSON.config(call.stack.value(2)), b.generator)))
        return 1
      },
      LuaMethod("crossover", help: "codec:crossover(a, b) -> config | nil\nA child of two configs, or nil when the codec has no crossover for them.") { call in
        let b = try check(call)
        try call.table(2)
        try call.table(3)
        if let c = b.codec.crossover(try LuaJSON.config(call.stack.value(2)), try LuaJSON.config(call.stack.value(3)), b.generator) {
          call.stack.push(LuaJSON.lua(c))
        } else { call.pushNil() }
        return 1
      },
      LuaMethod("validate", help: "codec:validate(config) -> true | false, message\nWhether config is an individual this codec could make.") { call in
        let b = try check(call)
        try call.table(2)
        let config = try LuaJSON.config(call.stack.value(2))
        return LuaJSON.pushVerdict(call) { try b.codec.validate(config) }
      },
    ], metamethods: [
      LuaMethod("__tostring", help: "") { call in
        call.push("lyra.search.Codec (\(try check(call).kind))")
        return 1
      },
    ])
    state.register("lyra.search.codec", help: """
      lyra.search.codec{kind = 'space'|'backbone'|'dnet_block'|'dnet_macro', space =, seed = 0, macro =, block_codes =, min_length =, max_length =} -> codec
      The architecture codecs of the NAS algorithms: codec:sample(), codec:mutate(config),
      codec:crossover(a, b), codec:validate(config). 'backbone': ResNet block lists from
      network.backbone.{depth, base_channel, doublechannel, downsample} (counts); 'dnet_block': DNet
      blocks from network.backbone.{op_num, skip_num, base_channel} with a fixed macro (default
      '211-2111-211111-211'); 'dnet_macro': DNet macros from network.backbone.{code_length,
      base_channel, final_channel, downsample} for the given block_codes. DNet codecs only make
      encodings that build. Example:
        local c = lyra.search.codec{kind = 'dnet_block', macro = '1-21-21', space = lyra.space{
          {key = 'network.backbone.op_num', type = 'CATEGORY', range = {2, 3}},
          {key = 'network.backbone.skip_num', type = 'CATEGORY', range = {0, 1}},
          {key = 'network.backbone.base_channel', type = 'CATEGORY', range = {16, 32}}}}
        print(c:sample()['network.backbone.encoding'])
      """) { call in
      guard let o = try call.options(1) else { throw call.expected(1, "options table {kind =, space =, ...}") }
      let (codec, kind) = try codec(call, o)
      let seed = try SearchFactory.seed(o)
      try o.finish()
      call.push(object: CodecBox(codec, kind: kind, seed: seed), className: className)
      return 1
    }
    state.register("lyra.search.nondominated", help: """
      lyra.search.nondominated(points [, directions]) -> fronts, crowding
      NSGA-II's fast non-dominated sort (Deb et al. 2002): points is a list of objective vectors
      {{acc, latency}, ...}; directions a list of 'min'/'max' (default all 'min'). Returns the
      fronts as lists of 1-based point indices (fronts[1] is the Pareto front) and each point's
      crowding distance within its front (math.huge at the ends).
      """) { call in
      try call.table(1)
      let s = call.stack
      let point = LuaItemReader<[Double]>(what: "a list of numbers", plural: "points") { s in
        guard case .table(let a, _) = s.value(-1), !a.isEmpty else { return nil }
        let d = a.compactMap(\.number)
        return d.count == a.count ? d : nil
      }
      let points = try s.list(1, point) { i in
        if case .table(let a, _) = s.value(-1), !a.isEmpty { return LuaArgumentError(1, "point \(i) must hold numbers") }
        return LuaArgumentError(1, "point \(i) must be a list of numbers")
      }
      guard Set(points.map(\.count)).count <= 1 else { throw LuaArgumentError(1, "every point needs the same number of objectives") }
      var signs = [Double](repeating: 1, count: points.first?.count ?? 0)
      if !call.isNil(2) {
        try call.table(2)
        guard case .table(let a, _) = s.value(2), a.count == signs.count else { throw LuaArgumentError(2, "one direction per objective") }
        for (k, d) in a.enumerated() {
          switch d {
          case .string("min"): signs[k] = 1
          case .string("max"): signs[k] = -1
          default: throw LuaArgumentError(2, "directions are 'min' or 'max'")
          }
        }
      }
      let losses = points.map { p in zip(p, signs).map { $0 * $1 } }
      let fronts = NSGA2.nonDominatedSort(losses)
      var crowd = [Double](repeating: 0, count: points.count)
      for f in fronts {
        let c = NSGA2.crowdingDistance(losses, front: f)
        for (i, d) in zip(f, c) { crowd[i] = d }
      }
      s.push(.table(array: fronts.map { f in .table(array: f.map { .integer($0 + 1) }, fields: [:]) }, fields: [:]))
      s.push(.table(array: crowd.map { .number($0) }, fields: [:]))
      return 2
    }
  }
}
