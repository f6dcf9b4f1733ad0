import CLua
import LyraBase
import LyraTensor

/// Size, views and conversions. Dimensions and positions are 1-based, as in Torch7.
enum TensorShapeMethods {
  static var all: [LuaMethod] {
    [
      LuaMethod("size", help: "x:size([dim]) -> {sizes} | number\nThe sizes as a table, or the size of one dimension (1-based; negative from the end).\nThe table prints as Torch7 writes sizes (print(x:size()) -> 2x3, () for a 0-d tensor)\nand stays a plain array: x:size()[1], #x:size(), ipairs.") { call in
        let x = try TensorLua.any(call, 1)
        if call.isNil(2) { SizeTable.push(x.shape, call.stack) } else {
          call.push(x.shape[try call.dim(2, rank: x.rank)])
        }
        return 1
      },
      LuaMethod("dim", help: "x:dim() -> number\nNumber of dimensions.") { call in
        call.push(try TensorLua.any(call, 1).rank)
        return 1
      },
      LuaMethod("numel", help: "x:numel() -> number\nNumber of elements (also x:nElement()).") { call in
        call.push(try TensorLua.any(call, 1).count)
        return 1
      },
      LuaMethod("nElement", help: "x:nElement() -> number\nNumber of elements (Torch7's name for numel).") { call in
        call.push(try TensorLua.any(call, 1).count)
        return 1
      },
      LuaMethod("stride", help: "x:stride([dim]) -> {strides} | number\nElement steps per dimension.") { call in
        let x = try TensorLua.any(call, 1)
        if call.isNil(2) { call.stack.push(.table(array: x.strides.map { .integer($0) }, fields: [:])) } else {
          call.push(x.strides[try call.dim(2, rank: x.rank)])
        }
        return 1
      },
      LuaMethod("is_contiguous", help: "x:is_contiguous() -> boolean") { call in
        call.push(try TensorLua.any(call, 1).isContiguous)
        return 1
      },
      LuaMethod("view", help: "x:view(sizes...) -> tensor\nSame data, new shape (one size may be -1); needs a contiguous tensor.") { call in
        let x = try TensorLua.any(call, 1)
        guard x.isContiguous else { throw LuaFailure("tensor is not contiguous; use x:reshape or x:contiguous():view") }
        TensorLua.push(x.view(try reshapeSizes(call, x)), call.stack)
        return 1
      },
      LuaMethod("reshape", help: "x:reshape(sizes...) -> tensor\nNew shape (one size may be -1); a view when possible, else a copy.") { call in
        let x = try TensorLua.any(call, 1)
        TensorLua.push(x.reshape(try reshapeSizes(call, x)), call.stack)
        return 1
      },
      LuaMethod("t", help: "x:t() -> tensor\nTranspose of a 2-D tensor (a view).") { call in
        let x = try TensorLua.any(call, 1)
        guard x.rank <= 2 else { throw LuaFailure("expected a 1-D or 2-D tensor, got \(x.rank)-D; use x:transpose(d1, d2)") }
        TensorLua.push(x.t(), call.stack)
        return 1
      },
      LuaMethod("transpose", help: "x:transpose(d1, d2) -> tensor\nSwaps two dimensions (a view).") { call in
        let x = try TensorLua.any(call, 1)
        TensorLua.push(x.transpose(try call.dim(2, rank: x.rank), try call.dim(3, rank: x.rank)), call.stack)
        return 1
      },
      LuaMethod("permute", help: "x:permute(d1, d2, ...) -> tensor\nReorders dimensions (a view).") { call in
        let x = try TensorLua.any(call, 1)
        let dims = try (2..<(2 + x.rank)).map { try call.dim($0, rank: x.rank) }
        guard Set(dims).count == x.rank, call.count == x.rank + 1 else { throw LuaFailure("expected a permutation of 1..\(x.rank)") }
        TensorLua.push(x.permute(dims), call.stack)
        return 1
      },
      LuaMethod("narrow", help: "x:narrow(dim, start, length) -> tensor\nElements start..start+length-1 along dim (a view).") { call in
        let x = try TensorLua.any(call, 1)
        let d = try call.dim(2, rank: x.rank), start = try call.integer(3), len = try call.integer(4)
        guard start >= 1, len >= 0, start - 1 + len <= x.shape[d] else {
          throw LuaArgumentError(3, "range \(start)..\(start + len - 1) is outside 1..\(x.shape[d])")
        }
        TensorLua.push(x.narrow(d, start - 1, len), call.stack)
        return 1
      },
      LuaMethod("select", help: "x:select(dim, index) -> tensor\nThe slice at index along dim, which is removed (a view).") { call in
        let x = try TensorLua.any(call, 1)
        let d = try call.dim(2, rank: x.rank)
        let i = try position(call, 3, size: x.shape[d])
        TensorLua.push(x.select(d, i), call.stack)
        return 1
      },
      LuaMethod("expand", help: "x:expand(sizes...) -> tensor\nRepeats size-1 dimensions without copying (-1 keeps a size).") { call in
        let x = try TensorLua.any(call, 1)
        var sizes: [Int] = []
        if call.stack.type(2) == .table { sizes = try negOneSizes(call, 2) } else {
          for i in 2...max(call.count, 2) where i <= call.count { sizes.append(try call.integer(i)) }
        }
        let lead = sizes.count - x.rank
        guard lead >= 0 else { throw LuaFailure("cannot expand \(ShapeText.format(x.shape)) to fewer dimensions") }
        guard sizes.count <= 64, sizes.allSatisfy({ $0 >= -1 }) else { throw LuaFailure("invalid sizes \(ShapeText.format(sizes))") }
        for k in 0..<lead where sizes[k] < 0 { throw LuaFailure("size -1 is only allowed for existing dimensions") }
        for (k, s) in x.shape.enumerated() where s != 1 && sizes[lead + k] != s && sizes[lead + k] != -1 {
          throw LuaFailure("cannot expand \(ShapeText.format(x.shape)) to \(ShapeText.format(sizes)): size \(s) is not 1")
        }
        let shape = sizes.enumerated().map { $0.element == -1 ? x.shape[$0.offset - lead] : $0.element }
        // A view allocates nothing, but every op on it allocates its element count.
        try call.checkedAllocation(shape, "expanded view")
        TensorLua.push(x.expand(shape), call.stack)
        return 1
      },
      LuaMethod("squeeze", help: "x:squeeze([dim]) -> tensor\nRemoves size-1 dimensions (or only dim).") { call in
        let x = try TensorLua.any(call, 1)
        TensorLua.push(call.isNil(2) ? x.squeeze() : x.squeeze(try call.dim(2, rank: x.rank, scalar: true)), call.stack)
        return 1
      },
      LuaMethod("unsqueeze", help: "x:unsqueeze(dim) -> tensor\nInserts a size-1 dimension at dim (1..dim()+1).") { call in
        let x = try TensorLua.any(call, 1)
        TensorLua.push(x.unsqueeze(try call.dim(2, rank: x.rank + 1)), call.stack)
        return 1
      },
      LuaMethod("flatten", help: "x:flatten([first [, last]]) -> tensor\nMerges dimensions first..last (default all).") { call in
        let x = try TensorLua.any(call, 1)
        let a = try call.dim(2, rank: x.rank, default: 0, scalar: true), b = try call.dim(3, rank: x.rank, default: max(x.rank - 1, 0), scalar: true)
        guard a <= b else { throw LuaFailure("first dimension \(a + 1) comes after last \(b + 1)") }
        TensorLua.push(x.rank == 0 ? x.reshape([1]) : x.flatten(a, b), call.stack)
        return 1
      },
      LuaMethod("contiguous", help: "x:contiguous() -> tensor\nx itself when contiguous, else a contiguous copy.") { call in
        TensorLua.push(try TensorLua.any(call, 1).contiguous(), call.stack)
        return 1
      },
      LuaMethod("clone", help: "x:clone() -> tensor\nA copy with its own storage (on the tape).") { call in
        TensorLua.push(try TensorLua.any(call, 1).clone(), call.stack)
        return 1
      },
      LuaMethod("item", help: "x:item() -> number\nThe value of a one-element tensor.") { call in
        let x = try TensorLua.any(call, 1)
        guard x.count == 1 else { throw LuaFailure("tensor has \(x.count) elements, expected 1") }
        TensorLua.push(x.scalarItem(), call.stack)
        return 1
      },
      LuaMethod("totable", help: "x:totable() -> table\nNested Lua tables of the values (a number for a 0-d tensor).") { call in
        let x = try TensorLua.any(call, 1)
        // Count the Lua values first: an empty tensor of size 2^63-1 × 0 has no elements but
        // would still need 2^63-1 empty tables (found by scripts/fuzz lua-api).
        var tables = 0, level = 1
        for s in x.shape {
          let (t, o1) = tables.addingReportingOverflow(level)
          let (l, o2) = level.multipliedReportingOverflow(by: s)
          guard !o1, !o2, t <= 1 << 27 else {
            throw LuaFailure("a tensor of size \(ShapeText.format(x.shape, .size)) needs too many Lua tables (limit 2^27)")
          }
          (tables, level) = (t, l)
        }
        guard x.count <= 1 << 27 else { throw LuaFailure("\(x.count) elements are too many for a Lua table (limit 2^27)") }
        let c = x.contiguous()
        func build(_ d: Int, _ offset: Int, _ stride: Int) -> LuaValue {
          if d == x.rank { return TensorLua.value(c.scalarValue(offset)) }
          let inner = stride / max(x.shape[d], 1)
          return .table(array: (0..<x.shape[d]).map { build(d + 1, offset + $0 * inner, inner) }, fields: [:])
        }
        call.stack.push(build(0, 0, x.count))
        return 1
      },
    ]
  }

