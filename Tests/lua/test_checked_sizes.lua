-- Checked sizes from Lua: every size a script passes (creation, views, broadcasting,
-- products, module parameters, convolution and pooling geometry, loader batches, seeds)
-- is validated before anything is allocated, and a refused size is an error naming the
-- function and stating the bytes asked. Each case below crashed the process before
-- (SIGILL on an overflow trap, abort in malloc, or a read outside a wrapped buffer).
local T = require 'lyra.test'

-- Fails unless fn raises an error that names `fn_name` and contains every piece of `parts`.
local function refuses(fn_name, parts, fn, ...)
  local ok, err = pcall(fn, ...)
  T.ok(not ok, fn_name .. ' accepted the call')
  err = tostring(err)
  T.ok(err:find(fn_name, 1, true), 'error does not name ' .. fn_name .. ': ' .. err)
  for _, p in ipairs(parts) do T.ok(err:find(p, 1, true), 'error lacks "' .. p .. '": ' .. err) end
end

T.case('checked: huge allocations are errors stating the bytes asked', function()
  refuses('lyra.zeros', {'requested', 'LYRA_MAX_TENSOR_BYTES'}, lyra.zeros, 2^40)
  refuses('lyra.ones', {'more elements than can be counted'}, lyra.ones, 2^62, 4)
  refuses('lyra.full', {'requested'}, lyra.full, {2^20, 2^20}, 1)
  refuses('lyra.randn', {'requested'}, lyra.randn, {2^40})
  refuses('lyra.nn.Linear', {'TiB requested'}, lyra.nn.Linear, 1e6, 1e6)
  refuses('lyra.nn.BatchNorm2d', {'TiB requested'}, lyra.nn.BatchNorm2d, 1e12)
  refuses('lyra.nn.Embedding', {'requested'}, lyra.nn.Embedding, 2^40, 2^20)
  refuses('lyra.Tensor:matmul', {'[100000, 100000]', 'GiB requested'}, function()
    return lyra.zeros(1e5, 1):matmul(lyra.zeros(1, 1e5))
  end)
  refuses('lyra.Tensor:mm', {'GiB requested'}, function() return lyra.zeros(1e5, 1):mm(lyra.zeros(1, 1e5)) end)
  refuses('lyra.Tensor.__add', {'GiB requested'}, function() return lyra.zeros(1e5, 1) + lyra.zeros(1, 1e5) end)
  refuses('lyra.Tensor:expand', {'requested'}, function() return lyra.zeros(1, 1):expand(2^20, 2^20) end)
end)

T.case('checked: model descriptions are sized before a layer allocates', function()
  refuses('lyra.nn.build', {'Linear parameter', 'GiB requested'}, lyra.nn.build,
    {type = 'Sequential', modules = {{type = 'Linear', in_features = 2^32, out_features = 4}}})
  refuses('lyra.nn.build', {'kernel_size'}, lyra.nn.build, {type = 'Conv2d', in_channels = 1, out_channels = 1, kernel_size = -3})
  local base = os.tmpname()
  local f = assert(io.open(base .. '.json', 'w'))
  f:write('{"type": "Linear", "in_features": 4294967296, "out_features": 4}')
  f:close()
  local ok, err = pcall(lyra.nn.load, base .. '.safetensors')
  os.remove(base .. '.json')
  os.remove(base)
  T.ok(not ok and tostring(err):find('requested', 1, true), tostring(err))
  T.eq(lyra.nn.build({type = 'Linear', in_features = 3, out_features = 2}).weight:size(), {2, 3})
end)

T.case('checked: view and reshape sizes cannot wrap around', function()
  local x = lyra.zeros(2, 3)
  refuses('lyra.Tensor:view', {'[4611686018427387904, 4]'}, x.view, x, {2^62, 4})
  refuses('lyra.Tensor:reshape', {'more elements than can be counted'}, x.reshape, x, 2^62, 4)
  refuses('lyra.Tensor:reshape', {'more elements'}, x.reshape, x, 2^32, 2^32, 0, -1)
  T.eq(x:reshape(3, -1):size(), {3, 2})
end)

T.case('checked: sizes must be integers, all of them, and not negative', function()
  refuses('lyra.zeros', {'got string'}, lyra.zeros, 'a')
  refuses('lyra.ones', {'got boolean'}, lyra.ones, true)
  refuses('lyra.randn', {'bad argument #2', 'got string'}, lyra.randn, 2, 'x')
  refuses('lyra.zeros', {'negative'}, lyra.zeros, 3, -1)
  refuses('lyra.empty', {'integer'}, lyra.empty, 0/0)
  refuses('lyra.rand', {'integer'}, lyra.rand, {2, 'x'})
  T.eq(lyra.zeros():dim(), 0)
  T.eq(lyra.zeros({}):dim(), 0)
  T.eq(lyra.zeros(2, 0):size(), {2, 0})
end)

