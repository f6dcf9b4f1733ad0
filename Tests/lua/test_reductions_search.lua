-- Issue 17's reductions and search from Lua: cumsum cumprod prod norm dist logsumexp all any argmin,
-- sort argsort topk kthvalue median mode unique nonzero, range logspace meshgrid, random fills and
-- sampling, allclose equal isnan isinf. Naive references in Lua, 1-based positions, gradients by
-- finite differences, help text, and errors that name the argument instead of crashing.
local T = require 'lyra.test'

local function near_tables(a, b, tol, what)
  T.eq(#a, #b, what .. ': length')
  for i = 1, #a do
    if type(a[i]) == 'table' then near_tables(a[i], b[i], tol, what)
    else T.near(a[i], b[i], tol * math.max(1, math.abs(b[i])), what .. ' [' .. i .. ']') end
  end
end

-- Central differences of sum(f(x) * w) against x.grad after backward (w fixed, so each output counts).
local function gradcheck(f, values, what)
  local x = lyra.tensor(values):requires_grad_()
  local y = f(x)
  local w = lyra.linspace(0.5, 1.5, y:numel()):view(y:size())
  y:mul(w):sum():backward()
  local g, flat = x.grad:view(-1):totable(), x:detach():view(-1)
  local eps = 1e-2
  for i = 1, #g do
    local v = flat[i]
    local function loss(t)
      flat[i] = t
      local s = lyra.no_grad(function() return f(x):mul(w):sum():item() end)
      flat[i] = v
      return s
    end
    local numeric = (loss(v + eps) - loss(v - eps)) / (2 * eps)
    T.near(g[i], numeric, 2e-2 * math.max(1, math.abs(numeric)), what .. ': gradient of element ' .. i)
  end
end

local M = {{3, 1, 2, 4}, {0, 5, 5, -1}, {2, 2, 7, 2}}

T.case('cumsum, cumprod and prod: naive references, method = function, dims 1-based', function()
  local x = lyra.tensor(M)
  local cs, cp = {}, {}
  for r = 1, 3 do
    cs[r], cp[r] = {}, {}
    local s, p = 0, 1
    for c = 1, 4 do s = s + M[r][c]; p = p * M[r][c]; cs[r][c] = s; cp[r][c] = p end
  end
  T.eq(x:cumsum(2):totable(), cs)
  T.eq(lyra.cumsum(x, -1):totable(), cs)
  T.eq(x:cumprod(2):totable(), cp)
  T.eq(x:cumsum(1):totable()[3], {5, 8, 14, 5})
  T.eq(x:prod(2):totable(), {24, 0, 56})
  T.eq(x:prod(1, true):size(), {1, 4})
  T.eq(lyra.prod(lyra.tensor{1, 2, 3, 4}):item(), 24)
  T.eq(lyra.zeros(0):prod():item(), 1)
  T.raises('dim is required', function() return x:cumsum() end)
  T.raises('dimension 3 out of range', function() return x:cumprod(3) end)
end)

T.case('products keep exact gradients where x holds zeros', function()
  local x = lyra.tensor{2, 0, 3}:requires_grad_()
  x:prod():backward()
  T.eq(x.grad:totable(), {0, 6, 0})
  gradcheck(function(t) return t:cumprod(1) end, {1.5, 0, -2, 0.7}, 'cumprod')
  gradcheck(function(t) return t:cumsum(2) end, {{1, 2}, {3, 4}}, 'cumsum')
  gradcheck(function(t) return t:prod(1) end, {{1, 0.5}, {3, -4}, {0, 2}}, 'prod')
end)

T.case('norm, dist and logsumexp', function()
  local x = lyra.tensor{{3, -4}, {0, 1}}
  T.near(x:norm():item(), math.sqrt(26), 1e-5)
  T.eq(x:norm(2, 2):totable(), {5, 1})
  T.eq(x:norm(1, 2, true):totable(), {{7}, {1}})
  T.eq(x:norm(math.huge):item(), 4)
  T.eq(x:norm('inf', 1):totable(), {3, 4})
  T.eq(x:norm(0):item(), 3)
  T.near(x:norm(3):item(), (27 + 64 + 1) ^ (1 / 3), 1e-5)
  T.eq(lyra.norm(x, 'fro'):item(), x:norm():item())
  T.near(x:dist(lyra.zeros(2, 2)):item(), math.sqrt(26), 1e-5)
  T.eq(lyra.dist(x, lyra.tensor{3, -4}, 1):item(), 3 + 5)
  T.raises('p must be >= 0', function() return x:norm(-1) end)
  T.raises("'nuc' is not a norm order", function() return x:norm('nuc') end)
  gradcheck(function(t) return t:norm(2, 2) end, {{3, -4}, {1, 2}}, 'norm')
  gradcheck(function(t) return t:norm(1) end, {{3, -4}, {1, 2}}, 'norm p=1')
  local z = lyra.zeros(3):requires_grad_()
  z:norm():backward()
  T.eq(z.grad:totable(), {0, 0, 0})
  local l = lyra.tensor{{1, 2, 3}, {1000, 1000, -math.huge}}:logsumexp(2):totable()
  T.near(l[1], math.log(math.exp(1) + math.exp(2) + math.exp(3)), 1e-5)
  T.near(l[2], 1000 + math.log(2), 1e-3)
  T.raises('dim is required', function() return x:logsumexp() end)
  gradcheck(function(t) return t:logsumexp(1) end, {{0.5, -1}, {2, 0}}, 'logsumexp')
end)

T.case('all, any (0/1 float tensors), argmin', function()
  local x = lyra.tensor{{1, 0, 2}, {3, 4, 0/0}}
  T.eq(x:all():item(), 0)
  T.eq(x:any():item(), 1)
  T.eq(x:all(2):totable(), {0, 1})   -- NaN counts as non-zero
  T.eq(lyra.any(x, 1, true):totable(), {{1, 1, 1}})
  T.eq(x:all():type(), 'lyra.FloatTensor')
  T.eq(lyra.zeros(0):all():item(), 1)
  T.eq(lyra.tensor(M):argmin():item(), 8)
  T.eq(lyra.tensor(M):argmin(2):totable(), {2, 4, 1})
  T.eq(lyra.argmin(lyra.tensor(M), 1, true):totable(), {{2, 1, 1, 2}})
  T.raises('empty tensor', function() return lyra.zeros(0):argmin() end)
end)

T.case('sort, argsort, topk: stable, 1-based, values differentiable', function()
  local x = lyra.tensor{3, 1, 2, 1, 3}
  local v, i = x:sort()
  T.eq(v:totable(), {1, 1, 2, 3, 3})
  T.eq(i:totable(), {2, 4, 3, 1, 5})
  v, i = lyra.sort(x, 1, true)
  T.eq(v:totable(), {3, 3, 2, 1, 1})
  T.eq(i:totable(), {1, 5, 3, 2, 4})
  T.eq(i:type(), 'lyra.IntTensor')
  T.eq(x:argsort():totable(), {2, 4, 3, 1, 5})
  local m = lyra.tensor(M)
  v, i = m:sort(1)
  for c = 1, 4 do   -- every column sorted, and the indices point at the values
    local col = {M[1][c], M[2][c], M[3][c]}
    table.sort(col)
    for r = 1, 3 do T.eq(v[{r, c}], col[r]); T.eq(M[i[{r, c}]][c], col[r]) end
  end
  v, i = m:topk(2)
  T.eq(v:totable(), {{4, 3}, {5, 5}, {7, 2}})
  T.eq(i:totable(), {{4, 1}, {2, 3}, {3, 1}})
  v, i = m:topk(1, 1, false)
  T.eq(v:totable(), {{0, 1, 2, -1}})
  T.raises('k = 5 out of range 0..4', function() return m:topk(5) end)
  T.raises('k = -1 out of range', function() return m:topk(-1) end)
  T.raises('number expected', function() return m:topk('two') end)
  T.raises('boolean expected', function() return m:sort(1, 'desc') end)
  gradcheck(function(t) return (t:sort(2, true)) end, {{0.3, -1, 2}, {5, 4, 4.5}}, 'sort values')
  gradcheck(function(t) return (t:topk(2, 1)) end, {{0.3, -1, 2}, {5, 4, 4.5}, {1, 1.5, -2}}, 'topk values')
end)

T.case('kthvalue, median (lower), mode', function()
  local m = lyra.tensor(M)
  local v, i = m:kthvalue(2)
  T.eq(v:totable(), {2, 0, 2})
  T.eq(i:totable(), {3, 1, 2})   -- ties keep their order: the second 2 of row 3 is at 2
  v, i = m:kthvalue(3, 1, true)
  T.eq(v:size(), {1, 4})
  T.eq(v:totable(), {{3, 5, 7, 4}})
  T.eq(lyra.tensor{4, 1, 3, 2}:median():item(), 2)   -- lower median, no averaging
  v, i = m:median(2)
  T.eq(v:totable(), {2, 0, 2})
  T.eq(i:totable(), {3, 1, 2})   -- ties keep their order: the second 2 of row 3 is at 2
  T.ok(lyra.tensor{1, 0/0, 3}:median():item() ~= lyra.tensor{1, 0/0, 3}:median():item(), 'NaN median')
  v, i = m:mode()
  T.eq(v:totable(), {1, 5, 2})
  T.eq(i:totable(), {2, 3, 4})
  T.raises('k = 5 out of range 1..4', function() return m:kthvalue(5) end)
  T.raises('out of range 1..4', function() return m:kthvalue(2^62) end)
  T.raises('no integer representation', function() return m:kthvalue(1.5) end)
  T.raises('k = 0 out of range', function() return m:kthvalue(0) end)
  T.raises('empty tensor', function() return lyra.zeros(0):median() end)
  T.raises('dimension 2 is empty', function() return lyra.zeros(3, 0):mode(2) end)
  T.raises('dimension 2 is empty', function() return lyra.zeros(3, 0):kthvalue(1) end)
  gradcheck(function(t) return (t:median(2)) end, {{0.3, -1, 2}, {5, 4, 4.5}}, 'median values')
  gradcheck(function(t) return (t:kthvalue(1, 1)) end, {{0.3, -1, 2}, {5, 4, 4.5}}, 'kthvalue values')
end)

T.case('unique and nonzero', function()
  local x = lyra.tensor{{2, 1, 2}, {0, 1, 5}}
  local u, inv, cnt = x:unique(true, true, true)
  T.eq(u:totable(), {0, 1, 2, 5})
  T.eq(inv:totable(), {{3, 2, 3}, {1, 2, 4}})
  T.eq(cnt:totable(), {1, 2, 2, 1})
  T.eq(select('#', x:unique()), 1)
  local u2, c2 = lyra.unique(x, true, false, true)
  T.eq(c2:totable(), {1, 2, 2, 1})
  T.eq(x:nonzero():totable(), {{1, 1}, {1, 2}, {1, 3}, {2, 2}, {2, 3}})
  T.eq(lyra.zeros(2, 2):nonzero():size(), {0, 2})
  T.eq(lyra.nonzero(lyra.tensor{0, 3, 0, 4}):totable(), {{2}, {4}})
end)

T.case('range (inclusive, Torch7), logspace, meshgrid', function()
  T.eq(lyra.range(1, 3):totable(), {1, 2, 3})
  T.eq(lyra.range(5, 1, -2):totable(), {5, 3, 1})
  T.eq(lyra.range(0, 1, 0.25):totable(), {0, 0.25, 0.5, 0.75, 1})
  T.eq(lyra.arange(1, 3):totable(), {1, 2})   -- arange keeps PyTorch's exclusive end
  T.raises('its sign is wrong', lyra.range, 1, 3, -1)
  T.raises('non-zero step', lyra.range, 1, 3, 0)
  T.raises('need finite bounds', lyra.range, 0/0, 3)
  T.raises('more than 1e9 values', lyra.range, 0, 1e308, 1e-308)
  near_tables(lyra.logspace(0, 2, 3):totable(), {1, 10, 100}, 1e-6, 'logspace')
  near_tables(lyra.logspace(0, 3, 4, 2):totable(), {1, 2, 4, 8}, 1e-6, 'logspace base 2')
  T.raises('steps must be positive', lyra.logspace, 0, 1, 0)
  local a, b = lyra.meshgrid(lyra.tensor{1, 2}, lyra.tensor{10, 20, 30})
  T.eq(a:totable(), {{1, 1, 1}, {2, 2, 2}})
  T.eq(b:totable(), {{10, 20, 30}, {10, 20, 30}})
  a, b = lyra.meshgrid({lyra.tensor{1, 2}, lyra.tensor{10, 20, 30}}, 'xy')
  T.eq(a:totable(), {{1, 2}, {1, 2}, {1, 2}})
  T.eq(b:totable(), {{10, 10}, {20, 20}, {30, 30}})
  T.raises("indexing must be 'ij' or 'xy'", lyra.meshgrid, lyra.tensor{1}, 'yx')
  T.raises('takes 1-D tensors', lyra.meshgrid, lyra.zeros(2, 2))
  T.raises('expected a non-empty list of tensors', lyra.meshgrid, {})
  T.raises('requested, above the limit', lyra.meshgrid, lyra.zeros(100000), lyra.zeros(100000), lyra.zeros(100000))
end)

T.case('random fills and sampling use lyra.manual_seed', function()
  lyra.manual_seed(7)
  local u = lyra.empty(4000):uniform_(2, 3)
  T.ok(u:min():item() >= 2 and u:max():item() < 3, 'uniform_ stays in [2, 3)')
  T.near(u:mean():item(), 2.5, 0.02)
  local n = lyra.empty(4000):normal_(5, 2)
  T.near(n:mean():item(), 5, 0.15)
  T.near(n:std():item(), 2, 0.15)
  local b = lyra.empty(4000):bernoulli_(0.25)
  T.near(b:mean():item(), 0.25, 0.03)
  T.eq(b:eq(0):add(b:eq(1)):min():item(), 1)
  local bp = lyra.zeros(4000, 2):bernoulli_(lyra.tensor{0, 1})
  T.eq(bp:mean(1):totable(), {0, 1})
  local p = lyra.full({4000}, 0.75)
  T.near(lyra.bernoulli(p):mean():item(), 0.75, 0.03)
  local d = lyra.multinomial(lyra.tensor{1, 0, 3}, 4000, true)
  T.eq(d:type(), 'lyra.IntTensor')
  T.eq(d:eq(2):sum():item(), 0)
  T.near(d:eq(3):float():mean():item(), 0.75, 0.03)
  local w = lyra.tensor{{1, 1, 0}, {0, 2, 2}}:multinomial(2)
  for r = 1, 2 do T.ok(w[{r, 1}] ~= w[{r, 2}], 'draws without replacement differ') end
  -- the same seed repeats every draw
  lyra.manual_seed(3)
  local first = {lyra.empty(5):uniform_():totable(), lyra.empty(5):normal_():totable(), lyra.multinomial(lyra.ones(6), 3):totable()}
  lyra.manual_seed(3)
  T.eq({lyra.empty(5):uniform_():totable(), lyra.empty(5):normal_():totable(), lyra.multinomial(lyra.ones(6), 3):totable()}, first)
end)

T.case('random: bad arguments are errors naming them', function()
  local x = lyra.zeros(3)
  T.raises('need finite bounds a <= b', function() x:uniform_(2, 1) end)
  T.raises('std must be finite and >= 0', function() x:normal_(0, -1) end)
  T.raises('within float range', function() x:uniform_(-1e308, 1e308) end)
  T.raises('p must be in [0, 1]', function() x:bernoulli_(1.5) end)
  T.raises('probabilities must be in [0, 1]', function() x:bernoulli_(lyra.tensor{0.5, 2, 0}) end)
  T.raises('probabilities must be in [0, 1]', lyra.bernoulli, lyra.tensor{0/0})
  T.raises('in-place update of a tensor that requires grad', function() lyra.zeros(2):requires_grad_():uniform_() end)
  T.raises('random fills need a float tensor', function() lyra.tensor({1, 2}, 'int'):normal_() end)
  T.raises('only 2 categories of positive weight', lyra.multinomial, lyra.tensor{1, 0, 1}, 3)
  T.raises('weights must be finite and >= 0', lyra.multinomial, lyra.tensor{1, -1}, 1)
  T.raises('weights of row 2 sum to 0', lyra.multinomial, lyra.tensor{{1, 1}, {0, 0}}, 1, true)
  T.raises('n must be >= 1', lyra.multinomial, lyra.tensor{1, 1}, 0)
  T.raises('weights must be 1-D or 2-D', lyra.multinomial, lyra.ones(2, 2, 2), 1)
end)

T.case('allclose, equal (booleans), isnan, isinf, isfinite (0/1 tensors)', function()
  local a = lyra.tensor{1, 100}
  T.eq(a:allclose(lyra.tensor{1, 100.0001}), true)
  T.eq(a:allclose(lyra.tensor{1, 101}), false)
  T.eq(lyra.allclose(a, lyra.tensor{1, 101}, 0.02), true)
  T.eq(lyra.allclose(a, lyra.tensor{1.5, 100}, 0, 0.6), true)
  T.eq(lyra.allclose(lyra.tensor{0/0}, lyra.tensor{0/0}), false)
  T.raises('do not broadcast', function() return a:allclose(lyra.zeros(3)) end)
  T.raises('rtol must be >= 0', function() return a:allclose(a, -1) end)
  T.eq(lyra.equal(a, lyra.tensor{1, 100}), true)
  T.eq(a:equal(lyra.tensor{{1, 100}}), false)
  T.raises('lyra.Tensor expected', function() return a:equal(3) end)
  local x = lyra.tensor{0/0, math.huge, -math.huge, 1}
  T.eq(x:isnan():totable(), {1, 0, 0, 0})
  T.eq(lyra.isinf(x):totable(), {0, 1, 1, 0})
  T.eq(x:isfinite():totable(), {0, 0, 0, 1})
end)

T.case('help text names each new function in both forms', function()
  for _, name in ipairs{'cumsum', 'cumprod', 'prod', 'norm', 'dist', 'logsumexp', 'all', 'any', 'argmin', 'sort',
                        'argsort', 'topk', 'kthvalue', 'median', 'mode', 'unique', 'nonzero', 'isnan', 'isinf',
                        'isfinite', 'allclose', 'equal', 'uniform_', 'normal_', 'bernoulli_', 'bernoulli', 'multinomial'} do
    local h = lyra.doc(lyra[name])
    T.ok(h and h:find('lyra.' .. name .. '(x', 1, true), 'lyra.' .. name .. ' help: ' .. tostring(h))
  end
  for _, name in ipairs{'range', 'logspace', 'meshgrid'} do
    T.ok((lyra.doc(lyra[name]) or ''):find('lyra.' .. name .. '(', 1, true), 'lyra.' .. name .. ' help')
  end
end)
