-- Bad input never crashes the host: every function and method of lyra, lyra.nn and
-- the tensor and module classes is called with wrong arity, wrong types, wrong shapes
-- and out-of-range values. Each call must return or raise a Lua error; a crash would
-- kill this process and fail the run.
local T = require 'lyra.test'

-- Functions with side effects outside the process (files, sleeping, exiting, printing
-- progress bars) are skipped.
local skip = {
  ['lyra.sleep'] = true, ['lyra.save'] = true, ['lyra.help'] = true, ['lyra.test'] = true,
  ['lyra.repl'] = true, ['lyra.progress'] = true, ['lyra.Timer'] = true,
}

local function argsets()
  return {
    {}, {nil}, {1}, {0}, {-1}, {2.5}, {3, 4}, {'x'}, {{}}, {{1, 2}}, {{{1}, {1, 2}}}, {true},
    {lyra.zeros(2, 3)}, {lyra.zeros(0)}, {lyra.zeros(2, 3), lyra.zeros(4)},
    {lyra.zeros(2, 3), 3}, {lyra.zeros(2, 3), -4}, {lyra.zeros(2, 3), 'x'},
    {lyra.zeros(2, 3), {99}}, {lyra.zeros(2, 3), lyra.zeros(2, 3), lyra.zeros(3)},
    {lyra.tensor({1, 2}, 'int')}, {lyra.tensor({1, 2}, 'int'), 5}, {lyra.zeros(1, 1, 2, 2)},
    {lyra.zeros(2, 3), {padding = -1}}, {1, 2, 3, {groups = 5}}, {function() end},
  }
end

local function calls(name, f, count)
  for _, a in ipairs(argsets()) do
    pcall(f, table.unpack(a, 1, 4))
    count[1] = count[1] + 1
  end
end

T.case('every lyra function survives bad arguments', function()
  local count = {0}
  local seen = {}
  local function walk(t, path)
    if seen[t] then return end
    seen[t] = true
    for k, v in pairs(t) do
      local name = path .. '.' .. tostring(k)
      if not skip[name] then
        if type(v) == 'function' then calls(name, v, count)
        elseif type(v) == 'table' and type(k) == 'string' and not k:match('^_') then walk(v, name) end
      end
    end
  end
  walk(lyra, 'lyra')
  T.ok(count[1] > 1000, 'calls made: ' .. count[1])
end)

T.case('every tensor and module method survives bad arguments', function()
  local count = {0}
  local objects = {
    lyra.zeros(2, 3), lyra.zeros(0), lyra.tensor({1, 2}, 'int'), lyra.randn(2, 2, 2, 2):requires_grad_(),
  }
  local tmethods = getmetatable(objects[1]).__methods
  for name, m in pairs(tmethods) do
    for _, obj in ipairs(objects) do
      for _, a in ipairs(argsets()) do
        pcall(m, obj, table.unpack(a, 1, 3))
        count[1] = count[1] + 1
      end
    end
  end
  local modules = {lyra.nn.Linear(3, 2), lyra.nn.Conv2d(1, 2, 3), lyra.nn.Sequential(), lyra.nn.BatchNorm2d(2)}
  local mmethods = getmetatable(modules[1]).__methods
  for name, m in pairs(mmethods) do
    if name ~= 'save' and name ~= 'load_weights' then
      for _, obj in ipairs(modules) do
        for _, a in ipairs(argsets()) do
          pcall(m, obj, table.unpack(a, 1, 3))
          count[1] = count[1] + 1
        end
      end
    end
  end
  for _, obj in ipairs(modules) do
    for _, a in ipairs(argsets()) do pcall(obj, table.unpack(a, 1, 2)) end
  end
  T.ok(count[1] > 1000, 'calls made: ' .. count[1])
end)

T.case('indexing with bad keys survives', function()
  local x = lyra.zeros(2, 3)
  for _, k in ipairs({0, 3, -3, 1.5, {}, {{}}, {{2, 1}}, {1, 2, 3}, {{1, 9}}, {'a'}, true}) do
    pcall(function() return x[k] end)
    pcall(function() x[k] = 1 end)
    pcall(function() x[k] = lyra.zeros(5) end)
  end
  T.ok(true)
end)

T.case('every space and search method survives bad arguments', function()
  local count = 0
  local space = lyra.space{x = {type = 'FLOAT', range = {0, 1}}, k = {type = 'CATEGORY', range = {'a', 'b'}}}
  local objects = {space}
  for _, name in ipairs({'random', 'tpe', 'asha', 'bohb', 'hyperband', 'evolution', 'pbt', 'boss', 'grid'}) do
    local ok, alg = pcall(lyra.search[name], {space = space, max_budget = 9, perturbation_interval = 3})
    if not ok then ok, alg = pcall(lyra.search[name], {space = space}) end
    if ok then
      objects[#objects + 1] = alg
      local t = alg:ask()
      if t then pcall(alg.tell, alg, t, {loss = 1}) end
    end
  end
  T.ok(#objects >= 8, 'objects: ' .. #objects)
  for _, obj in ipairs(objects) do
    for name, m in pairs(getmetatable(obj).__methods) do
      for _, a in ipairs(argsets()) do
        pcall(m, obj, table.unpack(a, 1, 3))
        count = count + 1
      end
    end
  end
  T.ok(count > 500)
end)
