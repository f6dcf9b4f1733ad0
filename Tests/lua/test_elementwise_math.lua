-- The element-wise math tables (UnaryMath: sin ... log10; BinaryMath: atan2 ... minimum; lerp): method, lyra.* function,
-- in-place form, help text, int inputs, and the in-place policy for tensors requiring grad.
local T = require 'lyra.test'

local ops = {'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'floor', 'ceil', 'round', 'trunc',
             'reciprocal', 'rsqrt', 'log1p', 'expm1', 'log2', 'log10'}
-- Naive references from Lua's math library (in double).
local ref = {
  sin = math.sin, cos = math.cos, tan = math.tan, asin = math.asin, acos = math.acos, atan = math.atan,
  sinh = function(v) return (math.exp(v) - math.exp(-v)) / 2 end,
  cosh = function(v) return (math.exp(v) + math.exp(-v)) / 2 end,
  floor = math.floor, ceil = math.ceil,
  round = function(v) local f = math.floor(v); local d = v - f
    if d > 0.5 or (d == 0.5 and f % 2 == 1) then return f + 1 end; return f end,
  trunc = function(v) return v < 0 and math.ceil(v) or math.floor(v) end,
  reciprocal = function(v) return 1 / v end, rsqrt = function(v) return 1 / math.sqrt(v) end,
  log1p = function(v) return math.log(1 + v) end, expm1 = function(v) return math.exp(v) - 1 end,
  log2 = function(v) return math.log(v, 2) end, log10 = function(v) return math.log(v, 10) end,
}
local grid = {0.3, 0.5, 0.75, 1.5, 2.5, 3.25}

-- Element-wise equality where NaN equals NaN (asin/acos past 1).
local function same(a, b, what)
  T.eq(#a, #b, what)
  for i = 1, #a do T.ok(a[i] == b[i] or (a[i] ~= a[i] and b[i] ~= b[i]), what .. ' at ' .. i .. ': ' .. a[i] .. ' vs ' .. b[i]) end
end

T.case('unary math: method, function and reference agree', function()
  local x = lyra.tensor(grid)
  for _, name in ipairs(ops) do
    local m, f = x[name](x):totable(), lyra[name](x):totable()
    same(m, f, name .. ': x:' .. name .. '() vs lyra.' .. name .. '(x)')
    for i, v in ipairs(grid) do
      local want = ref[name](v)
      if want == want then  -- asin/acos are NaN past 1
        T.ok(math.abs(m[i] - want) <= 1e-5 * math.max(1, math.abs(want)), name .. '(' .. v .. ') = ' .. m[i] .. ', want ' .. want)
      else T.ok(m[i] ~= m[i], name .. '(' .. v .. ') should be NaN') end
    end
  end
end)

T.case('unary math: int tensors give float results, as exp does', function()
  local x = lyra.tensor({-2, 0, 3}, 'int')
  T.eq(x:exp():type(), 'lyra.FloatTensor')
  T.eq(x:floor():type(), 'lyra.FloatTensor')
  T.eq(x:floor():totable(), {-2, 0, 3})
  T.raises('needs a float tensor', function() x:floor_() end)
end)

T.case('unary math: in-place forms change x itself, refused when x requires grad', function()
  for _, name in ipairs(ops) do
    local x = lyra.tensor(grid)
    local want = x[name](x):totable()
    local r = x[name .. '_'](x)
    T.ok(rawequal(r, x), name .. '_ returns x')
    same(x:totable(), want, name .. '_')
    local w = lyra.tensor(grid):requires_grad_()
    T.raises('in-place update of a tensor that requires grad', function() w[name .. '_'](w) end)
    lyra.no_grad(function() w[name .. '_'](w) end)
    same(w:totable(), want, name .. '_ inside no_grad')
  end
end)

T.case('unary math: gradients flow (sin: cos, floor: 0)', function()
  local x = lyra.tensor({0.2, -1.3}):requires_grad_()
  x:sin():sum():backward()
  T.ok(math.abs(x.grad:totable()[2] - math.cos(-1.3)) < 1e-6, 'd sin = cos')
  local y = lyra.tensor({0.2, -1.3}):requires_grad_()
  y:floor():sum():backward()
  T.eq(y.grad:totable(), {0, 0})
end)

T.case('unary math: every op and in-place form has help text', function()
  for _, name in ipairs(ops) do
    T.ok(lyra.doc(lyra[name]) and lyra.doc(lyra[name]):find('lyra.' .. name .. '(x)', 1, true), 'help for lyra.' .. name)
    T.ok(lyra.doc(lyra[name .. '_']), 'help for lyra.' .. name .. '_')
  end
end)

T.case('binary math: atan2 fmod remainder maximum minimum lerp, with broadcasting and numbers', function()
  local a, b = lyra.tensor({{-5}, {5}}), lyra.tensor({3, -3})
  T.eq(a:remainder(b):totable(), {{1, -2}, {2, -1}})            -- Python's %: sign of the divisor
  T.eq(lyra.remainder(a, b):totable(), {{-5 % 3, -5 % -3}, {5 % 3, 5 % -3}})
  T.eq(lyra.fmod(a, b):totable(), {{math.fmod(-5, 3), math.fmod(-5, -3)}, {math.fmod(5, 3), math.fmod(5, -3)}})
  T.eq(lyra.maximum(lyra.tensor{1, 5, -2}, 0):totable(), {1, 5, 0})
  T.eq(lyra.minimum(lyra.tensor{1, 5, -2}, lyra.tensor{2}):totable(), {1, 2, -2})
  -- Torch7's element-wise form of max/min: a tensor second argument
  T.eq(lyra.max(lyra.tensor{1, 5}, lyra.tensor{3, 2}):totable(), {3, 5})
  T.eq(lyra.tensor{1, 5}:min(lyra.tensor{3, 2}):totable(), {1, 2})
  T.eq(lyra.tensor{1, 5}:max():item(), 5) -- and the reduction stays
  T.ok(math.abs(lyra.atan2(lyra.tensor{-1}, lyra.tensor{-2}):item() - math.atan(-1, -2)) < 1e-6, 'atan2 quadrant')
  T.eq(lyra.lerp(lyra.tensor{0, 10}, lyra.tensor{10, 20}, 0.5):totable(), {5, 15})
  T.eq(lyra.tensor{0, 10}:lerp(lyra.tensor{10, 20}, lyra.tensor{0, 1}):totable(), {0, 20})
  T.raises('do not broadcast', function() lyra.lerp(lyra.zeros(2), lyra.zeros(3), 1) end)
  T.raises('do not broadcast', function() lyra.maximum(lyra.zeros(2), lyra.zeros(3)) end)
  for _, name in ipairs{'atan2', 'fmod', 'remainder', 'maximum', 'minimum', 'lerp'} do
    T.ok(lyra.doc(lyra[name]), 'help for lyra.' .. name)
  end
end)
