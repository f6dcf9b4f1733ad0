-- A training script for the ScriptRunner trainer (docs/config.md#scriptrunner-trainer):
-- VEGA's examples/features/script_runner/train.py, written in Lua.
--
--   hpo:
--     trainer: {type: ScriptRunner, script: docs/examples/script_runner_train.lua}
--
-- Each trial runs this file in a fresh Lua state with `trial` as its argument: the
-- searched values in trial.hps (the step's trainer and dataset sections with the trial's
-- hyper-parameters merged in), the epochs to train in trial.epochs. It reports its result
-- by returning a table of metrics (or by calling trial.update{accuracy = acc}).
local trial = ...
local nn, optim, data = lyra.nn, lyra.optim, lyra.data
local trainer, dataset = trial.hps.trainer or {}, trial.hps.dataset or {}
local common = dataset.common or {}
assert((dataset.type or 'FashionMnist') == 'FashionMnist', 'this example trains on Fashion-MNIST, got ' .. tostring(dataset.type))

-- The data: Fashion-MNIST, as many samples as the dataset section allows.
local function split(name, part)
  local ds = data.fashion_mnist{split = name, root = common.data_path}
  local n = (dataset[part] or {}).max_samples or common.max_samples
  if n and n < #ds then
    local idx = {}
    for i = 1, n do idx[i] = i end
    ds = ds:subset(idx)
  end
  return ds
end
local batch_size = common.batch_size or 64
local train = data.loader(split('train', 'train'), {batch_size = batch_size, shuffle = true, seed = trial.worker_id})
local test = data.loader(split('test', 'test'), {batch_size = 256})

-- The model and the searched optimiser.
lyra.manual_seed(trial.worker_id)
local model = nn.Sequential():add(nn.Flatten()):add(nn.Linear(784, 64)):add(nn.ReLU()):add(nn.Linear(64, 10))
local opt_type = (trainer.optimizer or {}).type or 'SGD'
local p = (trainer.optimizer or {}).params or {}
local opt
if opt_type == 'SGD' then
  opt = optim.SGD(model:parameters(), {lr = p.lr or 0.01, momentum = p.momentum or 0})
elseif opt_type == 'Adam' then
  opt = optim.Adam(model:parameters(), {lr = p.lr or 1e-3})
else
  error('this example knows the optimisers SGD and Adam, got ' .. tostring(opt_type))
end

local criterion = nn.CrossEntropyLoss()
for epoch = 1, trial.epochs do
  for x, y in train:iter() do
    local loss = criterion(model(x), y)
    opt:zero_grad()
    loss:backward()
    opt:step()
  end
end

-- Test accuracy, one batch at a time without autograd.
model:eval()
local correct, total = 0, 0
for x, y in test:iter() do
  local pred = lyra.no_grad(function() return select(2, model(x):max(2)) end)
  correct, total = correct + pred:eq(y):sum():item(), total + y:size(1)
end
print(('trial %d: %d epochs, %s lr=%g, accuracy %.4f'):format(trial.worker_id, trial.epochs, opt_type, p.lr or 0, correct / total))
return {accuracy = correct / total}
