-- Train the reference CNN (docs/architecture.md#reference-models-and-benchmark-problems) on Fashion-MNIST from Lua.
--   scripts/lyra docs/examples/train_cnn.lua [epochs=3] [seed=0]
-- The reference schedule: batch 128, SGD momentum 0.9, lr_t = 0.025 (1 + cos(pi t / T)).
local nn, optim, data = lyra.nn, lyra.optim, lyra.data
local epochs = tonumber(arg and arg[1]) or 3
local seed = tonumber(arg and arg[2]) or 0
lyra.manual_seed(seed)

local train = data.fashion_mnist{split = 'train'}
local test = data.fashion_mnist{split = 'test'}
local loader = data.loader(train, {batch_size = 128, shuffle = true, seed = seed})
local test_loader = data.loader(test, {batch_size = 1000})

local model = nn.Sequential()
  :add(nn.Conv2d(1, 32, 3, {padding = 1, bias = false})):add(nn.BatchNorm2d(32)):add(nn.ReLU()):add(nn.MaxPool2d(2))
  :add(nn.Conv2d(32, 64, 3, {padding = 1, bias = false})):add(nn.BatchNorm2d(64)):add(nn.ReLU()):add(nn.MaxPool2d(2))
  :add(nn.Flatten()):add(nn.Linear(3136, 128)):add(nn.ReLU()):add(nn.Linear(128, 10))
print(model)

local criterion = nn.CrossEntropyLoss()
local opt = optim.SGD(model:parameters(), {lr = 0.05, momentum = 0.9})
local steps = epochs * #loader
local scheduler = optim.lr_scheduler.CosineAnnealingLR(opt, {T_max = steps})

local function evaluate()
  model:eval()
  local correct, total = 0, 0
  lyra.no_grad(function()
    for x, y in test_loader:iter() do
      local _, pred = model(x):max(2)
      correct = correct + pred:eq(y):sum():item()
      total = total + y:size(1)
    end
  end)
  model:train()
  return correct / total
end

local epoch_times = {}
for epoch = 1, epochs do
  local bar = lyra.progress.bar(#loader, {title = ('epoch %d/%d'):format(epoch, epochs)})
  local t0 = lyra.clock()
  local seen, running = 0, 0
  for x, y in loader:iter() do
    local loss = criterion(model(x), y)
    opt:zero_grad()
    loss:backward()
    opt:step()
    scheduler:step()
    seen = seen + 1
    running = running + loss:item()
    bar:update(seen, {loss = ('%.4f'):format(running / seen)})
  end
  bar:done()
  epoch_times[epoch] = lyra.clock() - t0
  print(('epoch %d: %.1f s, %.0f images/s, loss %.4f, test accuracy %.4f'):format(
    epoch, epoch_times[epoch], #train / epoch_times[epoch], running / seen, evaluate()))
end
local acc = evaluate()
print(('final test accuracy %.4f after %d epochs (median epoch %.1f s)'):format(acc, epochs,
  (function() local t = {table.unpack(epoch_times)}; table.sort(t); return t[(#t + 1) // 2] end)()))
return acc
