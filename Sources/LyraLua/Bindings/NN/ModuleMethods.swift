import CLua
import Foundation
import LyraNN
import LyraONNX
import LyraTensor

/// Methods of `lyra.nn.Module` (Torch7's names where they exist, PyTorch's otherwise).
enum ModuleMethods {
  static func forward(_ call: LuaCall) throws -> Int {
    let m = try ModuleLua.check(call, 1)
    if let results = try SequenceLua.forward(call, m) { return results }
    let x = try TensorLua.checkIndices(call, 2)
    if x.dtype == .int32 && !ModuleLua.acceptsIndices(m) {
      throw LuaArgumentError(2, "\(m.typeName) expects a float tensor, got an int tensor (convert with x:float())")
    }
    ModuleLua.lastInput[ObjectIdentifier(m)] = x.shape
    TensorLua.push(try m(x), call.stack)
    return 1
  }

  static var all: [LuaMethod] {
    [
      LuaMethod("forward", help: "m:forward(x) -> y\nRuns the module (also m(x)). Gradients flow through it when its parameters require grad.", forward),
      LuaMethod("parameters", help: "m:parameters() -> {tensors}\nThe trainable tensors, in order (give them to an optimiser).") { call in
        let m = try ModuleLua.check(call, 1)
        lua_createtable(call.L, Int32(m.parameterCount > 0 ? m.parameters().count : 0), 0)
        for (k, p) in m.parameters().enumerated() {
          TensorLua.push(p, call.stack)
          call.stack.rawSet(-2, index: k + 1)
        }
        return 1
      },
      LuaMethod("named_parameters", help: "m:named_parameters() -> {name = tensor}\nParameters by dotted name ('0.weight', as in the checkpoint).") { call in
        namedTable(call, try ModuleLua.check(call, 1).namedParameters())
        return 1
      },
      LuaMethod("buffers", help: "m:buffers() -> {name = tensor}\nNon-trained state (batch-norm running statistics) by dotted name.") { call in
        namedTable(call, try ModuleLua.check(call, 1).namedBuffers())
        return 1
      },
      LuaMethod("num_parameters", help: "m:num_parameters() -> number\nCount of trainable values.") { call in
        call.push(try ModuleLua.check(call, 1).parameterCount)
        return 1
      },
      LuaMethod("train", help: "m:train([on = true]) -> m\nTraining mode (dropout on, batch norm on batch statistics).") { call in
        try ModuleLua.check(call, 1).train(try call.optBool(2, true))
        call.stack.setTop(1)
        return 1
      },
      LuaMethod("eval", help: "m:eval() -> m\nEvaluation mode.") { call in
        try ModuleLua.check(call, 1).eval()
        call.stack.setTop(1)
        return 1
      },
      LuaMethod("zero_grad", help: "m:zero_grad()\nClears the gradients of every parameter (Torch7: zeroGradParameters).") { call in
        try ModuleLua.check(call, 1).zeroGrad()
        return 0
      },
      LuaMethod("add", help: "m:add(module [, name]) -> m\nAppends a module (or a Lua table with forward) to a Sequential or a ModuleList.") { call in
        let seq = try ModuleLua.check(call, 1)
        guard seq is Sequential || seq is ModuleList else { throw LuaFailure("add is for nn.Sequential and nn.ModuleList") }
        let child = try ModuleLua.moduleOrTable(call, 2)
        // A module inside itself makes every walk of the tree (parameters, printing, forward) endless.
        guard !ModuleLua.subtree(of: child, contains: seq) else {
          throw LuaArgumentError(2, "cannot add a module to itself or to one of its own children")
        }
        if call.isNil(3) { append(seq, nil, child) } else {
          let name = try call.string(3)
          guard !name.isEmpty, !name.contains("."), !seq.children.contains(where: { $0.name == name }) else {
            throw LuaArgumentError(3, "name must be non-empty, without dots and unused")
          }
          append(seq, name, child)
        }
        call.stack.setTop(1)
        return 1
      },
      LuaMethod("get", help: "m:get(i) -> module\nThe i-th child (1-based), also m[i].") { call in
        let m = try ModuleLua.check(call, 1)
        let i = try call.integer(2)
        guard i >= 1, i <= m.children.count else { throw LuaArgumentError(2, "index \(i) out of range 1..\(m.children.count)") }
        ModuleLua.push(m.children[i - 1].module, call.stack)
        return 1
      },
      LuaMethod("size", help: "m:size() -> number\nNumber of children (also #m).") { call in
        call.push(try ModuleLua.check(call, 1).children.count)
        return 1
      },
      LuaMethod("type", help: "m:type() -> string\nThe module type, e.g. 'nn.Conv2d'.") { call in
        call.push("nn." + (try ModuleLua.check(call, 1).typeName))
        return 1
      },
      LuaMethod("describe", help: "m:describe() -> table\nThe model description (data, not code): lyra.nn.build(desc) rebuilds the architecture.") { call in
        call.stack.push(NNConstructors.luaValue(try ModuleLua.check(call, 1).describe()))
        return 1
      },
      LuaMethod("save", help: "m:save(path)\nWrites the weights as safetensors at path and the description beside it (path with .json); lyra.nn.load(path) rebuilds the model.") { call in
        let m = try ModuleLua.check(call, 1)
        let path = try call.string(2)
        guard !(m.namedModules().contains { $0.module is LuaModule }) else {
          throw LuaFailure("a model containing modules written in Lua cannot be saved with its description; save its weights with lyra.save(path, m:named_parameters())")
        }
        do { try Checkpoint.save(m, to: path) } catch { throw LuaFailure("\(path): \(error.localizedDescription)") }
        return 0
      },
      LuaMethod("load_weights", help: "m:load_weights(path) -> m\nLoads safetensors weights whose names and shapes match this model.") { call in
        let m = try ModuleLua.check(call, 1)
        do { try Checkpoint.loadWeights(into: m, from: try call.string(2)) } catch { throw LuaFailure("\(error)") }
        call.stack.setTop(1)
        return 1
      },
      LuaMethod("profile", help: "m:profile(input_sizes) -> {parameters =, macs =, rows = {...}}\nParameters and multiply-adds per module for an input of the given sizes, e.g. m:profile{1, 1, 28, 28}.") { call in
        let m = try ModuleLua.check(call, 1)
        let sizes = try call.sizes(from: 2)
        guard !sizes.isEmpty else { throw LuaArgumentError(2, "input sizes expected, e.g. {1, 1, 28, 28}") }
        let p = try ModuleLua.inEval(m) { try Profile(m, inputShape: sizes) }
        let rows: [LuaValue] = p.rows.map { r in
          .table(array: [], fields: ["name": .string(r.name), "type": .string(r.type), "params": .integer(r.parameters),
                                     "macs": .integer(r.macs), "output": .table(array: r.output.map { .integer($0) }, fields: [:])])
        }
        call.stack.push(.table(array: [], fields: ["parameters": .integer(p.parameters), "macs": .integer(p.macs),
                                                   "macs_per_sample": .integer(p.macsPerSample), "rows": .table(array: rows, fields: [:])]))
        return 1
      },
      LuaMethod("to_onnx", help: """
        m:to_onnx(path, input_sizes [, {opset = 13, fixed_batch = false}]) -> path
        Exports the model (eval mode) as ONNX, checked by onnx's checker: m:to_onnx('m.onnx', {1, 1, 28, 28}).
        lyra.onnx.load(path) reads it back.
        """) { call in
        let m = try ModuleLua.check(call, 1)
        let path = try call.string(2)
        let sizes = try call.sizes(from: 3, trailing: 1)
        guard !sizes.isEmpty else { throw LuaArgumentError(3, "input sizes expected, e.g. {1, 1, 28, 28}") }
        var options = ONNXExporter.Options()
        if let o = try call.options(4) {
          options.opset = try o.int("opset") ?? 13
          if try o.bool("fixed_batch") == true { options.batchDimension = nil }
          try o.finish()
        }
        do { try ONNXExporter.export(m, inputShape: sizes, to: path, options: options) } catch { throw LuaFailure("\(error)") }
        call.push(path)
        return 1
      },
      LuaMethod("latency", help: "m:latency(input_sizes [, repeats = 10]) -> seconds\nMedian inference time on this CPU (eval mode, warm).") { call in
        let m = try ModuleLua.check(call, 1)
        let sizes = try call.sizes(from: 2, trailing: 1)
        guard !sizes.isEmpty else { throw LuaArgumentError(2, "input sizes expected, e.g. {1, 1, 28, 28}") }
        call.push(try Latency.measure(m, inputShape: sizes, repeats: max(1, try call.optInteger(3, 10))))
        return 1
      },
    ]
  }

