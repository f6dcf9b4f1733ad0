-- int64, float64 and bool tensors from Lua: creation with a dtype, conversions, exact
-- values through item/indexing/totable/printing, arithmetic and reductions in the right
-- type, safetensors round trips, and a clear error from every op that takes float32 only.
local T = require 'lyra.test'
local nn = lyra.nn

local BIG = (1 << 53) + 1 -- a Lua integer no double can hold

T.case('dtypes: creation with a dtype and the Torch7 constructors', function()
  T.eq(lyra.zeros(2, 3, {dtype = 'int64'}).dtype, 'int64')
  T.eq(lyra.zeros({2, 3}, {dtype = lyra.float64}):type(), 'lyra.DoubleTensor')
  T.eq(lyra.ones(2, {dtype = 'bool'}):totable()[1], true)
  T.eq(lyra.empty(4, {dtype = 'long'}).dtype, 'int64')
  T.eq(lyra.tensor({1, 2, 3}, {dtype = 'int64'}):type(), 'lyra.LongTensor')
  T.eq(lyra.tensor({1, 2}, 'double').dtype, 'float64')
  T.eq(lyra.tensor({true, false}, {dtype = 'bool'}):type(), 'lyra.BoolTensor')
  T.eq(lyra.tensor({1, 2}).dtype, 'float32') -- the default is unchanged
  T.eq(lyra.tensor({1, 2}, 'int').dtype, 'int32')
  T.eq(lyra.full({2}, BIG, {dtype = 'int64'})[2], BIG)
  local a = lyra.arange(5, {dtype = 'int64'})
  T.eq(a.dtype, 'int64')
  T.eq(a:totable(), {0, 1, 2, 3, 4})
  T.eq(lyra.arange(0, 1, 0.25, {dtype = 'float64'}):totable(), {0, 0.25, 0.5, 0.75})
  T.eq(lyra.LongTensor{4, 5}:totable(), {4, 5})
  T.eq(lyra.DoubleTensor(2, 3):size()[2], 3)
  T.eq(lyra.DoubleTensor(2, 3):sum():item(), 0)
  T.eq(lyra.BoolTensor{true, false, true}:sum():item(), 2)
  T.eq(lyra.FloatTensor{1, 2}.dtype, 'float32')
  T.eq(lyra.IntTensor{1, 2}.dtype, 'int32')
  T.eq(lyra.int64, 'int64')
  T.eq(lyra.long, 'int64')
  T.eq(lyra.double, 'float64')
  T.eq(lyra.bool, 'bool')
  T.ok(lyra.rand(3, {dtype = 'float64'}).dtype == 'float64')
  T.raises("unknown dtype 'int65'", lyra.zeros, 2, {dtype = 'int65'})
  T.raises('makes float32 or float64 tensors', lyra.rand, 2, {dtype = 'int64'})
  T.raises('unknown option', lyra.zeros, 2, {dtpye = 'int64'})
  T.raises('only float32 tensors can require gradients', lyra.zeros, 2, {dtype = 'int64', requires_grad = true})
  T.ok(lyra.zeros(2, {requires_grad = true}).requires_grad)
  local l = lyra.tensor({1, 2}, 'int64')
  T.eq(lyra.zeros_like(l).dtype, 'int64')
  T.eq(lyra.ones_like(lyra.tensor({1}, 'bool')):totable(), {true})
  T.eq(lyra.full_like(l, BIG):totable(), {BIG, BIG})
  T.eq(lyra.rand_like(lyra.tensor({1}, 'double')).dtype, 'float64')
  T.raises('draws floats and x is an int64 tensor', lyra.randn_like, l)
end)

T.case('dtypes: Lua integers stay exact in int64 tensors', function()
  local x = lyra.tensor({1, BIG, -BIG}, {dtype = 'int64'})
  T.eq(x[2], BIG)
  T.eq(math.type(x[2]), 'integer')
  T.eq(x:narrow(1, 3, 1):item(), -BIG)
  T.eq(x:totable(), {1, BIG, -BIG})
  T.eq(x:max():item(), BIG)
  T.eq(x:argmax():item(), 2)
  x[1] = BIG + 1
  T.eq(x[1], BIG + 1)
  T.eq(lyra.load ~= nil, true)
  T.eq((x + 1)[2], BIG + 1) -- int64 + Lua integer stays int64
  T.eq((x - x)[2], 0)
  T.eq(x:sum():item(), BIG + 1 + BIG - BIG)
  T.ok(tostring(x):find('9007199254740993', 1, true), tostring(x))
  T.ok(tostring(x):find('[lyra.LongTensor of size 3]', 1, true))
  T.raises('cannot be stored in an int64 tensor', function() x[1] = 0.5 end)
end)

