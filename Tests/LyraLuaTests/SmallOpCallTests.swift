import XCTest
@testable import LyraLua

/// The Lua side of the small-op fast path (issue 15): results pushed with the static class
/// name are ordinary `lyra.Tensor` objects, the arithmetic is the element-wise reference,
/// errors keep their words and position, and gradients are still tracked from Lua.
final class SmallOpCallTests: XCTestCase {
  func run(_ code: String) throws -> [LuaValue] { try LyraHost().state.execute(code, name: "@small.lua") }

  /// Every op against the same expression on plain Lua numbers, element by element (exact:
  /// float32 arithmetic on values that are exact in float32).
  func testResultsMatchLuaArithmetic() throws {
    let r = try run("""
      local a, b = lyra.tensor({1.5, -2, 3.25, 8}), lyra.tensor({0.5, 4, -0.25, 2})
      local av, bv = a:totable(), b:totable()
      local cases = {
        {a + b, function(x, y) return x + y end}, {a:add(b), function(x, y) return x + y end},
        {a - b, function(x, y) return x - y end}, {a:sub(b), function(x, y) return x - y end},
        {a:mul(b), function(x, y) return x * y end}, {a:cmul(b), function(x, y) return x * y end},
        {a / b, function(x, y) return x / y end}, {a:div(b), function(x, y) return x / y end},
        {a + 1, function(x) return x + 1 end}, {1 - a, function(x) return 1 - x end},
        {a:sub(2), function(x) return x - 2 end}, {a * 2, function(x) return x * 2 end},
      }
      local bad = {}
      for k, c in ipairs(cases) do
        local t, f = c[1], c[2]
        if getmetatable(t) ~= getmetatable(a) or t:dim() ~= 1 or t:size(1) ~= 4 then bad[#bad + 1] = 'case ' .. k .. ': not a 4-element lyra.Tensor' end
        for i = 1, 4 do
          if t[i] ~= f(av[i], bv[i]) then bad[#bad + 1] = ('case %d, element %d: %s'):format(k, i, t[i]) end
        end
      end
      return table.concat(bad, '; '), a * b
      """)
    XCTAssertEqual(r[0], .string(""))
    XCTAssertEqual(r[1], .number(1.5 * 0.5 - 2 * 4 - 3.25 * 0.25 + 8 * 2), "two 1-D tensors: * is the dot product")
  }

  func testErrorsKeepTheirWordsAndPosition() throws {
    let r = try run("""
      local a = lyra.zeros(4)
      local function err(f) local ok, e = pcall(f); return ok and 'no error' or e end
      return err(function() return a + lyra.zeros(3) end),
             err(function() return a:add(lyra.zeros(3)) end),
             err(function() return a + 'x' end),
             err(function() return a:mul({}) end),
             err(function() local b = lyra.zeros(4); b:free(); return a + b end)
      """)
    XCTAssertEqual(r, [
      .string("small.lua:3: lyra.Tensor.__add: shapes [4] and [3] do not broadcast"),
      .string("small.lua:4: lyra.Tensor:add: shapes [4] and [3] do not broadcast"),
      .string("small.lua:5: bad argument #2 to 'lyra.Tensor.__add' (lyra.Tensor or number expected, got string)"),
      .string("small.lua:6: bad argument #2 to 'lyra.Tensor:mul' (lyra.Tensor or number expected, got table)"),
      .string("small.lua:7: bad argument #2 to 'lyra.Tensor.__add' (lyra.Tensor or number expected, got lyra.Tensor)"),
    ])
  }

  func testGradientsStillFlowFromLua() throws {
    let r = try run("""
      local a = lyra.tensor({1, 2, 3, 4}):requires_grad_()
      local b = lyra.tensor({5, 6, 7, 8})
      local loss = ((a + b) * 1):mul(b):sub(a):sum()
      loss:backward()
      local plain = lyra.tensor({1, 2}) + lyra.tensor({3, 4})
      return a.grad:totable(), plain.requires_grad, (a + b).requires_grad
      """)
    // d/da sum((a + b) * b - a) = b - 1
    XCTAssertEqual(r[0], .table(array: [.number(4), .number(5), .number(6), .number(7)], fields: [:]))
    XCTAssertEqual(r[1], .boolean(false))
    XCTAssertEqual(r[2], .boolean(true))
  }

  /// Many results in a loop: each is its own object, collected without leaking or mixing.
  func testManyResultsInALoopStayDistinct() throws {
    let r = try run("""
      local x, sum = lyra.tensor({1, 2, 3, 4}), 0
      local keep = {}
      for i = 1, 20000 do
        local y = x + i
        if i % 1000 == 0 then keep[#keep + 1] = y end
        sum = sum + y[4]
      end
      collectgarbage()
      local firsts = {}
      for k, y in ipairs(keep) do firsts[k] = y[1] end
      return sum, table.concat(firsts, ',')
      """)
    XCTAssertEqual(r[0], .number(Double(20000 * 4 + 20000 * 20001 / 2)))
    XCTAssertEqual(r[1], .string((1...20).map { "\(Double($0 * 1000 + 1))" }.joined(separator: ",")))
  }

  /// The collector keeps up with a loop of small ops (pause 130, `lyra_gc_set_pause`): with
  /// Lua's default pause of 200 the heap grew by about 4.5 MB over these 100000 ops, as
  /// garbage awaiting finalizers raised each cycle's threshold. Counts bytes, not time.
  func testGarbageOfSmallOpsDoesNotPileUp() throws {
    let r = try run("""
      local x, y = lyra.randn(4), lyra.randn(4)
      collectgarbage()
      local start, peak = collectgarbage('count'), 0
      for i = 1, 100000 do
        local _ = x + y
        if i % 100 == 0 then peak = math.max(peak, collectgarbage('count')) end
      end
      return peak - start
      """)
    guard case .number(let grown)? = r.first else { return XCTFail("\(r)") }
    XCTAssertLessThan(grown, 1536, "the Lua heap grew by \(grown) KB")
  }

  /// The object check reads a marker that only userdata made by `lyra_pushobject` carry (a
  /// quarter of the cost of the metatable lookup it replaced): a foreign userdata is refused
  /// even when the debug library gave it a Lyra metatable (the old check took it for one and
  /// crashed). The metatable is restored before the collector could see it.
  func testForeignUserdataIsNotTakenForATensor() throws {
    let r = try run("""
      local t = lyra.zeros(4)
      local function err(f) local ok, e = pcall(f); return ok and 'no error' or e end
      local plain = err(function() return t + io.stdout end)
      local old = debug.getmetatable(io.stdout)
      debug.setmetatable(io.stdout, debug.getmetatable(t))
      local disguised = err(function() return t + io.stdout end)
      local method = err(function() return t:add(io.stdout) end)
      debug.setmetatable(io.stdout, old)
      return plain, disguised, method, io.type(io.stdout)
      """)
    XCTAssertEqual(r, [
      .string("small.lua:3: bad argument #2 to 'lyra.Tensor.__add' (lyra.Tensor or number expected, got FILE*)"),
      .string("small.lua:6: bad argument #2 to 'lyra.Tensor.__add' (lyra.Tensor or number expected, got lyra.Tensor)"),
      .string("small.lua:7: bad argument #2 to 'lyra.Tensor:add' (lyra.Tensor or number expected, got lyra.Tensor)"),
      .string("file"),
    ])
  }
}
