-- PyTorch checkpoints from Lua: lyra.load_pth and lyra.load_weights_into (Tests/fixtures/pth,
-- written once by scripts/bench/make_pth_fixtures.py with PyTorch 2.13; values in the .json beside them).
local T = require 'lyra.test'
local here = debug.getinfo(1, 'S').source:match('^@(.*)/[^/]*$') or '.'
local fixtures = here .. '/../fixtures/pth/'

local function json(name)
  local f = assert(io.open(fixtures .. name))
  local t = lyra.json.decode(f:read('a'))
  f:close()
  return t
end

T.case('load_pth: every dtype and view as PyTorch recorded it', function()
  local sd, info = lyra.load_pth(fixtures .. 'dtypes.pth')
  local want = json('dtypes.json')
  T.eq(info.wrapper, nil)
  for name, w in pairs(want) do
    local flat = sd[name]:float():view(-1)
    T.eq(flat:numel(), #w.values, name)
    for i, v in ipairs(w.values) do T.near(flat[i], v, math.abs(v) * 1e-6, name .. '[' .. i .. ']') end
  end
  T.eq(sd.i64:type(), 'lyra.FloatTensor', 'int64 beyond int32 comes back as floats')
end)

T.case('load_pth: the wrapper and the skipped entries are reported', function()
  local sd, info = lyra.load_pth(fixtures .. 'convnet.pth')
  T.eq(info.wrapper, 'state_dict')
  T.eq(info.skipped[1], 'epoch')
  T.eq(sd['module.bn.num_batches_tracked']:type(), 'lyra.IntTensor')
  T.eq(sd['module.fc.weight']:size(1), 3)
end)

T.case('load_pth: the legacy format (torch < 1.6) gives the same tensors', function()
  local new = lyra.load_pth(fixtures .. 'convnet.pth')
  local old = lyra.load_pth(fixtures .. 'convnet_legacy.pth')
  for name, t in pairs(old) do
    T.eq(t:float():view(-1):totable(), new['module.' .. name]:float():view(-1):totable(), name)
  end
end)

T.case('load_pth: a pickle that would run os.system is refused, naming it', function()
  T.raises("GLOBAL 'os.system' is not allowed", lyra.load_pth, fixtures .. 'hostile/global_os_system.pth')
  T.raises('INST', lyra.load_pth, fixtures .. 'hostile/inst.pth')
end)

T.case('load_weights_into: the Lyra model gives the output PyTorch recorded', function()
  local nn = lyra.nn
  local m = nn.Sequential(nn.Conv2d(1, 2, 3, {padding = 1}), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(32, 3))
  local report = lyra.load_weights_into(m, fixtures .. 'convnet.pth')
  T.ok(report:find('8 tensors loaded'), report)
  local io_ = json('convnet.json')
  local x = lyra.tensor(io_.input):view(2, 1, 4, 4)
  m:eval()
  local y = m(x):view(-1)
  for i, v in ipairs(io_.output) do T.near(y[i], v, 1e-5, 'output ' .. i) end
  -- A 5-class head: strict (no head given) refuses; with head = 'fc' the backbone loads.
  local m5 = nn.Sequential(nn.Conv2d(1, 2, 3, {padding = 1}), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(32, 5))
  T.raises('shape mismatches', lyra.load_weights_into, m5, fixtures .. 'convnet.pth')
  T.ok(lyra.load_weights_into(m5, fixtures .. 'convnet.pth', {head = 'fc'}):find('excluded %(head%)'))
end)
