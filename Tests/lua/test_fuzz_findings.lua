-- Bugs the lua-api fuzz target found (scripts/fuzz lua-api --libfuzzer), each as the call a
-- user could make. Every one of these crashed the process; now each is an error naming
-- the function, or a correct result. The inputs themselves are replayed from
-- Tests/fuzz/regressions/lua-api by FuzzRegressionTests.
local T = require 'lyra.test'
local nn = lyra.nn

T.case('fuzz: float-only modules refuse int tensors instead of trapping', function()
  local ints = lyra.zeros(2, 3):int()
  for _, m in ipairs { nn.Dropout(0.5), nn.LeakyReLU(0.1), nn.Zero(), nn.Linear(3, 2), nn.ReLU(),
                       nn.Sequential():add(nn.Identity()):add(nn.Linear(3, 2)) } do
    local ok, err = pcall(m.forward, m, ints)
    T.ok(not ok, tostring(m) .. ' accepted an int tensor')
    T.ok(tostring(err):find('expects a float tensor', 1, true), tostring(err))
  end
  -- Index-taking chains still take ints.
  local emb = nn.Sequential():add(nn.Embedding(5, 2)):add(nn.Linear(2, 1))
  T.eq(emb(lyra.tensor({1, 2, 3}):int()):size(), {3, 1})
end)

T.case('fuzz: criterion backward refuses an int input', function()
  for _, c in ipairs { nn.L1Loss(), nn.BCEWithLogitsLoss(), nn.MSELoss() } do
    local x = lyra.zeros(2, 3):int()
    T.raises('input must be a float tensor', c.backward, c, x, x)
    local e = lyra.zeros(0)
    T.raises('input has no elements', c.backward, c, e, e)
    T.raises('input has no elements', c.forward, c, e, e)
  end
end)

T.case('fuzz: a Sequential cannot contain itself', function()
  local s = nn.Sequential()
  T.raises('cannot add a module to itself', s.add, s, s)
  local outer = nn.Sequential():add(s)
  T.raises('cannot add a module to itself', s.add, s, outer)
  T.eq(#outer, 1)
  T.eq(#s, 0)
end)

T.case('fuzz: histograms of extreme values', function()
  for _, v in ipairs { {3.8e20}, {1e308, -1e308, 0}, {2^62, 2^62, 2^62}, {0 / 0, 1 / 0} } do
    local p = lyra.plot.histogram(v)
    T.ok(p ~= nil)
  end
end)

T.case('fuzz: randint bounds at the integer limits', function()
  T.raises('bounds must fit in int32', lyra.randint, math.mininteger, -14, 3)
  T.raises('bounds must fit in int32', lyra.randint, 0, math.maxinteger, 3)
  local r = lyra.randint(-3, 3, 100)
  T.ok(r:min():item() >= -3 and r:max():item() < 3)
end)

T.case('fuzz: empty tensors with huge other sizes', function()
  local e = lyra.empty(0, 2^62, 2^32)
  T.eq(e:numel(), 0)
  T.eq(e:dim(), 3)
end)

T.case('review (not a fuzz finding): pipeline.run refuses a negative seed and a worker count below 1 (it clamped them)', function()
  local cfg = {general = {}, pipeline = {}}
  T.raises('seed must be in 0', lyra.pipeline.run, cfg, {seed = -1})
  T.raises('workers must be in 1', lyra.pipeline.run, cfg, {workers = 0})
end)

T.case('fuzz: totable of an empty tensor with a huge leading size', function()
  local e = lyra.empty(2^62, 0, 2^31)
  T.raises('needs too many Lua tables', e.totable, e)
  T.eq(lyra.zeros(2, 0):totable(), {{}, {}})
end)

T.case('fuzz: math.mininteger as a position or an index (negating it trapped)', function()
  local x = lyra.tensor{1, 2, 3}
  T.raises('out of range', x.select, x, 1, math.mininteger)
  T.raises('out of range', function() return x[math.mininteger] end)
  T.raises('outside', x.narrow, x, 1, math.mininteger, 1)
  T.eq(x:select(1, -1):item(), 3)
  T.eq(x[-3], 1)
  T.raises('integers', x.index_select, x, 1, {math.mininteger})
end)
