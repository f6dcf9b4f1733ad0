-- The bad-argument battery: calls every function of the lyra.* tables and every method
-- of every native class (tensors, modules, optimisers, schedulers, plots, data sets,
-- search algorithms, spaces) with nil, strings, booleans, huge and negative numbers, NaN,
-- 0-d, empty and int tensors and tables, each under pcall.
--
-- Why: a crash (trap, segfault, malloc abort) kills the process, so the battery running
-- to its end is the test that nothing user input reaches can crash; and every error must
-- name the function, so a user knows which call was wrong. The functions are enumerated
-- from the tables, so a new binding is covered without touching this file.
--
-- Use: `local B = dofile('Tests/lua/api_battery.lua')`; `B.run(report)` returns the number
-- of calls made and a list of problems (errors that do not name their function). With
-- LYRA_BATTERY_LOG set, each call is written to stderr before it is made, so a crash
-- shows which call it was.
local B = {}

local log = os.getenv('LYRA_BATTERY_LOG')

-- Functions that leave the process (exit, sleep, the REPL, reading stdin), write files
-- (tested by their own suites) or run whole pipelines are not called.
B.skip = {
  ['lyra.sleep'] = true, ['lyra.save'] = true, ['lyra.help'] = true, ['lyra.test'] = true,
  ['lyra.repl'] = true, ['lyra.progress'] = true, ['lyra.Timer'] = true, ['lyra.apidoc'] = true,
  ['lyra.run'] = true, ['lyra.pipeline'] = true, ['lyra.notebook'] = true, ['lyra.exit'] = true,
  ['lyra.worker'] = true, ['lyra.bench'] = true, ['lyra.display'] = true, ['lyra.mime'] = true,
  ['lyra.search.minimize'] = true, ['lyra.data.download'] = true,
  -- Rewrites the help registry entry of whatever it is given.
  ['lyra.setdoc'] = true,
}
-- Methods that write files or block.
B.skipMethod = { save = true, load_weights = true, write = true, show = true, export = true, onnx = true,
  run = true, fit = true, serve = true }

--- Every search algorithm, each of which must construct from a small space.
B.searches = {'random', 'tpe', 'asha', 'bohb', 'hyperband', 'evolution', 'pbt', 'boss', 'grid'}

--- A search algorithm `name` over `space` with the options it needs (budgets for the
--- bandit ones, a perturbation interval for PBT).
function B.search(name, space)
  local ok, alg = pcall(lyra.search[name], {space = space, max_budget = 9, perturbation_interval = 3})
  if ok then return alg end
  return lyra.search[name]({space = space})
end

--- Option keys that size something (arrays, batches, images, populations) or seed it.
B.optionKeys = {'bins', 'size', 'width', 'height', 'columns', 'batch_size', 'prefetch', 'seed', 'population',
  'max_trials', 'num_samples', 'slices', 'sample_size', 'T_max', 'step_size', 'warmup_steps', 'iterations',
  'max_budget', 'min_budget', 'eta', 'padding', 'stride', 'kernel_size', 'dilation', 'groups', 'output_size',
  'dim', 'threshold', 'edgeitems', 'linewidth', 'precision', 'repeat_times', 'n_startup_trials', 'n_ei_candidates',
  'early_stopping_rate', 'top_n_percent', 'min_points_in_model', 'min_length', 'max_length', 'random_samples',
  'mutations', 'perturbation_interval', 'label', 'start_dim', 'end_dim', 'num_embeddings', 'embedding_dim'}

