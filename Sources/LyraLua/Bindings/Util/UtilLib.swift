import CLua
import Foundation
import LyraNN
import LyraTensor

/// Utilities under `lyra` that need Swift: terminal detection (for `lyra.progress`) and
/// tensor files. `lyra.Timer` and `lyra.progress` are Lua (stdlib/lyra/timer.lua, progress.lua).
enum UtilLib {
  static func open(_ state: LuaState) {
    state.register("lyra.isatty", help: """
      lyra.isatty([fd = 1]) -> boolean
      Whether file descriptor fd (0 stdin, 1 stdout, 2 stderr) is a terminal: progress bars
      and colours are for terminals, plain lines for logs and pipes.
      """) { call in
      let fd = try call.optInteger(1, 1)
      guard fd >= 0 && fd <= Int(Int32.max) else { throw LuaArgumentError(1, "bad file descriptor \(fd)") }
      call.push(isatty(Int32(fd)) == 1)
      return 1
    }

    state.register("lyra.save", help: """
      lyra.save(path, {name = tensor, ...} [, metadata]) -> path
      Writes the tensors to a safetensors file (atomically: a crash never leaves half a
      file). metadata: a table of strings. Each tensor keeps its type: float32 as F32,
      float64 as F64, int32 as I32, int64 as I64, bool as BOOL.
      Example: lyra.save('model.safetensors', model:named_parameters())
      """) { call in
      let path = try call.string(1)
      try call.table(2)
      var st = SafeTensors()
      let s = call.stack
      s.pushNil()
      while lua_next(call.L, 2) != 0 {
        defer { s.pop() }
        guard s.type(-2) == .string, let name = s.toString(-2) else {
          throw LuaArgumentError(2, "tensor names must be strings, got \(s.typeName(-2))")
        }
        guard let t = s.toObject(-1, as: Tensor.self) else {
          throw LuaArgumentError(2, "'\(name)' is a \(s.typeName(-1)), expected lyra.Tensor")
        }
        guard name != "__metadata__" else { throw LuaArgumentError(2, "'__metadata__' is reserved by the format") }
        st.entries[name] = .init(tensor: t)
      }
      if !call.isNil(3) {
        try call.table(3)
        s.pushNil()
        while lua_next(call.L, 3) != 0 {
          defer { s.pop() }
          guard s.type(-2) == .string, let k = s.toString(-2), s.type(-1) == .string || s.type(-1) == .number || s.type(-1) == .boolean else {
            throw LuaArgumentError(3, "metadata must map strings to strings")
          }
          st.metadata[k] = s.type(-1) == .boolean ? String(s.toBool(-1)) : s.describe(-1)
        }
      }
      do { try st.write(to: path) } catch {
        throw LuaFailure("cannot write \(path): \((error as NSError).localizedDescription)")
      }
      call.push(path)
      return 1
    }

    state.register("lyra.load", help: """
      lyra.load(path) -> {name = tensor, ...}, metadata
      Reads a safetensors file (Lyra's or PyTorch's): F32 and F16 become float32 tensors,
      F64 float64, I64 int64, BOOL bool, I32/I8/U8 int32, values exact. A missing or
      corrupt file is an error naming it.
      """) { call in
      let path = try call.string(1)
      let st: SafeTensors
      do { st = try SafeTensors.read(from: path) } catch let e as SafeTensors.FormatError { throw LuaFailure(e.description) }
      lua_createtable(call.L, 0, Int32(st.entries.count))
      for (name, e) in st.entries.sorted(by: { $0.key < $1.key }) {
        TensorLua.push(e.tensor(), call.stack)
        call.stack.rawSet(-2, name)
      }
      call.stack.push(.table(array: [], fields: st.metadata.mapValues { .string($0) }))
      return 2
    }
  }
}