  /// Appends to a Sequential or a ModuleList (the only containers `add` accepts).
  static func append(_ container: Module, _ name: String?, _ child: Module) {
    switch (container, name) {
    case (let s as Sequential, nil): s.add(child)
    case (let s as Sequential, let n?): s.add(n, child)
    case (let l as ModuleList, _): l.add(child, name: name)
    default: break
    }
  }

  static func namedTable(_ call: LuaCall, _ list: [(name: String, tensor: Tensor)]) {
    lua_createtable(call.L, 0, Int32(list.count))
    for (n, t) in list {
      TensorLua.push(t, call.stack)
      call.stack.rawSet(-2, n)
    }
  }

  /// `m[i]` (child), `m.weight` / `m.bias` / buffers / named children, `m.training`.
  static let index = LuaMethod("__index", help: "m[i], m.weight, m.training") { call in
    let m = try ModuleLua.check(call, 1)
    let s = call.stack
    if s.type(2) == .number, let i = s.toInteger(2) {
      if i >= 1, i <= m.children.count { ModuleLua.push(m.children[i - 1].module, s) } else { s.pushNil() }
      return 1
    }
    guard let key = s.toString(2) else {
      s.pushNil()
      return 1
    }
    if key == "training" {
      call.push(m.training)
    } else if let p = m.ownParameters.first(where: { $0.name == key }) ?? m.ownBuffers.first(where: { $0.name == key }) {
      TensorLua.push(p.tensor, s)
    } else if let c = m.children.first(where: { $0.name == key }) {
      ModuleLua.push(c.module, s)
    } else {
      s.pushNil()
    }
    return 1
  }
}
