-- MF-ASC's model cost: the seconds one model-based ask takes (the co-kriging refit plus
-- the UCB over batch_size candidates) as the number of results grows, on the space of
-- VEGA's examples/nas/mfasc/mfasc.yml (14 categorical MobileNetV2 keys, 25,000
-- candidates, batch_size 1000). Trials are not trained: scores are a synthetic function.
--
--   lyra scripts/bench/mfasc_refit.lua [N ...]     (default 20 50 100 200 results)
--
-- Why: each MF-ASC trial waits for this refit, so it must stay small beside a trial's
-- training (minutes for MobileNetV2). Run with the release build (scripts/lyra).
local params = {}
local widths = {{16, 24}, {24, 32}, {32, 64}, {64, 96}, {96, 160}, {160, 320}, {320, 640}}
for i = 0, 6 do
  params['layer_' .. i .. '.repetitions'] = {type = 'CATEGORY', range = {1, 2, 3, 4}}
  params['layer_' .. i .. '.channels'] = {type = 'CATEGORY', range = widths[i + 1]}
end
local space = lyra.space(params)
local function score(c, budget)
  local s = 0
  for i = 0, 6 do s = s + c['layer_' .. i .. '.repetitions'] * 0.01 + c['layer_' .. i .. '.channels'] / 64000 end
  return budget == 20 and s or 0.8 * s + 0.01 * c['layer_0.repetitions']
end

local sizes = {}
for _, a in ipairs({...}) do sizes[#sizes + 1] = tonumber(a) end
if #sizes == 0 then sizes = {20, 50, 100, 200} end
print(string.format('%8s %8s %12s', 'results', 'low/high', 'seconds/ask'))
for _, n in ipairs(sizes) do
  local high = math.max(3, n // 5)
  local alg = lyra.search.mfasc{space = space, seed = 1, sample_size = 25000, batch_size = 1000, max_budget = 10 ^ 6,
                                hf_epochs = 20, lf_epochs = 5, min_hf_sample_size = high, min_lf_sample_size = n - high,
                                objectives = {{'accuracy', 'max'}}}
  for _ = 1, n do
    local t = alg:ask()
    alg:tell(t, {accuracy = score(t.config, t.budget)})
  end
  local t0 = os.clock()
  local t = alg:ask()
  local dt = os.clock() - t0
  alg:tell(t, {accuracy = score(t.config, t.budget)})
  print(string.format('%8d %8s %12.3f', n, (n - high) .. '/' .. high, dt))
end