T.case('checked: negative seeds are errors', function()
  refuses('lyra.manual_seed', {'non-negative'}, lyra.manual_seed, -1)
  local space = lyra.space{x = {type = 'FLOAT', range = {0, 1}}}
  refuses('lyra.search.random', {'non-negative'}, lyra.search.random, {space = space, seed = -5})
  refuses('lyra.data.epoch_order', {'non-negative'}, lyra.data.epoch_order, 10, -1, 0)
  refuses('lyra.search.evolution', {'must be at least 1'}, lyra.search.evolution, {space = space, max_trials = -3})
  refuses('lyra.search.tpe', {'must be at least 1'}, lyra.search.tpe, {space = space, max_trials = -3})
  refuses('lyra.search.pbt', {'at most'}, lyra.search.pbt, {space = space, population = 2^40,
    perturbation_interval = 1, max_budget = 2})
  lyra.manual_seed(0)
end)

T.case('checked: search space array lengths are bounded', function()
  refuses('lyra.space', {'at most 1048576'}, lyra.space, {x = {type = 'BINARY_CODE', range = {2^40}}})
  T.eq(#lyra.space{x = {type = 'BINARY_CODE', range = {64}}}:sample().x, 64)
end)

-- A layer with absurd geometry is refused when it is built (the constructor names the
-- option) or, for geometry that only the input decides, when it is called.
local function refuses_layer(ctor, option, parts, build, x)
  local ok, m = pcall(build)
  if not ok then
    m = tostring(m)
    T.ok(m:find(ctor, 1, true), 'error does not name ' .. ctor .. ': ' .. m)
    T.ok(m:find(option, 1, true), 'error lacks "' .. option .. '": ' .. m)
  else
    refuses('lyra.nn.Module.__call', parts, m, x)
  end
end

T.case('checked: convolution and pooling geometry from options', function()
  local x = lyra.zeros(1, 1, 4, 4)
  refuses_layer('lyra.nn.Conv2d', 'padding', {'Conv2d', 'padding'}, function() return lyra.nn.Conv2d(1, 1, 1, {padding = 2^40}) end, x)
  refuses_layer('lyra.nn.Conv2d', 'dilation', {'Conv2d', 'dilation'}, function() return lyra.nn.Conv2d(1, 1, 3, {dilation = 2^40}) end, x)
  refuses('lyra.nn.Conv2d', {'Conv2d parameter', 'more elements'}, lyra.nn.Conv2d, 1, 1, 2^62)
  refuses_layer('lyra.nn.MaxPool2d', 'kernel_size', {'MaxPool2d', 'window'}, function() return lyra.nn.MaxPool2d(2^40) end, x)
  refuses_layer('lyra.nn.AvgPool2d', 'kernel_size', {'AvgPool2d', 'overflows'}, function() return lyra.nn.AvgPool2d(2^40, {padding = 2^39}) end, x)
  refuses_layer('lyra.nn.AdaptiveAvgPool2d', 'output_size', {'AdaptiveAvgPool2d', 'requested'}, function() return lyra.nn.AdaptiveAvgPool2d(2^31) end, x)
  refuses('lyra.nn.AdaptiveAvgPool2d', {'at least 1'}, lyra.nn.AdaptiveAvgPool2d, -1)
  -- Ordinary geometry still works, with PyTorch's sizes.
  T.eq(lyra.nn.Conv2d(1, 2, 3, {padding = 1, stride = 2})(x):size(), {1, 2, 2, 2})
  T.eq(lyra.nn.MaxPool2d(3, {stride = 2, padding = 1})(x):size(), {1, 1, 2, 2})
end)

-- A safetensors file with `header` (a JSON string) and `data` bytes.
local function safetensors(header, data)
  local path = os.tmpname()
  local f = assert(io.open(path, 'wb'))
  f:write(string.pack('<I8', #header), header, data or '')
  f:close()
  return path
end

T.case('checked: lyra.load refuses safetensors headers that do not fit their data', function()
  local cases = {
    {'{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}', '', 'more elements than can be counted'},
    {'{"a":{"dtype":"F32","shape":[2305843009213693952,2],"data_offsets":[0,0]}}', '', 'overflows'},
    {'{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}', string.rep('\0', 8), 'outside'},
    {'{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', string.rep('\0', 8), 'needs 8'},
    {'{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', string.rep('\0', 4), 'no valid shape'},
    {'{"a":{"dtype":"Q9","shape":[1],"data_offsets":[0,4]}}', string.rep('\0', 4), 'unsupported dtype'},
    {'{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}',
      string.rep('\0', 8), 'overlap'},
    {'{"a":', '', 'not a JSON object'},
  }
  for _, c in ipairs(cases) do
    local path = safetensors(c[1], c[2])
    local ok, err = pcall(lyra.load, path)
    os.remove(path)
    T.ok(not ok, 'loaded: ' .. c[1])
    T.ok(tostring(err):find('lyra.load', 1, true) and tostring(err):find(c[3], 1, true),
      'expected "' .. c[3] .. '" for ' .. c[1] .. ', got: ' .. tostring(err))
  end
  -- A header length beyond the file.
  local path = os.tmpname()
  local f = assert(io.open(path, 'wb'))
  f:write(string.pack('<I8', 2^40), '{}')
  f:close()
  T.raises('exceeds the file size', lyra.load, path)
  os.remove(path)
  -- A well-formed file still loads.
  path = safetensors('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', string.pack('<ff', 1.5, -2))
  local t = lyra.load(path)
  os.remove(path)
  T.eq(t.a:totable(), {1.5, -2})
end)
