-- lyra.search.minimize: the ask/tell loop in one call, for a Lua objective.
local lyra = lyra
local search = lyra.search

local known = { algorithm = true, budget = true, seed = true, catch = true, verbose = true }

--- lyra.search.minimize(f, space [, options]) -> best, alg
local function minimize(f, space, options)
  if type(f) ~= 'function' then error("bad argument #1 to 'lyra.search.minimize' (function expected)", 2) end
  options = options or {}
  local name = options.algorithm or 'tpe'
  local make = search[name]
  if type(make) ~= 'function' or name == 'minimize' then
    error(("lyra.search.minimize: unknown algorithm '%s'"):format(tostring(name)), 2)
  end
  local budget = options.budget or 100
  local alg_options = { space = space, seed = options.seed or 0 }
  for k, v in pairs(options) do if not known[k] then alg_options[k] = v end end
  if (name == 'random' or name == 'evolution' or name == 'tpe' or name == 'asha') and alg_options.max_trials == nil then
    alg_options.max_trials = budget
  end
  local alg = make(alg_options)
  local evaluations = 0
  while evaluations < budget do
    local t = alg:ask()
    if not t then break end
    local ok, value = pcall(f, t.config, t.budget)
    if not ok then
      if not options.catch then error(value, 0) end
      value = false
    elseif type(value) == 'number' then
      value = { loss = value }
    elseif type(value) ~= 'table' then
      error(('lyra.search.minimize: the objective returned a %s; return a number or a table of metrics'):format(type(value)), 2)
    end
    alg:tell(t, value)
    evaluations = evaluations + 1
    if options.verbose then
      print(('trial %d: %s'):format(t.id, value and lyra.pretty(value) or 'failed'))
    end
  end
  return alg:best(), alg
end

search.minimize = lyra.def('lyra.search.minimize', [[
lyra.search.minimize(f, space [, {algorithm = 'tpe', budget = 100, seed = 0, catch = false, ...}]) -> best, search
Minimises f(config [, budget]) (a number, or a table of metrics with `loss`) over the space
with any algorithm of lyra.search; budget counts evaluations; other options go to the
algorithm (e.g. max_budget for 'bohb'). With catch = true an error in f marks the trial
failed instead of stopping the search. Returns the best trial {config, metrics, ...}.
Example: lyra.search.minimize(function(c) return (c.x - 2)^2 end, lyra.space{x = {type = 'FLOAT', range = {-5, 5}}})]], minimize)

return search
