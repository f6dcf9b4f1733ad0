import CLua
import Foundation
import LyraNN
import LyraNets
import LyraONNX
import LyraTensor

/// `lyra.nn`: modules, losses, loading and building models.
enum NNLib {
  static func open(_ state: LuaState) {
    state.defineClass(ModuleLua.className, methods: ModuleMethods.all + ModuleTreeMethods.all + [UpscaleMethod.method], metamethods: [
      LuaMethod("__call", help: "m(x): same as m:forward(x)") { call in try ModuleMethods.forward(call) },
      LuaMethod("__tostring", help: "the module tree") { call in
        call.push(ModuleFormat.render(try ModuleLua.check(call, 1)))
        return 1
      },
      LuaMethod("__tostring_short", help: "") { call in
        let m = try ModuleLua.check(call, 1)
        call.push("nn.\(m.typeName) - \(ModuleFormat.grouped(m.parameterCount)) parameters")
        return 1
      },
      LuaMethod("__len", help: "#m: number of children") { call in
        call.push(try ModuleLua.check(call, 1).children.count)
        return 1
      },
    ], index: ModuleMethods.index)
    state.defineClass(CriterionLua.className, methods: CriterionLua.methods, metamethods: CriterionLua.metamethods)

    for spec in NNConstructors.specs + NNConstructors.layerSpecs { let f = NNConstructors.constructor(spec); state.register("lyra.nn.\(f.name)", help: f.help, f.body) }
    for f in NNConstructors.containers + CriterionLua.constructors + LossConstructors.all + [NNConstructors.view] { state.register("lyra.nn.\(f.name)", help: f.help, f.body) }

    for f in NNInit.all { state.register("lyra.nn.init.\(f.name)", help: f.help, f.body) }
    state.register("lyra.nn.load", help: """
      lyra.nn.load(path) -> module
      Rebuilds a model saved with m:save(path): the description (path with .json) and the safetensors weights.
      """) { call in
      let path = try call.string(1)
      do { ModuleLua.push(try Checkpoint.load(path), call.stack) } catch { throw LuaFailure("\(error)") }
      return 1
    }
    state.register("lyra.nn.build", help: """
      lyra.nn.build(description [, input_shape]) -> module
      Builds a model from a description table, the inverse of m:describe(): layers and containers
      ({type = 'Sequential', modules = {{type = 'Linear', in_features = 4, out_features = 2}}}), whole
      networks ({type = 'ResNet', depth = 18}, {type = 'DNet', encoding = '031-_32_1-21-21'},
      {type = 'MobileNetV2'}, 'EfficientNet', 'GhostNetNas', 'FmdNetwork', 'NAGO', 'SimpleCnn', 'MLP', and those
      registered with lyra.pipeline.register_network)
      and VEGA's {modules = {'backbone', 'head'}, backbone = {...}, head = {...}}. input_shape (one
      sample, e.g. {1, 28, 28}) fills the first network's unset in_channels / image_size / in_features.
      Unknown types and keys are errors naming them.
      Example: lyra.nn.build({type = 'ResNet', depth = 18, base_channel = 16}, {1, 28, 28})
      """) { call in
      try call.table(1)
      var input: [Int]?
      if !call.isNil(2) {
        try call.table(2)
        let sizes = try call.sizes(from: 2)
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }) else { throw LuaArgumentError(2, "input_shape must be a list of positive integers") }
        input = sizes
      }
      do {
        let description = NNConstructors.json(call.stack.value(1))
        try ParameterSizeChecks.checkTree(description)
        ModuleLua.push(try NetworkRegistry.build(description, path: "description", input: input), call.stack)
      } catch {
        throw LuaFailure("\(error)")
      }
      return 1
    }
    state.register("lyra.onnx.load", help: """
      lyra.onnx.load(path) -> module
      Reads an ONNX model and runs it on Lyra's kernels as a module (m(x), m:eval(), m:latency, ...).
      Supported operators: Conv, ConvTranspose, Gemm, MatMul, elementwise and activation ops, pools,
      BatchNormalization, Reshape/Flatten/Transpose/Concat/Split/Pad/Gather/(Un)Squeeze, Softmax, ...;
      an unsupported one is an error naming it and its node.
      """) { call in
      let path = try call.string(1)
      do { ModuleLua.push(try ONNXModule(path: path), call.stack) } catch { throw LuaFailure("\(path): \(error)") }
      return 1
    }
    state.stack.pushTable(path: "lyra.onnx")
    state.setHelp(-1, name: "lyra.onnx", help: "lyra.onnx: ONNX models in (lyra.onnx.load) and out (m:to_onnx(path, sizes)), checked by libonnx.")
    state.stack.pop()
    state.register("lyra.nn.reference", help: """
      lyra.nn.reference(name) -> module
      One of the reference models of the benchmarks: 'mlp', 'cnn' or 'resnet_mini' (Fashion-MNIST, [N, 1, 28, 28] -> 10 logits).
      """) { call in
      let name = try call.string(1)
      guard let m = ReferenceModels.named(name) else { throw LuaArgumentError(1, "unknown model '\(name)'; known: mlp, cnn, resnet_mini") }
      ModuleLua.push(m, call.stack)
      return 1
    }
    let s = state.stack
    s.pushTable(path: "lyra.nn.init")
    state.setHelp(-1, name: "lyra.nn.init", help: "lyra.nn.init: PyTorch's initialisers in place (xavier_uniform_, kaiming_normal_, zeros_, constant_, ...), seeded by lyra.manual_seed.")
    s.pop()
    s.pushTable(path: "lyra.nn")
    state.setHelp(-1, name: "lyra.nn", help: "lyra.nn: modules (nn.Linear, nn.Conv2d, ...), containers (nn.Sequential, nn.Add, nn.Concat), losses (nn.CrossEntropyLoss, ...), nn.load, nn.build.")
    s.pop()
    SequenceLua.open(state)
  }
}