T.case('dtypes: conversions truncate toward zero, refuse NaN, bool is ~= 0', function()
  local f = lyra.tensor({2.7, -2.7, 0, 0.5})
  T.eq(f:long():totable(), {2, -2, 0, 0})
  T.eq(f:int():totable(), {2, -2, 0, 0})
  T.eq(f:bool():totable(), {true, true, false, true})
  T.eq(f:to('int64').dtype, 'int64')
  T.eq(f:to(lyra.float64).dtype, 'float64')
  T.eq(f:to('lyra.LongTensor').dtype, 'int64')
  T.eq(f:type('torch.DoubleTensor').dtype, 'float64')
  T.eq(f:double():float().dtype, 'float32')
  T.eq(lyra.tensor({BIG}, {dtype = 'int64'}):double():long()[1], BIG - 1) -- double rounds 2^53+1
  T.raises('cannot be converted to int64', function() return lyra.tensor({0 / 0}):long() end)
  T.raises('cannot be converted to int32', function() return lyra.tensor({1e10}, 'double'):int() end)
  T.raises("unknown dtype 'complex'", function() return f:to('complex') end)
  local t = lyra.tensor({{1, 2}, {3, 4}}, {dtype = 'int64'})
  T.eq(t:t():contiguous():totable(), {{1, 3}, {2, 4}})
  T.eq(t:t():double():totable(), {{1, 3}, {2, 4}})
end)

T.case('dtypes: printing shows the dtype and the values', function()
  T.eq(tostring(lyra.tensor({1, 2}, {dtype = 'int64'})), ' 1\n 2\n[lyra.LongTensor of size 2]')
  T.eq(tostring(lyra.tensor({true, false}, {dtype = 'bool'})), '  true\n false\n[lyra.BoolTensor of size 2]')
  T.eq(tostring(lyra.tensor(7, {dtype = 'int64'})), '7\n[lyra.LongTensor of size ()]')
  T.eq(tostring(lyra.tensor({0.5}, 'double')), ' 0.5000\n[lyra.DoubleTensor of size 1]')
  T.eq(lyra.pretty({lyra.zeros(2, {dtype = 'bool'})}), '{lyra.BoolTensor - size: 2}')
end)

T.case('dtypes: float64 keeps double precision where float32 loses it', function()
  local one = lyra.tensor({1}, 'double')
  local r = (one + 1e-10) - 1
  T.eq(r.dtype, 'float64')
  T.eq(r[1], (1 + 1e-10) - 1)
  T.eq(((lyra.tensor({1}) + 1e-10) - 1)[1], 0) -- float32 rounds it away
  local steps = lyra.tensor({0, 1e-16, 2e-16, 3e-16}, 'double')
  T.eq(steps:gt(1.5e-16):totable(), {false, false, true, true})
  T.eq(steps:sum():item(), 0 + 1e-16 + 2e-16 + 3e-16)
  T.eq(steps:mean():item(), (0 + 1e-16 + 2e-16 + 3e-16) / 4)
  local a = lyra.tensor({{1 + 1e-12, 2}, {3, 4}}, 'double')
  local b = lyra.tensor({{1}, {1e-12}}, 'double')
  local c = a:matmul(b)
  T.eq(c.dtype, 'float64')
  T.eq(c[1][1], (1 + 1e-12) * 1 + 2 * 1e-12)
  T.eq((a * b)[2][1], 3 + 4e-12)
end)

