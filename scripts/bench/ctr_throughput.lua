-- Training throughput (samples/s) of a DeepFM built from lyra.nn pieces: sparse embedding
-- tables (lyra.nn.Embedding{sparse = true}, lyra.optim.LazyAdam), the FM term (lyra.nn.FM),
-- an MLP over the concatenated embeddings (Adam). Criteo-like shape: 39 fields, 100 000 ids,
-- embed_dim 16, MLP 624-200-200-1, batch 1024, random ids and labels.
-- ctr_throughput_torch.py is the same model in PyTorch; ctr_throughput.sh runs both.
-- Usage: lyra scripts/bench/ctr_throughput.lua [steps = 30]
local steps = tonumber(arg[1]) or 30
local F, V, D, B = 39, 100000, 16, 1024
lyra.manual_seed(0)
local emb = lyra.nn.Embedding(V, D, { sparse = true })
local lin = lyra.nn.Embedding(V, 1, { sparse = true })
local fm = lyra.nn.FM()
local mlp = lyra.nn.Sequential():add(lyra.nn.Linear(F * D, 200)):add(lyra.nn.ReLU())
  :add(lyra.nn.Linear(200, 200)):add(lyra.nn.ReLU()):add(lyra.nn.Linear(200, 1))
local sparse = lyra.optim.LazyAdam({ emb, lin }, { lr = 1e-3 })
local dense = lyra.optim.Adam(mlp:parameters(), { lr = 1e-3 })
local crit = lyra.nn.BCEWithLogitsLoss()
local batches = {}
for k = 1, 4 do batches[k] = { lyra.randint(1, V + 1, { B, F }), lyra.randint(0, 2, { B, 1 }):float() } end
local function step(k)
  local x, y = batches[(k - 1) % #batches + 1][1], batches[(k - 1) % #batches + 1][2]
  dense:zero_grad()
  local e = emb:forward(x)
  local logit = lin:forward(x):sum(2) + fm:forward(e) + mlp:forward(e:reshape(B, F * D))
  crit:forward(logit, y):backward()
  dense:step()
  sparse:step()
end
for k = 1, 3 do step(k) end                          -- warm-up
local t0 = lyra.clock()
for k = 1, steps do step(k) end
local dt = lyra.clock() - t0
print(('lyra DeepFM: %d steps of %d in %.2f s: %.0f samples/s'):format(steps, B, dt, steps * B / dt))
