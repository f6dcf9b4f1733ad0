import CLua
import Foundation
import LyraNN
import LyraTensor

/// `lyra.load_pth`: PyTorch checkpoints in Lua, read by LyraNN's restricted reader
/// (`PthFile`: nothing in the file is run; a file asking to run something is refused).
enum PthLib {
  static func open(_ state: LuaState) {
    state.register("lyra.load_pth", help: """
      lyra.load_pth(path) -> {name = tensor, ...}, info
      Reads a PyTorch checkpoint (torch.save's zip format, or the legacy one of torch < 1.6)
      without Python, as PyTorch's weights_only=True would: only tensors and containers; a
      file that names any other Python object (os.system, eval, a class) is refused. The state dict is the top-level
      dict of tensors, or the one under state_dict / model_state_dict / model / net; nested
      dicts give dotted names. Float types become float tensors, integer types int tensors
      (float tensors where a value lies outside int32).
      info = {wrapper = key or nil, skipped = {names that are not tensors}}.
      Load it with m:load_state_dict(t, false) where names match, else lyra.load_weights_into.
      Example: local sd = lyra.load_pth('resnet.pth'); print(sd['conv1.weight']:size())
      """) { call in
      let path = try call.string(1)
      let file: PthFile
      do { file = try PthFile.read(from: path) } catch let e as PthError { throw LuaFailure(e.description) }
      lua_createtable(call.L, 0, Int32(file.tensors.count))
      for (name, t) in file.tensors {
        switch t.values {
        case .floats: TensorLua.push(t.floatTensor(), call.stack)
        case .ints(let v):
          if v.allSatisfy({ $0 >= Int64(Int32.min) && $0 <= Int64(Int32.max) }) {
            TensorLua.push(Tensor(indices: v.map { Int($0) }, shape: t.shape), call.stack)
          } else { TensorLua.push(t.floatTensor(), call.stack) } // beyond Lyra's int32: floats, not a failed load
        }
        call.stack.rawSet(-2, name)
      }
      var info: [String: LuaValue] = ["skipped": .table(array: file.skipped.map { .string($0) }, fields: [:])]
      if let w = file.wrapper { info["wrapper"] = .string(w) }
      call.stack.push(.table(array: [], fields: info))
      return 2
    }

    state.register("lyra.load_weights_into", help: """
      lyra.load_weights_into(m, path [, {head = prefix or {prefixes}, strict = bool}]) -> report
      Loads a PyTorch .pth or safetensors file into module m as a fine-tuning does: a
      'module.' prefix (DataParallel) is dropped, names under head are not loaded, names
      match exactly, then what is left is paired in order (PyTorch's and Lyra's state dicts
      both go module by module) where shapes agree. strict (default: true without head)
      makes an unfilled model tensor or a shape mismatch an error that changes nothing.
      Returns the report: what was loaded by name, by order, skipped, left unfilled.
      Example: print(lyra.load_weights_into(net, 'resnet18.pth', {head = 'fc'}))
      """) { call in
      let m = try ModuleLua.check(call, 1)
      let path = try call.string(2)
      var head: [String] = []
      var strict: Bool?
      if call.stack.type(3) == .table {
        lua_getfield(call.L, 3, "head")
        if call.stack.type(-1) == .string, let h = call.stack.toString(-1) { head = [h] } else if call.stack.type(-1) == .table {
          var i: lua_Integer = 1
          while lua_rawgeti(call.L, -1, i) == LUA_TSTRING, let h = call.stack.toString(-1) { head.append(h); call.stack.pop(); i += 1 }
          call.stack.pop()
        } else if call.stack.type(-1) != .nil { throw LuaArgumentError(3, "head must be a name prefix or a list of them") }
        call.stack.pop()
        lua_getfield(call.L, 3, "strict")
        if call.stack.type(-1) == .boolean { strict = call.stack.toBool(-1) }
        call.stack.pop()
      }
      do {
        let mapping = try ForeignWeights.load(try ForeignWeights.read(path), into: m, exclude: head, strict: strict ?? head.isEmpty, file: path)
        call.push(mapping.report)
      } catch let e as PthError { throw LuaFailure(e.description) } catch let e as DescriptionError { throw LuaFailure(e.message) } catch {
        throw LuaFailure("\(path): \(error)")
      }
      return 1
    }
  }
}