T.case('dtypes: arithmetic, comparisons and reductions follow PyTorch types', function()
  local i = lyra.tensor({1, 2, 3}, {dtype = 'int64'})
  local f = lyra.tensor({0.5, 0.5, 0.5})
  T.eq((i + f).dtype, 'float32')
  T.eq((i + f):totable(), {1.5, 2.5, 3.5})
  T.eq((i + i:double()).dtype, 'float64')
  T.eq((i * 2).dtype, 'int64')
  T.eq((i * 2.5).dtype, 'float32')
  T.eq((i / 2).dtype, 'float32')
  T.eq((i / 2):totable(), {0.5, 1, 1.5})
  T.eq((-i):totable(), {-1, -2, -3})
  T.eq(i:neg():abs():totable(), {1, 2, 3})
  T.eq(i:sub(1):totable(), {0, 1, 2})
  T.eq(lyra.add(i, i):totable(), {2, 4, 6})
  T.eq(i:eq(2):totable(), {false, true, false})
  T.eq(i:ge(lyra.tensor({3, 2, 1}, {dtype = 'int64'})):totable(), {false, true, true})
  T.eq(i:gt(1).dtype, 'bool')
  local b = lyra.tensor({true, false, true}, {dtype = 'bool'})
  T.eq((b + i).dtype, 'int64')
  T.eq((b + i):totable(), {2, 2, 4})
  T.eq(b:sum().dtype, 'int64')
  local big = lyra.full({3}, (1 << 24) + 1, {dtype = 'int64'})
  T.eq(big:sum():item(), 3 * ((1 << 24) + 1))
  local m = lyra.tensor({{3, 9, 9}, {7, 1, 2}}, {dtype = 'int64'})
  T.eq(m:sum(1):totable(), {10, 10, 11})
  T.eq(m:sum(2, true):totable(), {{21}, {10}})
  local v, idx = m:max(2)
  T.eq(v:totable(), {9, 7})
  T.eq(idx:totable(), {2, 1}) -- 1-based, first on ties
  T.eq(m:argmin(1):totable(), {1, 2, 2})
  T.eq(m:min():item(), 1)
  T.raises('mean of a int64 tensor', function() return m:mean() end)
  T.eq(m:double():mean():item(), 31 / 6)
end)

T.case('dtypes: masks, indices and joins accept the new dtypes', function()
  local x = lyra.tensor({10, 20, 30, 40})
  local mask = lyra.tensor({1, 0, 1, 0}):bool()
  T.eq(x[mask]:totable(), {10, 30})
  T.eq(x:masked_select(mask):totable(), {10, 30})
  local y = x:clone()
  y[mask] = 0
  T.eq(y:totable(), {0, 20, 0, 40})
  local l = lyra.tensor({5, 6, 7}, {dtype = 'int64'})
  l[l:gt(5)] = BIG
  T.eq(l:totable(), {5, BIG, BIG})
  l:masked_fill_(l:eq(5), -1)
  T.eq(l[1], -1)
  local idx = lyra.tensor({4, 1}, {dtype = 'int64'})
  T.eq(x:index_select(1, idx):totable(), {40, 10})
  T.eq(l:index_select(1, lyra.tensor({2, 1}, {dtype = 'int64'})):totable(), {BIG, -1})
  T.eq(x:view(2, 2):gather(2, lyra.tensor({{2}, {1}}, {dtype = 'int64'})):totable(), {{20}, {30}})
  local e = nn.Embedding(5, 2)
  T.eq(e:forward(lyra.tensor({1, 5}, {dtype = 'int64'})):size()[1], 2)
  local crit = nn.CrossEntropyLoss()
  local loss32 = crit:forward(lyra.tensor({{1, 2}, {0, 3}}), lyra.tensor({2, 1}, 'int'))
  local loss64 = crit:forward(lyra.tensor({{1, 2}, {0, 3}}), lyra.tensor({2, 1}, {dtype = 'int64'}))
  T.eq(loss64:item(), loss32:item())
  T.eq(lyra.cat({l, lyra.tensor({1}, {dtype = 'int64'})}):totable(), {-1, BIG, BIG, 1})
  T.eq(lyra.cat({l, lyra.tensor({0.5})}).dtype, 'float32')
  T.eq(lyra.stack({l, l}):size()[1], 2)
  local d = lyra.zeros(2, 2, {dtype = 'float64'})
  d:copy(lyra.tensor({{1, 2}, {3, 4}}))
  d[{1, 2}] = 1e-300
  T.eq(d:totable(), {{1, 1e-300}, {3, 4}})
  d:fill(0.25)
  T.eq(d:expand(3, 2, 2):sum():item(), 3)
  T.eq(d:narrow(1, 2, 1):squeeze():totable(), {0.25, 0.25})
  T.eq(d:permute(2, 1):reshape(4):totable(), {0.25, 0.25, 0.25, 0.25})
end)

T.case('dtypes: ops that take float32 only refuse the new dtypes by name', function()
  local l = lyra.tensor({1, 2}, {dtype = 'int64'})
  local d = lyra.tensor({1, 2}, 'double')
  local b = lyra.tensor({true}, {dtype = 'bool'})
  T.raises('sin does not support int64 tensors (it takes float32); convert with x:float()', function() return l:sin() end)
  T.raises('exp does not support float64 tensors', function() return d:exp() end)
  T.raises('softmax does not support bool tensors', function() return b:softmax() end)
  T.raises('sqrt does not support int64', function() return lyra.sqrt(l) end)
  T.raises('only float32 tensors can require gradients, this one is int64', function() return l:requires_grad_() end)
  T.raises('float64 has no autograd', function() return d:requires_grad_() end)
  T.raises('matrix products of int64 and int64', function() return l:matmul(l) end)
  T.raises('does not support float64', function() return nn.Linear(2, 2):forward(d:view(1, 2)) end)
  T.raises('__unm does not support bool tensors', function() return -b end)
  T.raises('in-place arithmetic needs a float tensor', function() return l:add_(1) end)
  -- the same ops still work after :float()
  T.near(l:float():sin()[1], math.sin(1), 1e-6)
end)

