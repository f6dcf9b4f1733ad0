-- Quickstart: the main job of a fresh checkout (`scripts/lyra run docs/examples/quickstart.lua`).
-- Trains the reference MLP on Fashion-MNIST for one epoch from Lua and reports test
-- accuracy; docs/examples/train_cnn.lua does the same for the CNN over 3 epochs.
local nn, optim, data = lyra.nn, lyra.optim, lyra.data
lyra.manual_seed(0)
print(('Lyra %s on %s'):format(lyra.version, _VERSION))

local train = data.fashion_mnist{split = 'train'}
local test = data.fashion_mnist{split = 'test'}
local loader = data.loader(train, {batch_size = 128, shuffle = true, seed = 0})

local model = nn.reference('mlp')
print(model)
local criterion = nn.CrossEntropyLoss()
local opt = optim.SGD(model:parameters(), {lr = 0.05, momentum = 0.9})
local scheduler = optim.lr_scheduler.CosineAnnealingLR(opt, {T_max = #loader})

local t0 = lyra.clock()
local bar = lyra.progress.bar(#loader, {title = 'training'})
local step = 0
for x, y in loader:iter() do
  step = step + 1
  local loss = criterion(model(x), y)
  opt:zero_grad()
  loss:backward()
  opt:step()
  scheduler:step()
  bar:update(step, {loss = ('%.4f'):format(loss:item())})
end
bar:done()
local seconds = lyra.clock() - t0

model:eval()
local correct = 0
lyra.no_grad(function()
  for x, y in data.loader(test, {batch_size = 1000}):iter() do
    local _, pred = model(x):max(2)
    correct = correct + pred:eq(y):sum():item()
  end
end)
print(('1 epoch in %.1f s (%.0f images/s); test accuracy %.4f'):format(seconds, #train / seconds, correct / #test))
