-- Usage: scripts/lyra scripts/bench/model_table.lua tasks/<id>/output/fully_train
-- Params, MACs, CPU latency (batch 1; the median of 5 medians of 10 warm runs) of the searched models
-- of a task's step folder, beside the reference CNN and ResNet-mini.
local folder = arg[1]

local function read(p) local f = assert(io.open(p)); local t = f:read('a'); f:close(); return t end
local function latency(m)
  local best = {}
  for r = 1, 5 do best[r] = m:latency({1, 1, 28, 28}) end
  table.sort(best)
  return best[3] * 1e3
end
local rows = {}
local function row(name, m, acc)
  local p = m:profile({1, 1, 28, 28})
  rows[#rows + 1] = string.format('| %s | %d | %.2f | %.3f | %s |', name, p.parameters, p.macs / 1e6, latency(m), acc or '')
end
row('CNN (reference)', lyra.nn.reference('cnn'))
row('ResNet-mini (reference)', lyra.nn.reference('resnet_mini'))
local p = io.popen('ls ' .. folder)
for f in p:lines() do
  local id = f:match('^desc_(%d+)%.json$')
  if id then
    local desc = lyra.json.decode(read(folder .. '/desc_' .. id .. '.json'))
    local perf = lyra.json.decode(read(folder .. '/performance_' .. id .. '.json'))
    local m = lyra.nn.build(desc, {1, 28, 28})
    m:load_weights(folder .. '/model_' .. id .. '.safetensors')
    local enc = desc.backbone and desc.backbone.encoding or '?'
    row('#' .. id .. ' `' .. enc .. '`', m, string.format('%.4f', perf.accuracy))
  end
end
p:close()
for _, r in ipairs(rows) do print(r) end
