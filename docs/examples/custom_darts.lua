-- A custom first-order DARTS loop in Lua (docs/algorithms/darts.md): the supernet and its
-- alpha come from lyra.nas.supernet; weights step on training batches (SGD), alpha on
-- validation batches (Adam, DARTS' settings), alternately; the genotype comes out in the
-- paper's notation. Change the alpha step (GDAS' sampling, a regulariser on alpha, ...)
-- and you have another weight-sharing method.
--
--   lyra docs/examples/custom_darts.lua [images] [epochs]     (defaults 1000 and 2; Fashion-MNIST)
-- Tests/lua/test_darts.lua runs `darts(...)` on synthetic data.
local nn, optim, data = lyra.nn, lyra.optim, lyra.data

-- One search: `train` and `valid` are iterables of (x, y) batches (functions returning an iterator).
local function darts(train, valid, opts)
  local net, an, ar = lyra.nas.supernet(opts.supernet)
  local criterion = nn.CrossEntropyLoss()
  local w_opt = optim.SGD(net:parameters(), {lr = 0.025, momentum = 0.9, weight_decay = 3e-4})
  local a_opt = optim.Adam({an, ar}, {lr = opts.arch_lr or 3e-4, betas = {0.5, 0.999}, weight_decay = 1e-3})
  local sched = optim.lr_scheduler.CosineAnnealingLR(w_opt, {T_max = opts.epochs, eta_min = 0.001})
  for epoch = 1, opts.epochs do
    local vnext = valid()
    for x, y in train() do
      local vx, vy = vnext()
      if not vx then vnext = valid(); vx, vy = vnext() end
      -- alpha step (first order): the validation loss at the current weights
      a_opt:zero_grad()
      criterion(net(vx), vy):backward()
      a_opt:step()
      -- weight step: the training loss, alpha fixed
      w_opt:zero_grad()
      local loss = criterion(net(x), y)
      loss:backward()
      w_opt:step()
    end
    sched:step()
    print(('epoch %d: %s'):format(epoch, (lyra.nas.genotype(net))))
  end
  return net, lyra.nas.genotype(net)
end

if ... == 'module' then return darts end  -- required as a library (the Lua test)

local n, epochs = tonumber(arg[1]) or 1000, tonumber(arg[2]) or 2
lyra.manual_seed(0)
local ds = data.fashion_mnist{split = 'train'}
local perm = lyra.randperm(#ds)
local train_ds = ds:subset(perm:narrow(1, 1, n // 2):totable())
local valid_ds = ds:subset(perm:narrow(1, n // 2 + 1, n // 2):totable())
local function batches(d) return function() return data.loader(d, {batch_size = 50, shuffle = true}):iter() end end
local t0 = lyra.clock()
local _, text = darts(batches(train_ds), batches(valid_ds), {
  epochs = epochs, arch_lr = 3e-3,
  supernet = {in_channels = 1, channels = 8, layers = 5, steps = 3, stem_multi = 2, seed = 0},
})
print(text)
print(('searched in %.1f s'):format(lyra.clock() - t0))
