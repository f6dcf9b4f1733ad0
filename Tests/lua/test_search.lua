-- lyra.search from Lua: the ask/tell loop, every algorithm on a problem with a known
-- optimum, state and resume, failures, errors.
local T = require 'lyra.test'

local space = lyra.space{x1 = {type = 'FLOAT', range = {-5, 10}}, x2 = {type = 'FLOAT', range = {0, 15}}}
local optimum = 5 / (4 * math.pi)
local function branin(c)
  local b, cc, t = 5.1 / (4 * math.pi ^ 2), 5 / math.pi, 1 / (8 * math.pi)
  return (c.x2 - b * c.x1 ^ 2 + cc * c.x1 - 6) ^ 2 + 10 * (1 - t) * math.cos(c.x1) + 10
end

local function run(alg, f)
  local n, seen = 0, math.huge
  while true do
    local t = alg:ask()
    if not t then break end
    local v = f(t.config, t.budget)
    seen = math.min(seen, v)
    alg:tell(t, {loss = v})
    n = n + 1
  end
  return n, seen
end

T.case('every algorithm finds a good Branin point', function()
  local algs = {
    random = {max_trials = 150}, tpe = {max_trials = 100}, evolution = {max_trials = 200},
    hyperband = {min_budget = 1, max_budget = 27, iterations = 8}, asha = {max_trials = 150, max_budget = 27},
    bohb = {max_budget = 27, iterations = 8}, boss = {num_samples = 40, repeat_times = 3, max_budget = 27}, grid = {slices = 12},
  }
  for name, opts in pairs(algs) do
    opts.space = space
    if name ~= 'grid' then opts.seed = 2 end
    local alg = lyra.search[name](opts)
    local n, seen = run(alg, branin)
    -- Multi-fidelity searches report the best result at the largest budget reached
    -- (HpBandSter's incumbent rule); what they found is judged by the best result seen.
    local regret = (opts.max_budget and seen or alg:best().metrics.loss) - optimum
    T.ok(n > 10, name .. ' ran ' .. n)
    T.ok(regret < 1.5, name .. ' regret ' .. regret)
    T.ok(alg:done(), name .. ' done')
  end
end)

T.case('minimize with a Lua objective', function()
  local s = lyra.space{x = {type = 'FLOAT', range = {-5, 5}}, k = {type = 'CATEGORY', range = {'a', 'b'}}}
  local best = lyra.search.minimize(function(c) return (c.x - 2) ^ 2 + (c.k == 'b' and 0 or 1) end, s, {algorithm = 'tpe', budget = 60, seed = 1})
  T.eq(best.config.k, 'b')
  T.near(best.config.x, 2, 0.5)
  T.raises('unknown algorithm', lyra.search.minimize, function() return 0 end, s, {algorithm = 'nope'})
  local failing = lyra.search.minimize(function(c) if c.x < 0 then error('boom') end return c.x end, s, {algorithm = 'random', budget = 30, catch = true})
  T.ok(failing.config.x >= 0)
  T.raises('boom', lyra.search.minimize, function() error('boom') end, s, {algorithm = 'random', budget = 3})
end)

T.case('same seed, same trajectory; state and restore resume exactly', function()
  local function trajectory(alg, n)
    local out = {}
    for i = 1, n do
      local t = alg:ask()
      out[#out + 1] = t.config.x1
      alg:tell(t, branin(t.config))
    end
    return out
  end
  T.eq(trajectory(lyra.search.tpe{space = space, seed = 5}, 20), trajectory(lyra.search.tpe{space = space, seed = 5}, 20))
  local a = lyra.search.tpe{space = space, seed = 9}
  trajectory(a, 15)
  local saved = a:state()
  local rest = trajectory(a, 10)
  local b = lyra.search.tpe{space = space, seed = 9}:restore(saved)
  T.eq(trajectory(b, 10), rest)
end)

T.case('failures and NaN are never best; multi-objective Pareto front', function()
  local alg = lyra.search.random{space = space, seed = 1, max_trials = 20, objectives = {{'acc', 'max'}, {'cost', 'min'}}}
  local i = 0
  while true do
    local t = alg:ask()
    if not t then break end
    i = i + 1
    if i % 5 == 0 then alg:tell(t, nil)
    elseif i % 7 == 0 then alg:tell(t, {acc = 0 / 0, cost = 0})
    else alg:tell(t, {acc = t.config.x1, cost = t.config.x2}) end
  end
  local best = alg:best()
  T.ok(best.metrics.acc == best.metrics.acc, 'best is not NaN')
  local front = alg:pareto()
  T.ok(#front >= 1)
  for _, p in ipairs(front) do
    for _, q in ipairs(front) do
      T.ok(not (q.metrics.acc > p.metrics.acc and q.metrics.cost < p.metrics.cost), 'non-dominated')
    end
  end
end)

T.case('ASHA stopping type reports', function()
  local alg = lyra.search.asha{space = space, seed = 0, type = 'stopping', max_budget = 9, max_trials = 10}
  local t = alg:ask()
  local d = alg:report(t, 1, {loss = 5})
  T.ok(d == 'continue' or d == 'stop')
  T.raises('report is for', function() lyra.search.random{space = space, max_trials = 1}:report(t, 1, {loss = 1}) end)
end)

T.case('bad options name the option', function()
  T.raises("unknown option 'sead' (did you mean 'seed'?)", lyra.search.tpe, {space = space, sead = 1})
  T.raises("option 'eta' must be at least 2", lyra.search.asha, {space = space, eta = 1})
  T.raises("option 'space' must be a lyra.space", lyra.search.random, {space = {}})
  T.raises('was not handed out', function() lyra.search.random{space = space, max_trials = 2}:tell(99, {loss = 1}) end)
end)
