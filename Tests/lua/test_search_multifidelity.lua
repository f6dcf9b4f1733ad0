-- lyra.search.mfasc and lyra.search.mfkd (VEGA's MFASC and MFKD1) from Lua: a planted
-- optimum, one trial at a time for MFASC, the GP's extra pick for MFKD, bad options.
local T = require 'lyra.test'

local planted = {5, 2, 6, 1}
local space = lyra.space{x0 = {type = 'INT', range = {0, 7}}, x1 = {type = 'INT', range = {0, 7}},
                         x2 = {type = 'INT', range = {0, 7}}, x3 = {type = 'INT', range = {0, 7}}}
local function bowl(c)
  local s = 0
  for i = 0, 3 do s = s + (c['x' .. i] - planted[i + 1]) ^ 2 end
  return s
end

T.case('mfasc finds a planted optimum with cheap correlated low-fidelity trials', function()
  local alg = lyra.search.mfasc{space = space, seed = 1, sample_size = 4096, max_budget = 60, hf_epochs = 5, lf_epochs = 1,
                                min_hf_sample_size = 3, min_lf_sample_size = 5}
  local spent, budgets = 0, {}
  while true do
    local t = alg:ask()
    if not t then break end
    T.eq(alg:ask(), nil)  -- one trial at a time
    local y = t.budget == 1 and 0.6 * bowl(t.config) + 0.8 * t.config.x0 + 4 or bowl(t.config)
    alg:tell(t, {loss = y})
    spent = spent + t.budget
    budgets[#budgets + 1] = t.budget
  end
  T.ok(spent > 60 and spent - budgets[#budgets] <= 60, 'stops once max_budget is exceeded: ' .. spent)
  T.eq({budgets[1], budgets[3], budgets[4]}, {5, 5, 1})
  local best = alg:best()
  T.eq(best.budget, 5)
  T.ok(bowl(best.config) <= 2, 'regret ' .. bowl(best.config))
end)

T.case('mfkd trains max_samples combinations, then the GP pick', function()
  local choices = lyra.space{a = {type = 'CATEGORY', range = {1, 2, 3, 4, 5, 6}}, bn = {type = 'BOOL'},
                             k = {type = 'CATEGORY', range = {1, 3, 5, 7}}}
  local alg = lyra.search.mfkd{space = choices, seed = 2, max_samples = 6, objectives = {{'accuracy', 'max'}}}
  local n, best = 0, -math.huge
  while true do
    local t = alg:ask()
    if not t then break end
    local acc = 1 - 0.05 * (t.config.a - 4) ^ 2 - (t.config.bn and 0 or 0.2) - 0.02 * (t.config.k - 3) ^ 2
    alg:tell(t, {accuracy = acc})
    n = n + 1
  end
  T.ok(n == 6 or n == 7, 'trials ' .. n)
  T.ok(alg:done())
  T.raises('CATEGORY or BOOL', lyra.search.mfkd, {space = space})
end)

T.case('mfasc and mfkd options are checked', function()
  T.raises("option 'hf_epochs' must be at least lf_epochs", lyra.search.mfasc, {space = space, hf_epochs = 1, lf_epochs = 2})
  T.raises("option 'prior_rho' must be in [-1, 1]", lyra.search.mfasc, {space = space, prior_rho = 3})
  T.raises("unknown option 'max_budgt' (did you mean 'max_budget'?)", lyra.search.mfasc, {space = space, max_budgt = 3})
  T.raises("option 'max_samples' must be at least 1", lyra.search.mfkd, {space = lyra.space{a = {type = 'BOOL'}}, max_samples = 0})
  T.raises("max_samples must be in 1…2048", lyra.search.mfkd, {space = lyra.space{a = {type = 'BOOL'}}, max_samples = 5000})
  T.raises("option 'sample_size' must be at most 200000", lyra.search.mfasc, {space = space, sample_size = 10000000})
end)