T.case('dtypes: lyra.save / lyra.load keep int64, float64 and bool exactly', function()
  local path = os.tmpname() .. '.safetensors'
  lyra.save(path, {
    l = lyra.tensor({{1, BIG}, {-BIG, 0}}, {dtype = 'int64'}),
    d = lyra.tensor({1 + 1e-15, 1e-300}, 'double'),
    b = lyra.tensor({true, false, true}, {dtype = 'bool'}),
    f = lyra.tensor({0.5}),
    i = lyra.tensor({-3}, 'int'),
  })
  local t = lyra.load(path)
  os.remove(path)
  T.eq(t.l.dtype, 'int64')
  T.eq(t.l:totable(), {{1, BIG}, {-BIG, 0}})
  T.eq(t.d.dtype, 'float64')
  T.eq(t.d:totable(), {1 + 1e-15, 1e-300})
  T.eq(t.b.dtype, 'bool')
  T.eq(t.b:totable(), {true, false, true})
  T.eq(t.f.dtype, 'float32')
  T.eq(t.i:totable(), {-3})
end)

T.case('dtypes: every tensor method and lyra function survives int64, float64 and bool arguments', function()
  -- Each call may succeed or raise; what it must not do is crash the process or read a
  -- float32 kernel's worth of bytes from a 1-byte bool buffer (the run would die here).
  local base = lyra.tensor({{1, 2}, {3, 4}})
  local mt = getmetatable(base)
  local names = {}
  for k, v in pairs(mt.__methods) do if type(v) == 'function' and k ~= 'free' then names[#names + 1] = k end end
  for k, v in pairs(mt) do
    if type(v) == 'function' and k:sub(1, 2) == '__' and k ~= '__gc' and k ~= '__close' then names[#names + 1] = k end
  end
  table.sort(names)
  local calls, raised = 0, 0
  for _, dt in ipairs({'int64', 'float64', 'bool'}) do
    for _, name in ipairs(names) do
      local f = mt.__methods[name] or mt[name]
      for _, args in ipairs({{}, {1}, {2}, {1, 2}, {'x'}, {'x', 'x'}, {1, 'x'}, {'m'}, {1, 1, 1}}) do
        local a = {}
        for i, v in ipairs(args) do a[i] = (v == 'x' and base:to(dt)) or (v == 'm' and base:gt(2):bool()) or v end
        local ok, err = pcall(f, base:to(dt), table.unpack(a))
        calls = calls + 1
        if not ok then
          raised = raised + 1
          T.ok(type(err) == 'string' and #err > 0, name)
        end
      end
    end
  end
  T.ok(calls > 1000 and raised > 0 and raised < calls, calls .. ' calls, ' .. raised .. ' raised')
  -- The lyra.* forms of the methods and the tensor constructors (not the host's functions,
  -- some of which set printing options for the cases that follow).
  local fns = {'tensor', 'zeros', 'ones', 'empty', 'full', 'rand', 'randn', 'arange', 'linspace', 'eye', 'cat', 'stack', 'where',
               'meshgrid', 'zeros_like', 'ones_like', 'full_like', 'rand_like', 'randn_like', 'LongTensor', 'DoubleTensor',
               'BoolTensor', 'IntTensor', 'FloatTensor', 'equal', 'allclose', 'maximum', 'minimum', 'outer', 'range', 'logspace'}
  for _, name in ipairs(names) do if type(rawget(lyra, name)) == 'function' then fns[#fns + 1] = name end end
  for _, dt in ipairs({'int64', 'float64', 'bool'}) do
    for _, k in ipairs(fns) do
      local f = rawget(lyra, k)
      if type(f) == 'function' then
        for _, args in ipairs({{'x'}, {'x', 'x'}, {'x', 1}, {'l'}, {1, 'x'}}) do
          local a = {}
          for i, v in ipairs(args) do
            a[i] = (v == 'x' and base:to(dt)) or (v == 'l' and {base:to(dt), base:to(dt)}) or v
          end
          pcall(f, table.unpack(a))
        end
      end
    end
  end
end)
