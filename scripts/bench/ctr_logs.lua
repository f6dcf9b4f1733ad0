-- LR, FM and DeepFM on a CTR log a user supplies (a Criteo or Avazu sample): the first 80 %
-- of the lines train (1 epoch by default), the last 20 % are held out; prints held-out AUC
-- (rank-based, ties averaged) and logloss per model, and training samples/s.
-- Usage: lyra scripts/bench/ctr_logs.lua PATH [criteo|avazu] [epochs = 1] [min_frequency = 10]
-- Example: head -n 1000000 day_0 > day_0.1M && lyra scripts/bench/ctr_logs.lua day_0.1M criteo
local path, kind = arg[1], arg[2] or 'criteo'
local epochs, minf = tonumber(arg[3]) or 1, tonumber(arg[4]) or 10
assert(path, 'usage: lyra scripts/bench/ctr_logs.lua PATH [criteo|avazu] [epochs] [min_frequency]')
local ds, r = lyra.data[kind]{ path = path, min_frequency = minf }
print(('%s: %d samples, %d malformed lines skipped, %d fields, %d ids'):format(path, r.samples, r.skipped, r.fields, r.input_dim))
local n = #ds
local cut = math.floor(0.8 * n)
local idx_train, idx_test = {}, {}
for i = 1, cut do idx_train[i] = i end
for i = cut + 1, n do idx_test[#idx_test + 1] = i end
local train, test = ds:subset(idx_train), ds:subset(idx_test)

-- AUC by ranks with ties averaged: (sum of positive ranks - P(P+1)/2) / (P N).
local function auc(scores, labels)
  local order = {}
  for i = 1, #scores do order[i] = i end
  table.sort(order, function(a, b) return scores[a] < scores[b] end)
  local ranks, i = {}, 1
  while i <= #order do
    local j = i
    while j < #order and scores[order[j + 1]] == scores[order[i]] do j = j + 1 end
    for k = i, j do ranks[order[k]] = (i + j) / 2 end
    i = j + 1
  end
  local pos, sum = 0, 0
  for k = 1, #labels do if labels[k] == 1 then pos, sum = pos + 1, sum + ranks[k] end end
  local neg = #labels - pos
  return (sum - pos * (pos + 1) / 2) / (pos * neg)
end

local function model(kind_, D)
  local F, V = r.fields, r.input_dim
  local m = { lin = lyra.nn.Embedding(V, 1, { sparse = true }), bias = lyra.zeros(1):requires_grad_() }
  local tables, dense = { m.lin }, { m.bias }
  if kind_ ~= 'LR' then
    m.emb = lyra.nn.Embedding(V, D, { sparse = true })
    m.fm = lyra.nn.FM()
    tables[#tables + 1] = m.emb
  end
  if kind_ == 'DeepFM' then
    m.mlp = lyra.nn.Sequential():add(lyra.nn.Linear(F * D, 200)):add(lyra.nn.ReLU()):add(lyra.nn.Linear(200, 1))
    for _, p in ipairs(m.mlp:parameters()) do dense[#dense + 1] = p end
  end
  function m.forward(ids)
    local out = m.lin:forward(ids):sum(2) + m.bias
    if m.emb then
      local e = m.emb:forward(ids)
      out = out + m.fm:forward(e)
      if m.mlp then out = out + m.mlp:forward(e:reshape(ids:size(1), F * D)) end
    end
    return out
  end
  -- Small initial rows (N(0, 0.01²)): 39 fields of N(0, 1) rows would start at logits of ±6.
  lyra.no_grad(function() for _, t in ipairs(tables) do t.weight:mul_(0.01) end end)
  m.sparse, m.dense = lyra.optim.LazyAdam(tables, { lr = 1e-3 }), lyra.optim.Adam(dense, { lr = 1e-3 })
  return m
end

local crit = lyra.nn.BCEWithLogitsLoss()
for _, name in ipairs({ 'LR', 'FM', 'DeepFM' }) do
  lyra.manual_seed(0)
  local m = model(name, 16)
  local t0, seen = lyra.clock(), 0
  for e = 1, epochs do
    for bx, by in lyra.data.loader(train, { batch_size = 1024, shuffle = true, seed = e }):iter() do
      m.dense:zero_grad()
      crit:forward(m.forward(bx:int()), (by - 1):float():reshape(-1, 1)):backward()
      m.dense:step()
      m.sparse:step()
      seen = seen + by:size(1)
    end
  end
  local dt = lyra.clock() - t0
  local scores, labels, ll = {}, {}, 0
  lyra.no_grad(function()
    for bx, by in lyra.data.loader(test, { batch_size = 4096 }):iter() do
      local z = m.forward(bx:int()):reshape(-1):totable()
      local y = by:totable()
      for k = 1, #z do
        scores[#scores + 1] = z[k]
        labels[#labels + 1] = y[k] - 1
        local p = math.min(math.max(1 / (1 + math.exp(-z[k])), 1e-7), 1 - 1e-7)
        ll = ll - (y[k] == 2 and math.log(p) or math.log(1 - p))
      end
    end
  end)
  print(('%-7s AUC %.4f  logloss %.4f  (%d test samples; trained at %.0f samples/s)'):format(name, auc(scores, labels), ll / #labels, #labels, seen / dt))
end
