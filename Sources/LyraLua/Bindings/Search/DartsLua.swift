import CLua
import LyraBase
import LyraNN
import LyraNets
import LyraTensor

/// `lyra.nas`: DARTS' supernet for weight-sharing loops written in Lua
/// (docs/examples/custom_darts.lua, docs/algorithms/darts.md): the supernet module, its two
/// α tensors (not among `net:parameters()`, so they get their own optimiser) and the
/// genotype of the current α.
enum DartsLua {
  static func open(_ state: LuaState) {
    state.register("lyra.nas.supernet", help: """
      lyra.nas.supernet{in_channels =, channels =, classes =, layers =, steps =, multiplier =, stem_multi =,
                        primitives =, reductions =, seed =} -> net, alphas_normal, alphas_reduce
      DARTS' search network: a 3x3 conv stem, `layers` cells (reduction cells at layers/3 and 2*layers/3,
      or the 0-based indices in `reductions`), each with 2 input nodes and `steps` intermediate nodes
      whose every edge mixes the `primitives` (default the paper's eight: none, max_pool_3x3,
      avg_pool_3x3, skip_connect, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5) by
      softmax(alpha). Defaults: in_channels 3, channels 16, classes 10, layers 8, steps 4,
      multiplier = steps, stem_multi 3. The alpha tensors ([edges, #primitives], 1e-3*N(0,1) from
      `seed`) are not in net:parameters(): step them with their own optimiser (DARTS: Adam lr 3e-4,
      betas {0.5, 0.999}, weight_decay 1e-3) on validation batches.
      Example: local net, an, ar = lyra.nas.supernet{in_channels = 1, channels = 8, layers = 5}
      """) { call in
      guard let o = try call.options(1) else { throw call.expected(1, "options table {in_channels =, channels =, ...}") }
      var opt = DartsSupernet.Options()
      opt.inChannels = try o.int("in_channels") ?? opt.inChannels
      opt.channels = try o.int("channels") ?? opt.channels
      opt.classes = try o.int("classes") ?? opt.classes
      opt.layers = try o.int("layers") ?? opt.layers
      opt.steps = try o.int("steps") ?? opt.steps
      opt.multiplier = try o.int("multiplier") ?? opt.steps
      opt.stemMulti = try o.int("stem_multi") ?? opt.stemMulti
      opt.primitives = try o.strings("primitives") ?? opt.primitives
      opt.reductions = try o.ints("reductions")
      let seed = try o.seed("seed")
      try o.finish()
      let net: DartsSupernet
      do { net = try DartsSupernet(opt, generator: seed.map { Generator(seed: $0) }) } catch { throw LuaFailure("lyra.nas.supernet: \(error)") }
      ModuleLua.push(net, call.stack)
      TensorLua.push(net.alphasNormal, call.stack)
      TensorLua.push(net.alphasReduce, call.stack)
      return 3
    }
    state.register("lyra.nas.genotype", help: """
      lyra.nas.genotype(net) -> text, normal, reduce
      The architecture DARTS derives from the supernet's current alpha: for every intermediate node the
      two incoming edges whose strongest non-'none' weight is largest, each with that operation. `text`
      is the paper's notation, Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=[2, 3, 4, 5],
      reduce=[...], reduce_concat=[...]); `normal` and `reduce` are lists of {op, input} pairs.
      lyra.nn.build{type = 'DartsNetwork', search = false, ...} builds the discrete network.
      """) { call in
      let m = try ModuleLua.check(call, 1)
      guard let net = m.namedModules().lazy.compactMap({ $0.module as? DartsSupernet }).first else {
        throw LuaArgumentError(1, "expected a supernet from lyra.nas.supernet, got nn.\(m.typeName)")
      }
      let g = net.genotype()
      call.push(g.description)
      for edges in [g.normal, g.reduce] {
        call.stack.push(LuaJSON.lua(.array(edges.map { .array([.string($0.op), JSON($0.input)]) })))
      }
      return 3
    }
  }
}
