-- lyra.nn from Lua: building, running, training, Lua-written modules, saving.
local T = require 'lyra.test'
local nn = lyra.nn

T.case('Sequential of engine modules: shapes, parameters, printing', function()
  local m = nn.Sequential():add(nn.Conv2d(1, 4, 3, {padding = 1, bias = false})):add(nn.BatchNorm2d(4)):add(nn.ReLU())
    :add(nn.MaxPool2d(2)):add(nn.Flatten()):add(nn.Linear(4 * 4 * 4, 3))
  T.eq(m:size(), 6); T.eq(#m, 6)
  T.eq(m:num_parameters(), 36 + 8 + 64 * 3 + 3)
  T.eq(#m:parameters(), 5)
  T.ok(m[1].weight ~= nil and m[6].bias ~= nil)
  T.eq(m:get(6):type(), 'nn.Linear')
  local y = m(lyra.randn(2, 1, 8, 8))
  T.eq(y:size(), {2, 3})
  local s = tostring(m)
  T.ok(s:find('(1): nn.Conv2d(1 -> 4, 3x3, pad 1, no bias)', 1, true), s)
  T.ok(s:find('-> 1x3', 1, true), 'output shapes after a forward')
  T.ok(s:find('239 parameters', 1, true), s)
  local named = m:named_parameters()
  T.ok(named['0.weight'] and named['5.bias'], 'checkpoint names')
end)

T.case('training with an optimiser-free loop reduces the loss', function()
  lyra.manual_seed(1)
  local m = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
  local x = lyra.randn(64, 2)
  local y = lyra.tensor(x[{ {}, 1 }]:gt(0):totable(), 'int') + 1   -- class 1 or 2 by sign
  local crit = nn.CrossEntropyLoss()
  local first
  for step = 1, 200 do
    local loss = crit(m(x), y)
    first = first or loss:item()
    m:zero_grad()
    loss:backward()
    lyra.no_grad(function()
      for _, p in ipairs(m:parameters()) do p:sub_(p.grad:mul(0.5)) end
    end)
  end
  local final = crit(m(x), y):item()
  T.ok(final < first * 0.3, ('loss %.3f -> %.3f'):format(first, final))
  local _, pred = m(x):max(2)
  T.ok(pred:eq(y):sum():item() >= 60, 'accuracy')
end)

T.case('a module written in Lua works inside Sequential with autograd through it', function()
  local Affine = {name = 'Affine'}
  Affine.__index = Affine
  function Affine.new(n)
    return setmetatable({w = lyra.ones(n):requires_grad_(), b = lyra.zeros(n):requires_grad_()}, Affine)
  end
  function Affine:forward(x) return x:mul(self.w) + self.b end
  local a = Affine.new(3)
  local m = nn.Sequential(nn.Linear(3, 3), a, nn.ReLU())
  T.eq(#m:parameters(), 4, 'Lua module parameters are found')
  local out = m(lyra.randn(4, 3)):sum()
  out:backward()
  T.ok(a.w.grad ~= nil and a.b.grad ~= nil, 'gradients reach the Lua module')
  T.eq(a.b.grad:size(), {3})
  local bad = {forward = function(self, x) return 'nope' end}
  T.raises('must return a lyra.Tensor', function() return nn.Sequential(bad)(lyra.zeros(1)) end)
  T.raises('a table with a forward method', function() return nn.Sequential():add({}) end)
end)

T.case('criteria: values, 1-based labels, backward', function()
  local logits = lyra.tensor{{2, 0, 0}, {0, 0, 3}}
  local y = lyra.tensor({1, 3}, 'int')
  local ce = nn.CrossEntropyLoss()
  local expected = -(math.log(math.exp(2) / (math.exp(2) + 2)) + math.log(math.exp(3) / (math.exp(3) + 2))) / 2
  T.near(ce(logits, y):item(), expected, 1e-5)
  T.near(ce:forward(logits, y):item(), expected, 1e-5)
  local g = ce:backward(logits, y)
  T.eq(g:size(), {2, 3})
  T.near(g:sum():item(), 0, 1e-6)
  T.near(nn.MSELoss()(lyra.tensor{1, 2}, lyra.tensor{3, 2}):item(), 2, 1e-6)
  T.near(nn.L1Loss()(lyra.tensor{1, 2}, lyra.tensor{3, 2}):item(), 1, 1e-6)
  T.raises('outside 1..3', function() return ce(logits, lyra.tensor({0, 1}, 'int')) end)
  T.raises("unknown option 'smoothing'", nn.CrossEntropyLoss, {smoothing = 0.1})
end)

T.case('save, load and build rebuild the same model', function()
  local path = os.tmpname() .. '.safetensors'
  local m = nn.reference('resnet_mini')
  local x = lyra.randn(2, 1, 28, 28)
  m(x)                                       -- moves batch-norm statistics
  m:eval()
  m:save(path)
  local back = nn.load(path)
  back:eval()
  T.eq((m(x) - back(x)):abs():max():item(), 0)
  local rebuilt = nn.build(m:describe())
  T.eq(rebuilt:num_parameters(), m:num_parameters())
  os.remove(path); os.remove(path:gsub('%.safetensors$', '.json'))
  T.raises('cannot read', nn.load, '/nonexistent/model.safetensors')
  T.raises("unknown network type 'Conv2D' (did you mean 'Conv2d'?)", nn.build, {type = 'Conv2D'})
end)

T.case('profile and latency', function()
  local p = nn.reference('cnn'):profile{1, 1, 28, 28}
  T.eq(p.parameters, 421738)
  T.near(p.macs / 1e6, 4.24, 0.01)
  T.ok(nn.reference('mlp'):latency({1, 1, 28, 28}, 3) > 0)
end)

T.case('constructor and input errors name the function', function()
  T.raises("lyra.nn.Conv2d: unknown option 'paddin' (did you mean 'padding'?)", nn.Conv2d, 1, 2, 3, {paddin = 1})
  T.raises('must divide by groups', nn.Conv2d, 3, 4, 3, {groups = 2})
  T.raises('in_features: must be at least 1', nn.Linear, 0, 2)
  T.raises('Linear: expected input [..., 4], got [2, 5]', function() return nn.Linear(4, 2)(lyra.zeros(2, 5)) end)
  T.raises('Conv2d: expected input [N, 3, H, W]', function() return nn.Conv2d(3, 4, 3)(lyra.zeros(1, 2, 5, 5)) end)
end)

T.case('m:to_onnx and lyra.onnx.load round-trip a model', function()
  lyra.manual_seed(3)
  local m = lyra.nn.reference('cnn'):eval()
  local path = os.tmpname() .. '.onnx'
  T.eq(m:to_onnx(path, {1, 1, 28, 28}), path)
  local back = lyra.onnx.load(path)
  local x = lyra.randn(2, 1, 28, 28)
  local d = (back(x) - m(x)):abs():max():item()
  T.ok(d < 1e-4, 'round trip difference ' .. tostring(d))
  os.remove(path)
  T.raises('cannot', lyra.onnx.load, '/nonexistent.onnx')
end)

T.case('nn.Embedding: indices from Lua are 1-based (Torch7 LookupTable), and the description keeps it', function()
  lyra.manual_seed(2)
  local e = nn.Embedding(3, 2)
  local w = e.weight
  local y = e(lyra.tensor({3, 1}, 'int'))
  T.near((y[1] - w[3]):abs():max():item(), 0, 0, 'index 3 is the third row')
  T.near((y[2] - w[1]):abs():max():item(), 0, 0, 'index 1 is the first row')
  T.raises('index 0 is out of range for 3 embeddings (1...3)', e, lyra.tensor({0}, 'int'))
  T.raises('index 4 is out of range', e, lyra.tensor({4}, 'int'))
  T.eq(e:describe().index_base, 1)
  T.raises("unknown option 'index_base'", nn.Embedding, 3, 2, {index_base = 0})
end)
