-- The element-wise unary ops from one table (sin ... log10): method, lyra.* function,
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