--- The bad values, made fresh for each run (tensors are mutated by in-place methods).
function B.values()
  local v = {
    {n = 0}, {n = 1, nil}, {n = 1, 'x'}, {n = 1, ''}, {n = 1, true}, {n = 1, false},
    {n = 1, 2^62}, {n = 1, -2^62}, {n = 1, 1e12}, {n = 1, 2^40}, {n = 1, -1}, {n = 1, 0}, {n = 1, -0.5},
    {n = 1, 0/0}, {n = 1, math.huge}, {n = 1, -math.huge}, {n = 1, math.mininteger},
    {n = 1, lyra.tensor(3)}, {n = 1, lyra.zeros(0)}, {n = 1, lyra.zeros(0, 3)}, {n = 1, lyra.tensor({1, 2}, 'int')},
    {n = 1, lyra.zeros(2, 3)}, {n = 1, lyra.zeros(1, 1, 2, 2)},
    {n = 1, {}}, {n = 1, {2^62, 4}}, {n = 1, {-1}}, {n = 1, {'a'}}, {n = 1, {{1}, {1, 2}}}, {n = 1, {x = 1}},
    {n = 1, {padding = -1, stride = 0}}, {n = 1, {kernel_size = 2^62}}, {n = 1, function() end},
    {n = 2, 2^62, 4}, {n = 2, 1e5, 1e5}, {n = 2, 2, 'x'}, {n = 2, -1, 2}, {n = 2, 3, 4},
    {n = 2, lyra.zeros(2, 3), lyra.zeros(4)}, {n = 2, lyra.zeros(2, 3), 2^62}, {n = 2, lyra.zeros(2, 3), -4},
    {n = 2, lyra.zeros(2, 3), {2^62, 4}}, {n = 2, lyra.tensor(3), 1}, {n = 2, 1, lyra.tensor(3)},
    {n = 2, 1, {2^40, 2^40}}, {n = 3, 1, 1, 2^62}, {n = 3, 1, 2, 3}, {n = 3, lyra.zeros(2, 3), 1, 2^62},
    {n = 3, lyra.zeros(1, 1, 4, 4), lyra.zeros(2, 1, 3, 3), {padding = 2^40}},
    {n = 4, 1, 2, 3, {groups = 5}}, {n = 4, 1, 1, 2^31, 2^31},
  }
  -- Options tables with one size-like key each, huge or negative: options are read before
  -- unknown keys are refused, so each key gets its own table.
  for _, key in ipairs(B.optionKeys) do
    for _, x in ipairs({2^40, -1, 2^62}) do v[#v + 1] = {n = 1, {[key] = x}} end
  end
  return v
end

--- Which name a bound function reports in its errors (nil for Lua functions).
local function isNative(f)
  return debug.getinfo(f, 'S').what == 'C'
end

local function describe(args)
  local parts = {}
  for i = 1, args.n do
    local a = args[i]
    if lyra.is_tensor(a) then parts[i] = 'tensor' .. lyra.pretty(a:size())
    elseif type(a) == 'table' then parts[i] = lyra.pretty(a)
    else parts[i] = tostring(a) end
  end
  return '(' .. table.concat(parts, ', ') .. ')'
end

--- Calls f(prefix..., args...) under pcall; records a problem when a native function's
--- error does not name it (`name`), or when the error is not a string.
local function try(state, name, f, prefix, args)
  local all = {n = 0}
  for i = 1, prefix.n do all[i] = prefix[i] end
  for i = 1, args.n do all[prefix.n + i] = args[i] end
  all.n = prefix.n + args.n
  if log then io.stderr:write(name, describe(all), '\n'); io.stderr:flush() end
  local ok, err = pcall(f, table.unpack(all, 1, all.n))
  state.calls = state.calls + 1
  if not ok then
    state.errors = state.errors + 1
    if type(err) ~= 'string' then
      state.problems[#state.problems + 1] = name .. describe(all) .. ' raised a ' .. type(err)
    elseif state.native and not B.names(state, name, f, err) then
      state.problems[#state.problems + 1] = name .. describe(all) .. ': ' .. err
    end
  end
end

--- Whether `err` names the function: by `name`, or by another name of the same function
--- (`lyra.plot.histogram` is `lyra.plot.hist`; `lyra.exp(x)` is `x:exp()`).
function B.names(state, name, f, err)
  if err:find(name, 1, true) then return true end
  for _, other in ipairs(state.aliases[f] or {}) do
    if err:find(other, 1, true) then return true end
  end
  return false
end

--- Every function reachable from `root` (tables walked once), as {name, f}, sorted.
function B.functions(root, path)
  local out, seen = {}, {}
  local function walk(t, p)
    if seen[t] then return end
    seen[t] = true
    for k, v in pairs(t) do
      local name = p .. '.' .. tostring(k)
      if type(k) == 'string' and not B.skip[name] and not k:match('^_') then
        if type(v) == 'function' then out[#out + 1] = {name, v}
        elseif type(v) == 'table' and getmetatable(v) == nil then walk(v, name) end
      end
    end
  end
  walk(root, path)
  table.sort(out, function(a, b) return a[1] < b[1] end)
  return out
end

--- Calls each function with each bad value, alone and after a few plausible prefixes.
function B.callFunctions(state)
  local prefixes = {{n = 0}, {n = 1, 2}, {n = 1, lyra.zeros(2, 3)}, {n = 1, {1, 2, 3}}}
  for _, nf in ipairs(B.functions(lyra, 'lyra')) do
    local name, f = nf[1], nf[2]
    state.aliases[f] = state.aliases[f] or {}
    table.insert(state.aliases[f], name)
  end
  for _, nf in ipairs(B.functions(lyra, 'lyra')) do
    local name, f = nf[1], nf[2]
    state.native = isNative(f)
    state.functions = state.functions + 1
    for _, p in ipairs(prefixes) do
      for _, v in ipairs(B.values()) do try(state, name, f, p, v) end
    end
  end
end

--- Objects of every native class, made with ordinary arguments.
function B.objects()
  local objs = {}
  local function add(label, make)
    local ok, o = pcall(make)
    if ok and o ~= nil then objs[#objs + 1] = {label, o} end
  end
  add('float tensor', function() return lyra.randn(2, 3) end)
  add('0-d tensor', function() return lyra.tensor(3) end)
  add('empty tensor', function() return lyra.zeros(0, 3) end)
  add('int tensor', function() return lyra.tensor({1, 2}, 'int') end)
  add('4-d grad tensor', function() return lyra.randn(2, 2, 3, 3):requires_grad_() end)
  add('Linear', function() return lyra.nn.Linear(3, 2) end)
  add('Conv2d', function() return lyra.nn.Conv2d(1, 2, 3) end)
  add('Sequential', function() return lyra.nn.Sequential(lyra.nn.Linear(3, 2), lyra.nn.ReLU()) end)
  add('BatchNorm2d', function() return lyra.nn.BatchNorm2d(2) end)
  add('LSTM', function() return lyra.nn.LSTM(3, 2, {num_layers = 2}) end)
  add('GRU', function() return lyra.nn.GRU(3, 2, {batch_first = true}) end)
  add('MultiheadAttention', function() return lyra.nn.MultiheadAttention(4, 2) end)
  add('TransformerEncoderLayer', function() return lyra.nn.TransformerEncoderLayer(4, 2, {dim_feedforward = 8}) end)
  add('TransformerEncoder', function() return lyra.nn.TransformerEncoder(lyra.nn.TransformerEncoderLayer(4, 2, {dim_feedforward = 8}), 2) end)
  local model = lyra.nn.Linear(3, 2)
  for _, n in ipairs({'SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adadelta', 'LBFGS'}) do
    add(n, function() return lyra.optim[n](model:parameters(), {lr = 0.1}) end)
  end
  add('plot', function() return lyra.plot.new() end)
  add('space', function() return lyra.space{x = {type = 'FLOAT', range = {0, 1}}} end)
  local csv = os.tmpname()
  local f = assert(io.open(csv, 'w'))
  f:write('a,b,label\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n')
  f:close()
  add('csv dataset', function() return lyra.data.csv(csv, {label = 'label'}) end)
  add('native loader', function() return lyra.data.native_loader(lyra.data.csv(csv, {label = 'label'}), {batch_size = 2}) end)
  add('transform', function() return lyra.data.augment{{'Rotate', 0.5, 7}} end)
  os.remove(csv)
  for _, n in ipairs({'CrossEntropyLoss', 'MSELoss', 'L1Loss', 'BCEWithLogitsLoss'}) do
    add(n, function() return lyra.nn[n]() end)
  end
  local opt = lyra.optim.SGD(lyra.nn.Linear(2, 2):parameters(), {lr = 0.1})
  add('StepLR', function() return lyra.optim.lr_scheduler.StepLR(opt, {step_size = 2}) end)
  add('CosineAnnealingLR', function() return lyra.optim.lr_scheduler.CosineAnnealingLR(opt, {T_max = 4}) end)
  add('OneCycleLR', function() return lyra.optim.lr_scheduler.OneCycleLR(opt, {max_lr = 1, total_steps = 4}) end)
  add('LambdaLR', function() return lyra.optim.lr_scheduler.LambdaLR(opt, {lr_lambda = function(e) return 1 / (e + 1) end}) end)
  add('ReduceLROnPlateau', function() return lyra.optim.lr_scheduler.ReduceLROnPlateau(opt) end)
  local space = lyra.space{x = {type = 'FLOAT', range = {0, 1}}, k = {type = 'CATEGORY', range = {'a', 'b'}}}
  for _, n in ipairs(B.searches) do
    add('search ' .. n, function() return B.search(n, space) end)
  end
  return objs
end

--- Calls every method of every object with each bad value (class names from the metatable).
function B.callMethods(state, objs)
  for _, lo in ipairs(objs) do
    local mt = getmetatable(lo[2])
    local methods = mt and mt.__methods
    if methods then
      local class = mt.__name or lo[1]
      local names = {}
      for k in pairs(methods) do names[#names + 1] = k end
      table.sort(names)
      for _, m in ipairs(names) do
        if not B.skipMethod[m] and m ~= 'free' then
          state.native = isNative(methods[m])
          state.methods = state.methods + 1
          for _, v in ipairs(B.values()) do
            try(state, class .. ':' .. m, methods[m], {n = 1, lo[2]}, v)
          end
        end
      end
    end
  end
end

--- Puts back the global settings that the battery's calls may have changed (print
--- options, print depth, plot folder, grad mode), so later tests see the defaults.
function B.restore(plotDir)
  lyra.setprintoptions{precision = 4, threshold = 1000, edgeitems = 3, linewidth = 80}
  lyra.setprintlevel(3)
  lyra.plot.dir(plotDir)
  lyra.manual_seed(0)
end

--- Runs the battery; returns the state {calls, errors, functions, methods, problems}.
function B.run()
  local state = {calls = 0, errors = 0, functions = 0, methods = 0, problems = {}, aliases = {}}
  local plotDir = lyra.plot.dir()
  B.callFunctions(state)
  B.restore(plotDir)
  B.callMethods(state, B.objects())
  B.restore(plotDir)
  return state
end

if arg and arg[0] and arg[0]:match('api_battery%.lua$') then
  local s = B.run()
  print(string.format('%d calls (%d errors) to %d functions and %d methods; %d problems',
    s.calls, s.errors, s.functions, s.methods, #s.problems))
  for i = 1, math.min(#s.problems, 200) do print(s.problems[i]) end
end

return B
