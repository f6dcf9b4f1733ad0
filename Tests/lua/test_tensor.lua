-- Tensor semantics from Lua: construction, indexing and slicing, broadcasting,
-- printing, autograd, conversions. Values are checked against hand computations.
local T = require 'lyra.test'

local function close(a, b, tol)
  T.eq(a:size(), b:size(), 'shape')
  local d = (a:float() - b:float()):abs():max():item()
  T.ok(d <= (tol or 1e-5), 'max difference ' .. d)
end

T.case('constructors and sizes', function()
  local z = lyra.zeros(3, 4)
  T.eq(z:size(), {3, 4}); T.eq(#z, {3, 4}); T.eq(z:dim(), 2); T.eq(z:numel(), 12)
  T.eq(lyra.ones({2, 2}):sum():item(), 4)
  T.eq(lyra.full({2, 3}, 7):totable(), {{7, 7, 7}, {7, 7, 7}})
  T.eq(lyra.arange(5):totable(), {0, 1, 2, 3, 4})
  T.eq(lyra.arange(1, 2, 0.25):numel(), 4)
  T.eq(lyra.linspace(0, 1, 5):totable(), {0, 0.25, 0.5, 0.75, 1})
  T.eq(lyra.eye(2):totable(), {{1, 0}, {0, 1}})
  T.eq(lyra.tensor{{1, 2}, {3, 4}}:totable(), {{1, 2}, {3, 4}})
  T.eq(lyra.tensor(5):item(), 5)
  T.eq(lyra.tensor({1, 2}, 'int'):type(), 'lyra.IntTensor')
  T.raises('ragged table', lyra.tensor, {{1, 2}, {3}})
  T.raises('size -1 is negative', lyra.zeros, 2, -1)
end)

T.case('seeded random numbers repeat', function()
  lyra.manual_seed(42)
  local a = lyra.randn(5):totable()
  lyra.manual_seed(42)
  T.eq(lyra.randn(5):totable(), a)
  local r = lyra.rand(1000)
  T.ok(r:min():item() >= 0 and r:max():item() < 1)
  local p = lyra.randperm(6):totable()
  table.sort(p)
  T.eq(p, {1, 2, 3, 4, 5, 6})
end)

T.case('indexing and slicing are 1-based views', function()
  local x = lyra.tensor{{1, 2, 3}, {4, 5, 6}}
  T.eq(x[2]:totable(), {4, 5, 6})
  T.eq(x[2][3], 6)
  T.eq(x[{2, 3}], 6)
  T.eq(x[{-1, -1}], 6)
  T.eq(x[{ {}, 2 }]:totable(), {2, 5})
  T.eq(x[{ {1, 2}, {2, 3} }]:totable(), {{2, 3}, {5, 6}})
  T.eq(x[{ {2}, {} }]:size(), {1, 3})
  x[{ {}, 1 }] = -1          -- assignment through a view changes x
  T.eq(x:totable(), {{-1, 2, 3}, {-1, 5, 6}})
  x[1] = lyra.tensor{7, 8, 9}
  T.eq(x[1]:totable(), {7, 8, 9})
  local v = x:narrow(2, 2, 2)
  v:fill(0)
  T.eq(x:totable(), {{7, 0, 0}, {-1, 0, 0}})
  T.raises('out of range', function() return x[3] end)
  T.raises('out of range', function() return x[{1, 4}] end)
  T.raises('3 indices for a 2-D tensor', function() return x[{1, 1, 1}] end)
end)

T.case('views share storage; reshape, transpose, permute', function()
  local a = lyra.arange(6):float()
  local b = a:view(2, 3)
  b[{1, 1}] = 100
  T.eq(a[1], 100)
  T.eq(b:t():size(), {3, 2})
  T.eq(b:t()[{3, 2}], 5)
  T.eq(lyra.zeros(2, 3, 4):permute(3, 1, 2):size(), {4, 2, 3})
  T.eq(lyra.zeros(6):reshape(-1, 2):size(), {3, 2})
  T.eq(lyra.zeros(1, 3, 1):squeeze():size(), {3})
  T.eq(lyra.zeros(3):unsqueeze(1):size(), {1, 3})
  T.eq(lyra.zeros(2, 1):expand(2, 4):size(), {2, 4})
  T.raises('invalid for 6 elements', function() return a:view(4, 2) end)
end)

T.case('broadcasting arithmetic with tensors and numbers', function()
  local a = lyra.tensor{{1}, {2}, {3}}      -- 3x1
  local b = lyra.tensor{10, 20}             -- 2
  T.eq((a + b):totable(), {{11, 21}, {12, 22}, {13, 23}})
  T.eq((a - 1):totable(), {{0}, {1}, {2}})
  T.eq((2 * a):totable(), {{2}, {4}, {6}})
  T.eq((1 - a):totable(), {{0}, {-1}, {-2}})
  T.eq((a / 2):totable(), {{0.5}, {1}, {1.5}})
  T.eq(a:mul(b):totable(), {{10, 20}, {20, 40}, {30, 60}})
  T.eq((-a):totable(), {{-1}, {-2}, {-3}})
  T.eq((a ^ 2):totable(), {{1}, {4}, {9}})
  T.raises('do not broadcast', function() return lyra.zeros(2, 3) + lyra.zeros(4) end)
end)

T.case('matrix products follow Torch7', function()
  local m = lyra.tensor{{1, 2}, {3, 4}}
  T.eq((m * m):totable(), {{7, 10}, {15, 22}})
  T.eq(lyra.tensor{1, 2, 3} * lyra.tensor{4, 5, 6}, 32)         -- 1-D · 1-D is a number
  T.eq((m * lyra.tensor{1, 1}):totable(), {3, 7})
  T.eq(m:matmul(m):totable(), {{7, 10}, {15, 22}})
  T.eq(lyra.zeros(4, 2, 3):matmul(lyra.zeros(3, 5)):size(), {4, 2, 5})
  T.raises('inner sizes 2 and 3 differ', function() return m * lyra.zeros(3, 2) end)
end)

T.case('reductions take 1-based dims and give 1-based indices', function()
  local x = lyra.tensor{{1, 5, 2}, {7, 0, 3}}
  T.eq(x:sum():item(), 18)
  T.eq(x:sum(1):totable(), {8, 5, 5})
  T.eq(x:sum(2, true):size(), {2, 1})
  local m = x:mean(-1); T.near(m[1], 8 / 3, 1e-5); T.near(m[2], 10 / 3, 1e-5)
  local v, i = x:max(2)
  T.eq(v:totable(), {5, 7}); T.eq(i:totable(), {2, 1})
  T.eq(x:argmax():item(), 4)
  T.eq(x:argmax(1):totable(), {2, 1, 2})
  T.near(lyra.tensor{1, 2, 3, 4}:var():item(), 5 / 3, 1e-5)
  T.raises('dimension 3 out of range', function() return x:sum(3) end)
end)

T.case('math and activations against direct formulas', function()
  local x = lyra.tensor{-2, -0.5, 0, 0.5, 2}
  local vals = x:totable()
  local function each(t, f)
    local out = {}
    for k, v in ipairs(t) do out[k] = f(v) end
    return out
  end
  close(x:exp(), lyra.tensor(each(vals, math.exp)))
  close(x:relu(), lyra.tensor(each(vals, function(v) return math.max(v, 0) end)))
  close(x:sigmoid(), lyra.tensor(each(vals, function(v) return 1 / (1 + math.exp(-v)) end)))
  close(x:tanh(), lyra.tensor(each(vals, function(v) return (math.exp(v) - math.exp(-v)) / (math.exp(v) + math.exp(-v)) end)))
  close(x:clamp(-1, 1), lyra.tensor{-1, -0.5, 0, 0.5, 1})
  close(lyra.tensor{{1, 2, 3}}:softmax(), lyra.tensor{{math.exp(1), math.exp(2), math.exp(3)}} / (math.exp(1) + math.exp(2) + math.exp(3)))
  T.eq(x:gt(0):totable(), {0, 0, 0, 1, 1})
end)

T.case('autograd: backward, grad, accumulation, no_grad', function()
  local w = lyra.tensor{1, 2, 3}:requires_grad_()
  local loss = (w:mul(w)):sum()           -- d/dw = 2w
  loss:backward()
  T.eq(w.grad:totable(), {2, 4, 6})
  loss = (w:mul(w)):sum()
  loss:backward()                        -- accumulates
  T.eq(w.grad:totable(), {4, 8, 12})
  w:zero_grad()
  T.eq(w.grad, nil)
  local y = lyra.no_grad(function() return w:mul(2) end)
  T.ok(not y.requires_grad)
  T.ok(lyra.is_grad_enabled())
  T.raises('in-place update of a tensor that requires grad', function() w:add_(1) end)
  lyra.no_grad(function() w:add_(1) end)
  T.eq(w:totable(), {2, 3, 4})
  T.raises('does not require grad', function() lyra.zeros(1):backward() end)
end)

T.case('gradient of a small network matches finite differences', function()
  lyra.manual_seed(3)
  local W = lyra.randn(4, 3):requires_grad_()
  local x = lyra.randn(5, 4)
  local function f() return (x * W):tanh():sum() end
  local loss = f()
  loss:backward()
  local g = W.grad:clone()
  local eps = 1e-2
  for i = 1, 4 do for j = 1, 3 do
    local up, down
    lyra.no_grad(function()
      local v = W[{i, j}]
      W[{i, j}] = v + eps; up = f():item()
      W[{i, j}] = v - eps; down = f():item()
      W[{i, j}] = v
    end)
    T.near(g[{i, j}], (up - down) / (2 * eps), 2e-2)
  end end
end)

T.case('printing like Torch7, summarised past the threshold', function()
  local s = tostring(lyra.tensor{{1, 2}, {3, 4}})
  T.eq(s, ' 1 2\n 3 4\n[lyra.FloatTensor of size 2x2]')
  local big = tostring(lyra.zeros(100, 100))
  T.ok(big:find('...', 1, true), 'summarised')
  T.ok(#big < 500, 'short')
  lyra.setprintoptions{precision = 2}
  T.ok(tostring(lyra.tensor{0.12345}):find('0.12\n', 1, true))
  lyra.setprintoptions{precision = 4}
  T.ok(lyra.pretty({t = lyra.zeros(3, 4)}):find('lyra.FloatTensor - size: 3x4', 1, true), 'one line inside tables')
  T.raises("unknown option 'precison'", lyra.setprintoptions, {precison = 2})
end)

T.case('memory: free and close release at once', function()
  local x = lyra.zeros(10)
  x:free()
  T.raises('already freed', function() return x:sum() end)
  do local y <close> = lyra.zeros(10) end
  -- a loop allocating 4 MB tensors needs no collectgarbage()
  local before = lyra.memory()
  for i = 1, 200 do local t = lyra.zeros(1024, 1024) end
  T.ok(lyra.memory() - before < 100000, 'Lua heap stays small')
end)
