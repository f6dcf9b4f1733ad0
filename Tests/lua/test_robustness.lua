-- Bad input never crashes the host: every function of the lyra.* tables and every method
-- of every native class is called with wrong types, huge and negative numbers, NaN, 0-d,
-- empty and int tensors (Tests/lua/api_battery.lua). Each call must return or raise an
-- error naming the function; a crash kills this process and fails the run.
local T = require 'lyra.test'
local here = debug.getinfo(1, 'S').source:match('^@(.*)/[^/]*$') or 'Tests/lua'
local B = dofile(here .. '/api_battery.lua')

T.case('robustness: every lyra function and method survives the bad-argument battery', function()
  local s = B.run()
  -- Lower bounds, so that an enumeration that silently stopped finding functions fails.
  T.ok(s.functions >= 150, 'functions called: ' .. s.functions)
  T.ok(s.methods >= 400, 'methods called: ' .. s.methods)
  T.ok(s.calls >= 40000, 'calls made: ' .. s.calls)
  T.ok(s.errors > 0 and s.errors < s.calls, 'errors: ' .. s.errors .. ' of ' .. s.calls)
  T.eq(s.problems, {}, 'errors that do not name their function')
end)

T.case('robustness: the battery reaches every class it should', function()
  local classes = {}
  for _, o in ipairs(B.objects()) do classes[getmetatable(o[2]).__name] = true end
  for _, c in ipairs({'lyra.Tensor', 'lyra.nn.Module', 'lyra.nn.Criterion', 'lyra.optim.Optimizer',
                      'lyra.optim.LRScheduler', 'lyra.plot.Plot', 'lyra.space.Space', 'lyra.search.Search',
                      'lyra.data.Dataset', 'lyra.data.Loader', 'lyra.data.Transform'}) do
    T.ok(classes[c], 'no object of class ' .. c)
  end
end)

T.case('robustness: every search algorithm constructs and proposes a trial', function()
  local space = lyra.space{x = {type = 'FLOAT', range = {0, 1}}, k = {type = 'CATEGORY', range = {'a', 'b'}}}
  for _, name in ipairs(B.searches) do
    local ok, alg = pcall(B.search, name, space)
    T.ok(ok, name .. ' did not construct: ' .. tostring(alg))
    local trial = alg:ask()
    T.ok(type(trial) == 'table' and trial.config ~= nil, name .. ' proposed no trial')
  end
end)

T.case('robustness: indexing with bad keys raises errors naming the tensor', function()
  local x = lyra.zeros(2, 3)
  for _, k in ipairs({0, 3, -3, 1.5, {}, {{}}, {{2, 1}}, {1, 2, 3}, {{1, 9}}, {'a'}, true, 2^62, -2^62, 0/0}) do
    for _, f in ipairs({
      function() return x[k] end,
      function() x[k] = 1 end,
      function() x[k] = lyra.zeros(5) end,
    }) do
      local ok, err = pcall(f)
      -- Some keys are valid reads ({} is the whole tensor); bad ones must name the class.
      if not ok then T.ok(tostring(err):find('lyra.Tensor', 1, true), 'unnamed error: ' .. tostring(err)) end
    end
  end
  T.raises('cannot index a 0-d tensor', function() return lyra.tensor(3)[1] end)
  T.raises('cannot be stored in an int tensor', function() lyra.tensor({1, 2}, 'int')[1] = 2^62 end)
end)

T.case('robustness: p:show with a one-character file name writes it', function()
  -- Foundation's deletingLastPathComponent trapped on one-character paths.
  local name = 'x'
  if io.open(name, 'r') then return end -- never clobber a file of that name
  local ok, err = pcall(function() return lyra.plot.line({1, 2, 3}):show(name) end)
  local f = io.open(name, 'r')
  if f then f:close(); os.remove(name) end
  T.ok(ok, tostring(err))
  T.ok(f ~= nil, 'nothing written')
end)
