-- lyra.nn layers and losses of issue 17 from Lua: values against loops written here,
-- 1-based dimensions and labels, descriptions, and errors on hostile arguments.
local T = require 'lyra.test'
local nn = lyra.nn

local function flat(x) return x:contiguous():view(x:numel()):totable() end

local function near_all(a, b, tol, what)
  T.eq(#a, #b, what .. ': length')
  for i = 1, #a do
    if math.abs(a[i] - b[i]) > tol then error(('%s[%d]: %g vs reference %g'):format(what, i, a[i], b[i]), 2) end
  end
end

T.case('Softmax and LogSoftmax along a 1-based dimension match loops', function()
  lyra.manual_seed(3)
  local x = lyra.randn(2, 3)
  local v = x:totable()
  local ref, logref = {}, {}
  for i = 1, 2 do
    local s = 0
    for j = 1, 3 do s = s + math.exp(v[i][j]) end
    for j = 1, 3 do ref[#ref + 1] = math.exp(v[i][j]) / s; logref[#logref + 1] = v[i][j] - math.log(s) end
  end
  near_all(flat(nn.Softmax(2)(x)), ref, 1e-6, 'Softmax(2)')
  near_all(flat(nn.Softmax()(x)), ref, 1e-6, 'Softmax() is the last dimension')
  near_all(flat(nn.LogSoftmax(-1)(x)), logref, 1e-6, 'LogSoftmax(-1)')
  -- dim 1 normalises the columns: each sums to 1
  local cols = nn.Softmax(1)(x):sum(1)
  near_all(flat(cols), {1, 1, 1}, 1e-6, 'Softmax(1) column sums')
  T.raises('0 is not a dimension', nn.Softmax, 0)
  T.raises('dimension 2 does not exist', function() return nn.Softmax(3)(x) end)
  T.eq(nn.Softmax(2):describe().dim, 1, 'descriptions are 0-based as Flatten')
  T.ok(tostring(nn.Softmax(2)):find('nn.Softmax(dim 2)', 1, true), 'printed 1-based, as given: ' .. tostring(nn.Softmax(2)))
  T.ok(tostring(nn.LogSoftmax()):find('nn.LogSoftmax(dim -1)', 1, true))
  T.ok(tostring(nn.Unflatten(2, {4, -1})):find('nn.Unflatten(dim 2, [4, -1])', 1, true))
end)

T.case('NLLLoss after LogSoftmax equals CrossEntropyLoss, 1-based labels', function()
  lyra.manual_seed(4)
  local x, y = lyra.randn(5, 4), lyra.tensor({1, 4, 2, 2, 3}, 'int')
  local nll = nn.NLLLoss()(nn.LogSoftmax(2)(x), y):item()
  T.near(nll, nn.CrossEntropyLoss()(x, y):item(), 1e-5)
  local logp = x:log_softmax(2):totable()
  local sum = 0
  for i, c in ipairs({1, 4, 2, 2, 3}) do sum = sum - logp[i][c] end
  T.near(nn.NLLLoss({reduction = 'sum'})(x:log_softmax(2), y):item(), sum, 1e-5)
  T.eq(nn.NLLLoss({reduction = 'none'})(x:log_softmax(2), y):size(), {5})
  T.raises('outside 1..4', function() return nn.NLLLoss()(x, lyra.tensor({0, 1, 1, 1, 1}, 'int')) end)
  T.raises('int tensor', function() return nn.NLLLoss()(x, lyra.tensor({1, 1, 1, 1, 1})) end)
  T.raises("reduction must be one of 'mean', 'sum', 'none', got 'batchmean'", nn.NLLLoss, {reduction = 'batchmean'})
  -- class weights and a label to ignore (here 0, padding in 1-based labels)
  local w = lyra.tensor({1, 2, 0.5, 3})
  local yi = lyra.tensor({1, 0, 2, 2, 0}, 'int')
  local num, den = 0, 0
  for i, c in ipairs({1, 0, 2, 2, 0}) do if c > 0 then num = num - w:totable()[c] * logp[i][c]; den = den + w:totable()[c] end end
  T.near(nn.NLLLoss({weight = w, ignore_index = 0})(x:log_softmax(2), yi):item(), num / den, 1e-5)
  T.raises('outside 1..4', function() return nn.NLLLoss()(x, yi) end)
  T.raises('weight must be a float tensor [4]', function() return nn.NLLLoss({weight = lyra.ones(3)})(x, y) end)
  T.raises("option 'weight' must be a float tensor", nn.NLLLoss, {weight = {1, 2}})
  T.raises('ignore_index must be a label value', nn.NLLLoss, {ignore_index = math.mininteger})
  T.raises('backward needs one loss value', function() return nn.NLLLoss({reduction = 'none'}):backward(x, y) end)
  -- gradient through Torch7's form: d/dx of the mean NLL is -1/N at the label
  local g = nn.NLLLoss():backward(x, y):totable()
  T.near(g[2][4], -1 / 5, 1e-6); T.near(g[2][1], 0, 1e-9)
end)

T.case('BCELoss, HuberLoss, SmoothL1Loss and KLDivLoss match loops', function()
  lyra.manual_seed(5)
  local x = lyra.randn(3, 4)
  local p, t = x:sigmoid(), lyra.rand(3, 4)
  T.near(nn.BCELoss()(p, t):item(), nn.BCEWithLogitsLoss()(x, t):item(), 1e-5)
  T.near(nn.BCELoss({reduction = 'sum'})(lyra.tensor({0, 1}), lyra.tensor({1, 0})):item(), 200, 1e-3, 'logs clamped at -100')
  T.raises('probabilities in [0, 1]', function() return nn.BCELoss()(x:mul(10), t) end)

  local a, b = flat(x), flat(t)
  local function huber(d, delta) d = math.abs(d); return d < delta and 0.5 * d * d or delta * (d - 0.5 * delta) end
  local h, s1 = 0, 0
  for i = 1, #a do h = h + huber(a[i] - b[i], 0.5); s1 = s1 + huber(a[i] - b[i], 0.3) / 0.3 end
  T.near(nn.HuberLoss(0.5)(x, t):item(), h / #a, 1e-5)
  T.near(nn.HuberLoss({delta = 0.5, reduction = 'sum'})(x, t):item(), h, 1e-4)
  T.near(nn.SmoothL1Loss(0.3)(x, t):item(), s1 / #a, 1e-5)
  T.near(nn.SmoothL1Loss(0)(x, t):item(), nn.L1Loss()(x, t):item(), 1e-6, 'beta 0 is L1')
  T.raises('delta must be positive', nn.HuberLoss, 0)
  T.raises('beta must be a finite number of at least 0', nn.SmoothL1Loss, -1)
  T.raises('differ in shape', function() return nn.HuberLoss()(x, lyra.zeros(4, 3)) end)

  local logq, target = x:log_softmax(2), lyra.tensor({{0.5, 0.5, 0, 0}, {0.25, 0.25, 0.25, 0.25}, {1, 0, 0, 0}})
  local lq, tv, kl = flat(logq), flat(target), 0
  for i = 1, #lq do if tv[i] > 0 then kl = kl + tv[i] * (math.log(tv[i]) - lq[i]) end end
  T.near(nn.KLDivLoss({reduction = 'batchmean'})(logq, target):item(), kl / 3, 1e-5)
  T.near(nn.KLDivLoss()(logq, target):item(), kl / 12, 1e-5, "'mean' divides by every element (PyTorch)")
  T.near(nn.KLDivLoss({reduction = 'sum', log_target = true})(logq, logq):item(), 0, 1e-6)
  T.raises('log_target', function() return nn.KLDivLoss()(logq, target:neg()) end)
  T.raises("unknown option 'reductio'", nn.KLDivLoss, {reductio = 'sum'})
end)

T.case('ELU, Softplus, Hardtanh and PReLU match their formulas', function()
  local x = lyra.tensor({-3, -0.5, 0.25, 2, 12})
  local v = flat(x)
  local elu, sp, ht, pr = {}, {}, {}, {}
  for i, e in ipairs(v) do
    elu[i] = e > 0 and e or 0.5 * (math.exp(e) - 1)
    sp[i] = 2 * e > 20 and e or math.log(1 + math.exp(2 * e)) / 2
    ht[i] = math.min(math.max(e, -1), 1.5)
    pr[i] = e > 0 and e or 0.25 * e
  end
  near_all(flat(nn.ELU(0.5)(x)), elu, 1e-6, 'ELU')
  near_all(flat(nn.Softplus(2)(x)), sp, 1e-5, 'Softplus')
  near_all(flat(nn.Hardtanh(-1, 1.5)(x)), ht, 1e-6, 'Hardtanh')
  near_all(flat(nn.PReLU()(x)), pr, 1e-6, 'PReLU')
  local p = nn.PReLU(3)
  T.eq(p:num_parameters(), 3)
  local out = p(lyra.randn(2, 3, 4)):sum()
  out:backward()
  T.eq(p.weight.grad:size(), {3}, 'the slopes are learned')
  T.raises('3 slopes need input [N, 3, ...]', function() return p(lyra.randn(2, 4)) end)
  T.raises('min_val (1.0) must be less than max_val (1.0)', nn.Hardtanh, 1, 1)
  T.raises('beta: must be positive', nn.Softplus, -1)
  T.raises('num_parameters: must be at least 1', nn.PReLU, 0)
end)

T.case('LayerNorm, GroupNorm and InstanceNorm2d standardise the right groups', function()
  lyra.manual_seed(6)
  local x = lyra.randn(2, 4, 3, 3):mul(3):add(1)
  local function check_groups(y, size, what)
    local v = flat(y)
    for start = 1, #v, size do
      local m, q = 0, 0
      for i = start, start + size - 1 do m = m + v[i] end
      m = m / size
      for i = start, start + size - 1 do q = q + (v[i] - m) ^ 2 end
      T.near(m, 0, 1e-4, what .. ' mean'); T.near(q / size, 1, 1e-3, what .. ' variance')
    end
  end
  check_groups(nn.LayerNorm({3, 3})(x), 9, 'LayerNorm')
  check_groups(nn.GroupNorm(2, 4)(x), 18, 'GroupNorm')
  check_groups(nn.InstanceNorm2d(4)(x), 9, 'InstanceNorm2d')
  T.eq(nn.LayerNorm(3):num_parameters(), 6)
  T.eq(nn.LayerNorm(3, {elementwise_affine = false}):num_parameters(), 0)
  T.eq(nn.GroupNorm(2, 4):num_parameters(), 8)
  T.eq(nn.InstanceNorm2d(4):num_parameters(), 0, 'no affine by default')
  T.raises('num_channels 4 must divide by num_groups 3', nn.GroupNorm, 3, 4)
  T.raises('normalized_shape: sizes must be positive', nn.LayerNorm, {3, 0})
  T.raises('eps: must be positive', nn.LayerNorm, 3, {eps = -1})
  T.raises('expected input [..., 5]', function() return nn.LayerNorm(5)(x) end)
  T.raises('expected input [N, 3, H, W]', function() return nn.InstanceNorm2d(3)(x) end)
end)

T.case('View and Unflatten reshape samples; descriptions rebuild every new layer', function()
  local x = lyra.arange(0, 24):view(2, 3, 4)
  T.eq(nn.View(12)(x):size(), {2, 12})
  T.eq(nn.View(4, -1)(x):size(), {2, 4, 3})
  T.eq(nn.View({-1})(x):size(), {2, 12})
  T.eq(flat(nn.View(12)(x)), flat(x), 'element order kept')
  T.eq(nn.Unflatten(2, {3, 1})(x):size(), {2, 3, 1, 4})
  T.eq(nn.Unflatten(-1, {2, -1})(x):size(), {2, 3, 2, 2})
  T.raises('only one size may be -1', nn.View, -1, -1)
  T.raises('sizes must be positive', nn.View, 0)
  T.raises('sizes [5] do not fit input [2, 3, 4]', function() return nn.View(5)(x) end)
  T.raises('size (an integer)', nn.View, 'a')
  T.raises('0 is not a dimension', nn.Unflatten, 0, {2})
  local m = nn.Sequential(nn.Conv2d(1, 4, 3, {padding = 1}), nn.GroupNorm(2, 4), nn.PReLU(4), nn.View(-1),
    nn.LayerNorm(64), nn.ELU(), nn.Linear(64, 8), nn.Unflatten(2, {2, 4}), nn.Softplus(), nn.Hardtanh(0, 2),
    nn.InstanceNorm2d(2, {affine = true}), nn.View(8), nn.LogSoftmax(2))
  local input = lyra.randn(2, 1, 4, 4)
  local y = m(input)
  T.eq(y:size(), {2, 8})
  local copy = nn.build(m:describe())
  local path = os.tmpname()
  m:save(path)
  local loaded = nn.load(path)
  os.remove(path); os.remove(path .. '.json')
  near_all(flat(loaded(input)), flat(y), 1e-6, 'saved and loaded')
  T.eq(tostring(copy), tostring(m), 'the description rebuilds the same architecture')
end)

T.case('nn.init fills in place with the documented bounds and statistics', function()
  local init = nn.init
  lyra.manual_seed(7)
  local w = nn.Linear(300, 200).weight  -- fan_in 300, fan_out 200; requires grad, filled off the tape
  init.xavier_uniform_(w)
  local b = math.sqrt(6 / 500)
  T.ok(w:max():item() <= b and w:min():item() >= -b, 'within the Glorot bound')
  T.ok(w:max():item() > 0.95 * b, 'reaches near the bound (uniform, not a narrower law)')
  init.kaiming_normal_(w, 0, 'fan_in', 'relu')
  T.near(w:std():item(), math.sqrt(2 / 300), 0.002, 'He std')
  init.kaiming_normal_(w, 0, 'fan_out', 'relu')
  T.near(w:std():item(), math.sqrt(2 / 200), 0.002, 'fan_out std')
  init.kaiming_uniform_(w, math.sqrt(5))
  local kb = math.sqrt(2 / 6) * math.sqrt(3 / 300)
  T.ok(w:abs():max():item() <= kb and w:abs():max():item() > 0.95 * kb, 'PyTorch default bound 1/sqrt(fan_in)')
  init.xavier_normal_(w, 2)
  T.near(w:std():item(), 2 * math.sqrt(2 / 500), 0.003)
  init.normal_(w, 3, 0.5)
  T.near(w:mean():item(), 3, 0.01); T.near(w:std():item(), 0.5, 0.01)
  T.eq(init.constant_(w, 0.25):mean():item(), 0.25)
  T.eq(init.zeros_(w):abs():sum():item(), 0)
  T.eq(init.ones_(lyra.empty(2, 3)):sum():item(), 6)
  local u = init.uniform_(lyra.empty(1000), -2, -1)
  T.ok(u:min():item() >= -2 and u:max():item() < -1)
  T.near(init.calculate_gain('relu'), math.sqrt(2), 1e-12)
  T.near(init.calculate_gain('leaky_relu', 0.2), math.sqrt(2 / 1.04), 1e-12)
  T.near(init.calculate_gain('tanh'), 5 / 3, 1e-12)
  lyra.manual_seed(9); local a = init.normal_(lyra.empty(5)):totable()
  lyra.manual_seed(9); T.eq(init.normal_(lyra.empty(5)):totable(), a, 'seeded by lyra.manual_seed')
  T.raises('at least 2 dimensions', init.xavier_uniform_, lyra.empty(5))
  T.raises("unknown nonlinearity 'rellu' (did you mean 'relu'?)", init.kaiming_normal_, w, 0, 'fan_in', 'rellu')
  T.raises("mode must be 'fan_in' or 'fan_out'", init.kaiming_normal_, w, 0, 'fanin')
  T.raises('not a leaf', init.zeros_, w:mul(2))
  T.raises('std must be at least 0', init.normal_, w, 0, -1)
  T.raises('float tensor', init.zeros_, lyra.tensor({1, 2}, 'int'))
end)

T.case('children, modules, apply, state_dict and load_state_dict', function()
  local m = nn.Sequential(nn.Linear(3, 4), nn.Sequential(nn.ReLU(), nn.Linear(4, 2)), nn.LayerNorm(2))
  T.eq(#m:children(), 3)
  T.eq(m:children()[2]:type(), 'nn.Sequential')
  local types = {}
  for _, x in ipairs(m:modules()) do types[#types + 1] = x:type() end
  T.eq(types, {'nn.Sequential', 'nn.Linear', 'nn.Sequential', 'nn.ReLU', 'nn.Linear', 'nn.LayerNorm'})
  local order = {}
  m:apply(function(l) order[#order + 1] = l:type() end)
  T.eq(order, {'nn.Linear', 'nn.ReLU', 'nn.Linear', 'nn.Sequential', 'nn.LayerNorm', 'nn.Sequential'}, 'children before parents')
  m:apply(function(l) if l:type() == 'nn.Linear' then nn.init.zeros_(l.bias) end end)
  T.eq(m[1].bias:abs():sum():item(), 0)
  T.raises('boom', function() m:apply(function() error('boom') end) end)
  T.raises('function expected', function() m:apply(3) end)

  local sd = m:state_dict()
  T.ok(sd['0.weight'] and sd['1.1.bias'] and sd['2.weight'], 'dotted names')
  local other = nn.Sequential(nn.Linear(3, 4), nn.Sequential(nn.ReLU(), nn.Linear(4, 2)), nn.LayerNorm(2))
  local x = lyra.randn(5, 3)
  T.ok((other(x) - m(x)):abs():max():item() > 0, 'different weights before loading')
  T.eq(other:load_state_dict(sd), other)
  T.eq((other(x) - m(x)):abs():max():item(), 0)
  sd['0.weight'] = lyra.zeros(2, 2)
  T.raises('0.weight: shape [2, 2] does not match [4, 3]', function() return other:load_state_dict(sd) end)
  sd['0.weight'] = lyra.zeros(4, 3):int()
  T.raises("'0.weight' is a int32 tensor", function() return other:load_state_dict(sd) end)
  T.raises('missing 2.bias', function() return other:load_state_dict({['2.weight'] = lyra.ones(2)}) end)
  other:load_state_dict({['2.weight'] = lyra.full({2}, 3), extra = lyra.ones(1)}, false)
  T.eq(other[3].weight:totable(), {3, 3}, 'non-strict: matching names load, others are skipped')
  T.raises('must be a tensor', function() return other:load_state_dict({['2.weight'] = 3}) end)
end)

T.case('ModuleList registers modules; ConcatTable and CAddTable (Lua) pass tables of tensors', function()
  local list = nn.ModuleList({nn.Linear(3, 4), nn.ReLU()}):add(nn.Linear(4, 2))
  T.eq(#list, 3); T.eq(list:num_parameters(), 16 + 10)
  T.ok(list:named_parameters()['2.weight'], 'checkpoint names as Sequential')
  local x = lyra.randn(5, 3)
  local y = x
  for _, m in ipairs(list:children()) do y = m(y) end
  T.eq(y:size(), {5, 2})
  T.raises('ModuleList has no forward', function() return list(x) end)
  T.eq(tostring(nn.build(list:describe())), tostring(list), 'rebuilt from its description')
  T.raises('add is for nn.Sequential and nn.ModuleList', function() return nn.ReLU():add(nn.ReLU()) end)

  local a, b = nn.Linear(3, 2), nn.Linear(3, 2)
  local ct = nn.ConcatTable(a):add(b)
  T.eq(ct:size(), 2); T.eq(#ct:parameters(), 4)
  local outs = ct(x)
  T.eq(#outs, 2)
  T.eq((outs[1] - a(x)):abs():max():item(), 0)
  local sum = nn.CAddTable()(outs)
  T.near((sum - a(x) - b(x)):abs():max():item(), 0, 1e-6)
  -- the same as nn.Add inside a model, gradients reaching both branches
  sum:sum():backward()
  T.ok(a.weight.grad and b.weight.grad, 'gradients through the Lua table modules')
  T.near((nn.Add(a, b)(x) - sum):abs():max():item(), 0, 1e-6)
  T.raises('all must match', function() return nn.CAddTable()({lyra.zeros(2), lyra.zeros(3)}) end)
  T.raises('item 2 is not a tensor', function() return nn.CAddTable()({lyra.zeros(2), 3}) end)
  T.raises('non-empty table of tensors', function() return nn.CAddTable()({}) end)
  T.raises('expected a module', function() return nn.ConcatTable(3) end)
  T.raises("has no ONNX form", function() nn.ConcatTable(nn.Identity()):to_onnx("/tmp/never.onnx") end)
  T.raises("nn.Add", function() nn.CAddTable():to_onnx("/tmp/never.onnx") end)
  T.raises('use nn.Add', function() return nn.Sequential(nn.ConcatTable(a, b))(x) end)
  T.ok(tostring(ct):find('nn.ConcatTable {', 1, true))
end)

T.case('Conv1d, MaxPool1d, AdaptiveMaxPool2d, Dropout2d and Upsample from Lua', function()
  lyra.manual_seed(8)
  local conv = nn.Conv1d(2, 3, 3, {padding = 1, bias = false})
  local x = lyra.randn(1, 2, 5)
  local y = conv(x)
  T.eq(y:size(), {1, 3, 5})
  -- output 1, position 3 by hand: sum over channels and taps
  local w, xv, s = conv.weight:totable(), x:totable()[1], 0
  for c = 1, 2 do for j = 1, 3 do s = s + w[1][c][j] * xv[c][3 + j - 2] end end
  T.near(y:totable()[1][1][3], s, 1e-5)
  T.raises('channels 3 -> 4 must divide by groups 2', nn.Conv1d, 3, 4, 3, {groups = 2})
  T.raises('expected input [N, 2, L]', function() return conv(lyra.randn(1, 3, 5)) end)
  T.eq(flat(nn.MaxPool1d(2)(lyra.tensor({{{1, 5, 2, 0, 7}}}))), {5, 2})
  local img = lyra.arange(1, 17):float():view(1, 1, 4, 4)
  T.eq(flat(nn.AdaptiveMaxPool2d(1)(img)), {16})
  T.eq(flat(nn.AdaptiveMaxPool2d({2, 3})(img)), {6, 7, 8, 14, 15, 16})
  T.raises('must be in 1…64 per side', nn.AdaptiveMaxPool2d, 65)
  local d = nn.Dropout2d(0.5)
  local out = d(lyra.ones(4, 8, 2, 2))
  local planes = flat(out:sum(4):sum(3))
  for _, v in ipairs(planes) do T.ok(v == 0 or v == 8, 'whole channels dropped or scaled by 2') end
  d:eval()
  T.eq(d(lyra.ones(1, 2, 2, 2)):sum():item(), 8)
  T.raises('p: must be in [0.0, 1.0]', nn.Dropout2d, 2)
  T.eq(nn.Upsample(2)(img):size(), {1, 1, 8, 8})
  T.eq(flat(nn.Upsample(2)(lyra.tensor({{{{1, 2}}}}))), {1, 1, 2, 2, 1, 1, 2, 2})
  T.eq(nn.Upsample({2, 3}, 'bilinear')(img):size(), {1, 1, 8, 12})
  T.eq(nn.Upsample({size = {3, 5}, mode = 'bilinear', align_corners = true})(img):size(), {1, 1, 3, 5})
  T.raises("mode: must be 'nearest' or 'bilinear', got 'cubic'", nn.Upsample, 2, 'cubic')
  T.raises('give exactly one of size and scale_factor', nn.Upsample, {size = 4, scale_factor = 2})
  T.raises('align_corners: only for mode', nn.Upsample, 2, 'nearest', {align_corners = true})
  T.raises('scale_factor: expected a positive number', nn.Upsample, -1)
  local up = nn.ConvTranspose2d(3, 2, 4, {stride = 2, padding = 1})
  T.eq(up(lyra.randn(1, 3, 5, 7)):size(), {1, 2, 10, 14}, 'kernel 4, stride 2, padding 1 doubles H and W')
  T.eq(up.weight:size(), {3, 2, 4, 4})
  T.eq(nn.ConvTranspose2d(2, 2, {3, 1}, {stride = {2, 1}, output_padding = {1, 0}})(lyra.randn(1, 2, 3, 3)):size(), {1, 2, 8, 3})
  T.raises('output_padding: must be smaller than stride or dilation', nn.ConvTranspose2d, 2, 2, 3, {output_padding = 1})
  T.raises('gives an output of', function() return nn.ConvTranspose2d(2, 2, 3, {padding = 3})(lyra.randn(1, 2, 2, 2)) end)
end)

T.case('hostile arguments and inputs raise errors, never crash the host', function()
  local values = {1, 2, 3, 0, -1, -2, 1.5, 1e300, -1e300, 0 / 0, math.huge, 2 ^ 40, 'x', {}, {0}, {-1, -1}, {1, 2, 3}, true}
  local ctors = {'Softmax', 'LogSoftmax', 'ELU', 'Softplus', 'Hardtanh', 'PReLU', 'LayerNorm', 'GroupNorm', 'InstanceNorm2d',
    'Unflatten', 'View', 'Conv1d', 'MaxPool1d', 'AdaptiveMaxPool2d', 'Dropout2d', 'Upsample', 'ConvTranspose2d', 'ModuleList',
    'ConcatTable', 'NLLLoss', 'BCELoss', 'HuberLoss', 'SmoothL1Loss', 'KLDivLoss'}
  local inputs = {lyra.zeros(0), lyra.randn(3), lyra.randn(2, 3), lyra.randn(2, 3, 4), lyra.randn(1, 3, 4, 4), lyra.zeros(2, 3, 0, 4),
    lyra.tensor(1.5), lyra.randn(1, 1, 1, 1, 1)}
  local built = 0
  for _, name in ipairs(ctors) do
    for _, a in ipairs(values) do
      local seconds = {n = 6, nil, 3, {padding = -1}, {eps = 0}, {reduction = 'x'}, {2, 2}}
      for k = 1, seconds.n do
        local b = seconds[k]
        local ok, m = pcall(nn[name], a, b)
        if ok and type(m) ~= 'string' then
          built = built + 1
          for _, x in ipairs(inputs) do
            pcall(function() return m(x) end)
            pcall(function() return m(x, x) end)
          end
        else
          T.ok(type(m) == 'string' and #m > 0, name .. ': an error message')
        end
      end
    end
  end
  T.ok(built > 20, 'some hostile calls are valid (then run on odd inputs): ' .. built)
  -- losses on mismatched or empty inputs
  for _, c in ipairs({nn.NLLLoss(), nn.BCELoss(), nn.HuberLoss(), nn.SmoothL1Loss(), nn.KLDivLoss({reduction = 'batchmean'})}) do
    for _, x in ipairs(inputs) do
      for _, y in ipairs({lyra.tensor({1, 2}, 'int'), lyra.zeros(2, 3), lyra.tensor({0 / 0}), lyra.zeros(0)}) do
        pcall(function() return c(x, y) end)
        pcall(function() return c:backward(x, y) end)
      end
    end
  end
end)
