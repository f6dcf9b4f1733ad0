-- Forward + backward time of a 2-layer LSTM(32, 64), batch 16, for sequence lengths T
-- (default 50, 100, 200): how back-propagation through time scales with T.
-- Usage: lyra scripts/bench/lstm_bptt.lua [T ...]
-- Recurrent.swift's comment cites it (per-step inputs instead of slicing a [T, N, 4H]
-- projection: 4.1x at T = 100, 5.9x at T = 200, debug build, 2-vCPU Xeon).
local lengths = {}
for i = 1, #arg do lengths[#lengths + 1] = tonumber(arg[i]) end
if #lengths == 0 then lengths = {50, 100, 200} end
lyra.manual_seed(0)
local lstm = lyra.nn.LSTM(32, 64, {num_layers = 2})
for _, T in ipairs(lengths) do
  local x = lyra.randn(T, 16, 32):requires_grad_()
  local function run() lstm(x):sum():backward() end
  run()                                   -- warm-up
  local t0 = os.clock()
  for _ = 1, 3 do run() end
  print(('T = %4d  %.3f CPU s (os.clock) per forward + backward'):format(T, (os.clock() - t0) / 3))
end