  /// Sizes for view/reshape: numbers or a table, -1 allowed once, product must match.
  /// The product is overflow-checked: `{2^62, 4}` must not wrap to a count that matches.
  static func reshapeSizes(_ call: LuaCall, _ x: Tensor) throws -> [Int] {
    var sizes: [Int] = []
    if call.stack.type(2) == .table { sizes = try negOneSizes(call, 2) } else {
      for i in 2...max(call.count, 2) where i <= call.count { sizes.append(try call.integer(i)) }
    }
    let unknown = sizes.filter { $0 == -1 }.count
    guard unknown <= 1, sizes.allSatisfy({ $0 >= -1 }), sizes.count <= 64 else { throw LuaFailure("invalid sizes \(ShapeText.format(sizes))") }
    guard let known = try? CheckedSize.count(sizes.filter { $0 != -1 }) else {
      throw LuaFailure("shape \(ShapeText.format(sizes)) has more elements than can be counted; the tensor has \(x.count)")
    }
    if unknown == 1 ? (known == 0 || x.count % known != 0) : known != x.count {
      throw LuaFailure("shape \(ShapeText.format(sizes)) is invalid for \(x.count) elements of \(ShapeText.format(x.shape))")
    }
    return sizes
  }

  /// A table of integers where -1 is allowed.
  static func negOneSizes(_ call: LuaCall, _ i: Int) throws -> [Int] {
    guard call.stack.type(Int32(i)) == .table else { return [] }
    return try (0..<call.stack.rawLength(Int32(i))).map { k in
      call.stack.rawGet(Int32(i), index: k + 1)
      defer { call.stack.pop() }
      guard call.stack.type(-1) == .number, let v = call.stack.toInteger(-1) else { throw LuaArgumentError(i, "sizes must be integers") }
      return v
    }
  }

  /// A 1-based position (negative from the end) checked against `size`, as 0-based.
  static func position(_ call: LuaCall, _ i: Int, size: Int) throws -> Int {
    let v = try call.integer(i)
    guard let o = TensorIndexing.offset(v, size: size) else { throw LuaArgumentError(i, "index \(v) out of range for size \(size)") }
    return o
  }
}
