-- A custom NAS loop in plain Lua over Lyra's native pieces: a DNet block codec samples and
-- mutates architectures, lyra.nn.build makes them, a short training scores accuracy, the
-- CPU latency of one image is measured, and NSGA-II's sort keeps a Pareto population.
--   scripts/lyra docs/examples/custom_nas.lua [children=12] [seed=0]     (~5 min on 2 cores)
local nn, data, search = lyra.nn, lyra.data, lyra.search
local children, seed = tonumber(arg[1]) or 12, tonumber(arg[2]) or 0
lyra.manual_seed(seed)
math.randomseed(seed)
local function first(ds, n) local t = {} for i = 1, n do t[i] = i end return ds:subset(t) end
local train, test = first(data.fashion_mnist{}, 10000), first(data.fashion_mnist{split = 'test'}, 2000)
local codec = search.codec{kind = 'dnet_block', macro = '1-21-21', seed = seed, space = lyra.space{hyperparameters = {
  {key = 'network.backbone.op_num', type = 'CATEGORY', range = {2, 3}},
  {key = 'network.backbone.skip_num', type = 'CATEGORY', range = {0, 1}},
  {key = 'network.backbone.base_channel', type = 'CATEGORY', range = {16, 32}}}}}

local function evaluate(config)   -- -> {accuracy, latency in ms}
  local model = nn.build({type = 'DNet', small_input = true, encoding = config['network.backbone.encoding']}, {1, 28, 28})
  local loader = data.loader(train, {batch_size = 128, shuffle = true, seed = seed})
  local opt, loss = lyra.optim.SGD(model:parameters(), {lr = 0.05, momentum = 0.9}), nn.CrossEntropyLoss()
  local schedule = lyra.optim.lr_scheduler.CosineAnnealingLR(opt, {T_max = #loader})
  for x, y in loader:iter() do
    local l = loss(model(x), y); opt:zero_grad(); l:backward(); opt:step(); schedule:step()
  end
  model:eval()
  local correct = 0
  lyra.no_grad(function() for x, y in data.loader(test, {batch_size = 500}):iter() do
    local _, p = model(x):max(2); correct = correct + p:eq(y):sum():item() end end)
  return {correct / #test, model:latency({1, 1, 28, 28}) * 1e3}
end

local function add(pop, c) pop[#pop + 1] = {config = c, score = evaluate(c)} end
local function scores(pop) local s = {} for i, m in ipairs(pop) do s[i] = m.score end return s end
local pop = {}
for _ = 1, 6 do add(pop, codec:sample()) end
for _ = 1, children do
  local fronts = search.nondominated(scores(pop), {'max', 'min'})
  local parent = pop[fronts[1][math.random(#fronts[1])]]        -- a Pareto member
  add(pop, codec:mutate(parent.config))
  fronts, crowd = search.nondominated(scores(pop), {'max', 'min'})
  local last, worst = fronts[#fronts], nil                      -- drop the most crowded of the worst front
  for _, i in ipairs(last) do if not worst or crowd[i] < crowd[worst] then worst = i end end
  table.remove(pop, worst)
end
print('Pareto front (accuracy, latency ms, encoding):')
local front = search.nondominated(scores(pop), {'max', 'min'})[1]
table.sort(front, function(a, b) return pop[a].score[2] < pop[b].score[2] end)
for _, i in ipairs(front) do
  local m = pop[i]
  print(('%.4f  %.3f  %s'):format(m.score[1], m.score[2], m.config['network.backbone.encoding']))
end
