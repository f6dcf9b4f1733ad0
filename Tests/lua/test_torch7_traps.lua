-- Habits from Torch7 and PyTorch that used to slip through silently: a size that is not
-- one, a stray argument after the sizes, `tensor == number`, and the *_like and thread
-- functions a ported script calls.
local T = require 'lyra.test'

-- Every constructor that reads sizes, with the arguments that come before the sizes.
local sized = {
  zeros = {}, ones = {}, empty = {}, rand = {}, randn = {}, randint = {0, 5},
}

T.case('traps: every size argument must be an integer >= 0', function()
  for name, pre in pairs(sized) do
    local f, fname = lyra[name], "'lyra." .. name .. "'"
    local n = #pre
    local function call(...)
      local args = {table.unpack(pre)}
      for _, v in ipairs({...}) do args[#args + 1] = v end
      return f(table.unpack(args, 1, select('#', ...) + n))
    end
    T.raises('bad argument #' .. (n + 1) .. ' to ' .. fname .. ' (size (an integer) or a table of sizes expected, got string)', call, 'a')
    T.raises('bad argument #' .. (n + 1) .. ' to ' .. fname .. ' (size (an integer) or a table of sizes expected, got boolean)', call, true)
    T.raises('bad argument #' .. (n + 2) .. ' to ' .. fname .. ' (size (an integer) or a table of sizes expected, got string)', call, 2, 'x')
    T.raises('bad argument #' .. (n + 1) .. ' to ' .. fname .. ' (number has no integer representation)', call, 2.5)
    T.raises('size -1 is negative', call, 2, -1)
    T.raises('item 2 is not an integer', call, {2, 2.5})
    T.raises('item 1 is string', call, {'a'})
    T.raises('size -3 is negative', call, {-3})
    -- After a table of sizes nothing may follow.
    T.raises('bad argument #' .. (n + 2) .. ' to ' .. fname .. ' (unexpected string: no argument after #' .. (n + 1), call, {2, 3}, 'x')
    T.raises('(unexpected number', call, {2, 3}, 4)
    -- The good forms still work.
    T.eq(call(2, 3):size(), {2, 3}, name)
    T.eq(call({2, 3}):size(), {2, 3}, name)
    T.eq(call(2.0, 0):size(), {2, 0}, name)
  end
end)

T.case('traps: lyra.full takes a table of sizes and one value, nothing more', function()
  T.raises("bad argument #3 to 'lyra.full' (unexpected string: no argument after #2)", lyra.full, {2, 3}, 7, 'x')
  T.raises("bad argument #1 to 'lyra.full' (table expected, got number)", lyra.full, 2, 7)
  T.raises("bad argument #2 to 'lyra.full' (number expected, got string)", lyra.full, {2}, 'x')
  T.raises('item 1 is not an integer', lyra.full, {2.5}, 1)
  T.raises('size -1 is negative', lyra.full, {-1}, 1)
  local x = lyra.full({2, 3}, 7)
  T.eq(x:size(), {2, 3})
  T.eq(x:sum():item(), 42)
end)

T.case('traps: tensor == number is false; x:eq and x:item compare values', function()
  local x = lyra.tensor(2)
  -- Lua calls __eq only for two tables or two userdata: this is always false.
  T.eq(x == 2, false)
  T.eq(x:item() == 2, true)
  T.eq(lyra.tensor{1, 2, 3}:eq(2):sum():item(), 1)
  -- Two tensors compare by identity, not by value.
  local y = lyra.tensor(2)
  T.eq(x == y, false)
  T.eq(x == x, true)
  T.eq(x:eq(y):item(), 1)
end)

T.case('traps: zeros_like, ones_like, full_like, rand_like, randn_like', function()
  local x = lyra.randn(2, 3)
  local z, o, f = lyra.zeros_like(x), lyra.ones_like(x), lyra.full_like(x, 2.5)
  for _, t in ipairs({z, o, f}) do T.eq(t:size(), {2, 3}) end
  T.eq(z:abs():sum():item(), 0)
  T.eq(o:sum():item(), 6)
  T.near(f:sum():item(), 15)
  local i = lyra.tensor({{1, 2}}, 'int')
  T.eq(lyra.zeros_like(i):type(), i:type())
  T.ok(lyra.zeros_like(i):type() ~= x:type())
  T.eq(lyra.full_like(i, 3):sum():item(), 6)
  lyra.manual_seed(7)
  local r = lyra.rand_like(x)
  lyra.manual_seed(7)
  T.eq(r:size(), {2, 3})
  T.eq(r:eq(lyra.rand(2, 3)):sum():item(), 6)
  T.ok(r:min():item() >= 0 and r:max():item() < 1)
  lyra.manual_seed(8)
  local n = lyra.randn_like(x)
  lyra.manual_seed(8)
  T.eq(n:eq(lyra.randn(2, 3)):sum():item(), 6)
  T.raises("bad argument #1 to 'lyra.zeros_like' (lyra.Tensor expected, got table)", lyra.zeros_like, {2, 3})
  T.raises("bad argument #2 to 'lyra.ones_like' (unexpected string", lyra.ones_like, x, 'x')
  T.raises("bad argument #2 to 'lyra.full_like' (number expected, got no value)", lyra.full_like, x)
  T.raises("bad argument #3 to 'lyra.full_like' (unexpected number", lyra.full_like, x, 1, 2)
  T.raises('is an int tensor (use lyra.randn(x:size()))', lyra.randn_like, i)
  T.raises('is an int tensor (use lyra.rand(x:size()))', lyra.rand_like, i)
end)

T.case('traps: set_num_threads takes a positive integer; get_num_threads reads it back', function()
  local before = lyra.get_num_threads()
  T.ok(math.type(before) == 'integer' and before >= 1, tostring(before))
  lyra.set_num_threads(3)
  T.eq(lyra.get_num_threads(), 3)
  -- Results do not depend on the count.
  lyra.manual_seed(1)
  local a, b = lyra.randn(300, 200), lyra.randn(200, 100)
  local p3 = a:mm(b)
  lyra.set_num_threads(1)
  T.eq(lyra.get_num_threads(), 1)
  T.ok((a:mm(b) - p3):abs():max():item() < 1e-3)
  for _, bad in ipairs({0, -2, 1025}) do
    T.raises("bad argument #1 to 'lyra.set_num_threads' (n must be a positive integer up to 1024, got " .. bad .. ')', lyra.set_num_threads, bad)
  end
  T.raises('(number has no integer representation)', lyra.set_num_threads, 2.5)
  T.raises('(number expected, got string)', lyra.set_num_threads, 'x')
  T.raises('(number expected, got no value)', lyra.set_num_threads)
  T.raises("bad argument #2 to 'lyra.set_num_threads' (unexpected", lyra.set_num_threads, 2, 3)
  T.eq(lyra.get_num_threads(), 1)
  lyra.set_num_threads(before)
  T.eq(lyra.get_num_threads(), before)
end)
