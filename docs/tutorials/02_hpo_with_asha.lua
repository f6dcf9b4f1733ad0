-- %% [markdown]
-- # Tutorial 2: hyperparameter search with ASHA
--
-- ```sh
-- lyra notebook docs/tutorials/02_hpo_with_asha.lua --to html,md -o docs/tutorials
-- ```
--
-- A model's learning rate, momentum and batch size decide how well it trains, and no
-- single setting is best for every model and data set. Hyperparameter optimisation
-- (HPO) tries settings and keeps the best. The expensive part is training, so good
-- search algorithms spend little on settings that are clearly bad.
--
-- **What you will learn**
--
-- 1. how to declare a search space with `lyra.space` (VEGA's hyperparameter types);
-- 2. what ASHA does — rungs, budgets, promotions — by driving `lyra.search.asha` with
--    its `ask`/`tell` interface from a training loop of your own;
-- 3. how to read the search from a plot of every trial's budget against its score;
-- 4. how the same search runs as a pipeline (`lyra.pipeline.run{...}`) and where its
--    outputs go.
--
-- The model is the MLP of [tutorial 1](01_tensors_and_a_first_model.md) on a small
-- Fashion-MNIST subset, so the whole notebook runs in seconds.

-- %% [markdown]
-- ## 1. The search space
--
-- A space lists hyperparameters, each with a key, a type and a range. `FLOAT_EXP`
-- samples on a log scale (right for learning rates, which matter by orders of
-- magnitude), `FLOAT` uniformly, `CATEGORY` picks one of the listed values. Spaces can
-- also hold conditions ('momentum only for SGD') and forbidden combinations; see
-- [the config reference](../config.md#search_space).

-- %%
lyra.manual_seed(0)
local space = lyra.space{hyperparameters = {
  {key = 'lr', type = 'FLOAT_EXP', range = {0.001, 0.5}},
  {key = 'momentum', type = 'FLOAT', range = {0.0, 0.95}},
  {key = 'batch_size', type = 'CATEGORY', range = {32, 64, 128}},
  {key = 'hidden', type = 'CATEGORY', range = {16, 64, 256}},
}}
print(space)
print('three random configurations:')
for s = 1, 3 do print(lyra.pretty(space:sample(s))) end

-- %% [markdown]
-- ## 2. What ASHA does
--
-- *Successive halving* starts many configurations on a small budget (here: epochs),
-- keeps the best 1/η of them, gives those η times the budget, and repeats. The budgets
-- form **rungs**: with `min_budget = 1`, `max_budget = 9` and `eta = 3` the rungs are
-- 1, 3 and 9 epochs.
--
-- **ASHA** (asynchronous successive halving, Li et al., MLSys 2020) never waits for a
-- rung to fill. Whenever a worker is free, `alg:ask()` looks at the rungs from the top
-- down and **promotes** a configuration that is in the top ⌊n/η⌋ of the n results of
-- its rung and was not promoted yet; if there is none, it starts a new configuration
-- on rung 0. A promoted trial carries `resume_from`, the id of the trial whose model
-- it continues: a promotion from 1 to 3 epochs trains 2 more epochs, not 3 from
-- scratch. `max_trials` counts new configurations; promotions come on top.
--
-- The objective is the accuracy on 1,000 held-out *training* images (a validation
-- set; the test set stays untouched during a search). Each configuration trains on
-- 3,000 other training images.

-- %%
local data, nn = lyra.data, lyra.nn
local function range(from, to)
  local t = {}
  for i = from, to do t[#t + 1] = i end
  return t
end
local full = data.fashion_mnist{split = 'train'}
local train, valid = full:subset(range(1, 3000)), full:subset(range(3001, 4000))
local valid_loader = data.loader(valid, {batch_size = 500})

local function accuracy(model)
  model:eval()
  local correct = 0
  lyra.no_grad(function()
    for x, y in valid_loader:iter() do
      local _, p = model(x):max(2)
      correct = correct + p:eq(y):sum():item()
    end
  end)
  model:train()
  return correct / #valid
end

local runs = {}   -- trial id -> {model, optimiser, epochs trained}: what resume_from points at
local function train_to(trial)
  local c = trial.config
  local run
  if trial.resume_from then
    run = runs[trial.resume_from]            -- continue the model of the rung below
  else
    local model = nn.Sequential():add(nn.Flatten())
      :add(nn.Linear(784, c.hidden)):add(nn.ReLU()):add(nn.Linear(c.hidden, 10))
    run = {model = model, epochs = 0,
           opt = lyra.optim.SGD(model:parameters(), {lr = c.lr, momentum = c.momentum})}
  end
  local loader = data.loader(train, {batch_size = c.batch_size, shuffle = true, seed = trial.id})
  local crit = nn.CrossEntropyLoss()
  while run.epochs < trial.budget do
    for x, y in loader:iter() do
      local l = crit(run.model(x), y)
      run.opt:zero_grad(); l:backward(); run.opt:step()
    end
    run.epochs = run.epochs + 1
  end
  runs[trial.id] = run
  return accuracy(run.model)
end

-- %% tags=["hide"]
-- A helper for this page: a table with its columns in the given order (display() of a
-- list of records sorts the columns by name). A metatable field __repr_md makes any value
-- show as Markdown in a notebook.
function table_view(columns, rows)
  local lines = {'| ' .. table.concat(columns, ' | ') .. ' |', '|' .. string.rep(' --- |', #columns)}
  for _, r in ipairs(rows) do
    local cells = {}
    for j, c in ipairs(columns) do cells[j] = tostring(r[c] == nil and '' or r[c]) end
    lines[#lines + 1] = '| ' .. table.concat(cells, ' | ') .. ' |'
  end
  local text = table.concat(lines, '\n')
  return setmetatable({}, {__repr_md = function() return text end, __tostring = function() return text end})
end

-- %% [markdown]
-- ## 3. The ask/tell loop
--
-- `ask` hands out a trial `{id, config, budget, rung, resume_from, ...}`; we train it
-- and `tell` the result. The objective is named in `objectives`: `accuracy`, maximised.
-- A diverging configuration (a loss that turns into NaN) simply scores badly; a trial
-- that cannot run at all would be told `{status = 'failed'}`.

-- %%
local alg = lyra.search.asha{space = space, min_budget = 1, max_budget = 9, eta = 3,
                             max_trials = 18, objectives = {accuracy = 'max'}, seed = 0}
local rows, history = {}, {}
local t0 = lyra.clock()
while true do
  local trial = alg:ask()
  if not trial then break end
  local acc = train_to(trial)
  alg:tell(trial, {accuracy = acc})
  history[#history + 1] = {id = trial.id, budget = trial.budget, rung = trial.rung,
                           from = trial.resume_from, config = trial.config, accuracy = acc}
  rows[#rows + 1] = {trial = trial.id, rung = trial.rung, epochs = trial.budget,
                     resumes = trial.resume_from or '', lr = ('%.4f'):format(trial.config.lr),
                     momentum = ('%.2f'):format(trial.config.momentum),
                     batch = trial.config.batch_size, hidden = trial.config.hidden,
                     accuracy = ('%.3f'):format(acc)}
end
print(('%d trials in %.1f s; done: %s'):format(#history, lyra.clock() - t0, tostring(alg:done())))
display(table_view({'trial', 'rung', 'epochs', 'resumes', 'lr', 'momentum', 'batch', 'hidden', 'accuracy'}, rows))

-- %% [markdown]
-- Read the table from the top. The first configurations start on rung 0 (1 epoch).
-- As soon as rung 0 holds η = 3 results, the best of them is promoted to rung 1
-- (3 epochs, `resumes` names the trial it continues), and so on: promotions are
-- interleaved with new configurations instead of waiting for all 18 to finish their
-- first epoch. Only the best configurations ever reach 9 epochs.

-- %%
local per_rung = {}
for _, h in ipairs(history) do per_rung[h.rung] = (per_rung[h.rung] or 0) + 1 end
for rung, budget in ipairs{'1 epoch', '3 epochs', '9 epochs'} do
  print(('rung %d (%s): %d trials'):format(rung - 1, budget, per_rung[rung - 1] or 0))
end
local best = alg:best()
print(('best: trial %d after %g epochs, accuracy %.3f'):format(best.id, best.budget, best.metrics.accuracy))
print(lyra.pretty(best.config))
assert(best.budget == 9 and best.metrics.accuracy > 0.5, 'the best trial reached the top rung and learned')

-- %% [markdown]
-- ## 4. The trials in one picture
--
-- Each point is a trial: its budget (epochs) against its validation accuracy. Lines
-- join a configuration's successive rungs, so a line is one promoted configuration
-- getting more training. Most points stay at 1 epoch: that is where ASHA saves its
-- budget.

-- %%
local p = lyra.plot.new{title = 'ASHA: budget vs validation accuracy', xlabel = 'epochs (budget)',
                        ylabel = 'validation accuracy'}
local bx, by = {}, {}
for i, h in ipairs(history) do bx[i], by[i] = h.budget, h.accuracy end
p:scatter(bx, by, {label = 'trial'})
local byid = {}
for _, h in ipairs(history) do byid[h.id] = h end
local labelled = false
for _, h in ipairs(history) do
  if h.from then
    local prev = byid[h.from]
    p:line({prev.budget, h.budget}, {prev.accuracy, h.accuracy},
           {color = '#ff7f0e', label = (not labelled) and 'promotion' or nil})
    labelled = true
  end
end
p

-- %% [markdown]
-- ## 5. The same search as a pipeline
--
-- In practice you rarely write the loop yourself. A pipeline config in VEGA's schema
-- names the search algorithm (`AshaHpo`), the space (keys bind to the config:
-- `trainer.*` into the trainer section, `dataset.*` into the dataset, `network.*` into
-- the model description), the model, the data and the trainer; `lyra run cfg.yml` or
-- `lyra.pipeline.run` runs it. The trainer handles checkpoints, so a promoted trial
-- continues from its rung's checkpoint, and every trial is stored in an SQLite file:
-- an interrupted search resumes with `--resume`.
--
-- Here the same kind of search, tiny: 9 configurations on rungs of 1 and 3 epochs on
-- 2,000 images, then a `fully_train` step that trains the best configuration on
-- 4,000 images. The task folder goes under the system's temporary folder
-- (`$TMPDIR/lyra-tutorial-02`, by default `/tmp/lyra-tutorial-02`); delete it when you are
-- done, it keeps every trial's checkpoint.

-- %%
local base = (os.getenv('TMPDIR') or '/tmp') .. '/lyra-tutorial-02'
local summary = lyra.pipeline.run({
  general = {seed = 0, task = {local_base_path = base}},
  pipeline = {'hpo', 'fully_train'},
  hpo = {
    pipe_step = {type = 'SearchPipeStep'},
    dataset = {type = 'FashionMnist', common = {batch_size = 64},
               train = {max_samples = 2000}, test = {max_samples = 500}},
    search_algorithm = {type = 'AshaHpo', objective_keys = 'accuracy',
                        policy = {min_epochs = 1, max_epochs = 3, eta = 3, num_samples = 9}},
    search_space = {hyperparameters = {
      {key = 'trainer.optimizer.params.lr', type = 'FLOAT_EXP', range = {0.001, 0.5}},
      {key = 'trainer.optimizer.params.momentum', type = 'FLOAT', range = {0.0, 0.95}},
      {key = 'dataset.batch_size', type = 'CATEGORY', range = {32, 64, 128}},
    }},
    model = {model_desc = {modules = {'backbone'}, backbone = {type = 'MLP', hidden = {64}}}},
    trainer = {type = 'Trainer', epochs = 3,
               optimizer = {type = 'SGD', params = {lr = 0.05, momentum = 0.9}},
               lr_scheduler = {type = 'CosineAnnealingLR', params = {T_max = 3}},
               loss = {type = 'CrossEntropyLoss'}, metric = {type = 'accuracy'}},
  },
  fully_train = {
    pipe_step = {type = 'TrainPipeStep', models_folder = '{local_base_path}/output/hpo/'},
    dataset = {type = 'FashionMnist', common = {batch_size = 64},
               train = {max_samples = 4000}, test = {max_samples = 1000}},
    trainer = {ref = 'hpo.trainer', epochs = 3},
  },
}, {quiet = true})
print('task ' .. summary.task .. ' in ' .. summary.root)
for _, s in ipairs(summary.steps) do print(s.name, s.status, s.models .. ' model(s)') end
for _, s in ipairs(summary.steps) do
  local b = summary.best[s.name]
  print(('best of %s: model %d, accuracy %.3f'):format(s.name, b.id, b.performance.accuracy))
end

-- %% [markdown]
-- ## 6. Where the outputs go
--
-- Everything of a task is in its folder (`general.task.local_base_path`, by default
-- `./tasks`, then the task id), in VEGA's layout:
--
-- | path | what |
-- | --- | --- |
-- | `output/reports.json` | every trial of every step, with `_steps_` |
-- | `output/<step>/` | the chosen models: `desc_<id>.json`, `hps_<id>.json`, `performance_<id>.json`, `model_<id>.safetensors`, `output.csv` |
-- | `output/report.html`, `report.md` | the report with plots (learning curves, best so far, the best trials) |
-- | `workers/<step>/<id>/` | each trial's own files and checkpoint |
-- | `trials.db` | the trial store (SQLite): what `--resume` continues from |
-- | `logs/pipeline.log` | the log |
--
-- `lyra status` prints a task's summary; from Lua it is `lyra.pipeline.status`:

-- %%
print(lyra.pipeline.status(summary.root))
local function list(dir)
  local names = {}
  local p = io.popen('ls "' .. dir .. '"')
  for f in p:lines() do names[#names + 1] = f end
  p:close()
  return table.concat(names, '  ')
end
print('output/:        ' .. list(summary.root .. '/output'))
print('output/hpo/:    ' .. list(summary.root .. '/output/hpo'))
print('output/fully_train/: ' .. list(summary.root .. '/output/fully_train'))

-- %% [markdown]
-- The chosen configuration's hyperparameters (`hps_<id>.json`) are what `fully_train`
-- merged over its own trainer and dataset sections. Its trained model is
-- `model_<id>.safetensors` (the weights) with `desc_<id>.json` (the architecture):
-- `lyra export <folder>/model_<id>.safetensors -o model.onnx` turns it into ONNX, and in
-- Lua the same description built with `lyra.nn.build` takes the weights with
-- `m:load_weights`. Evaluated on the same 1,000 test images, it scores what the step
-- reported:

-- %%
local id = summary.best.fully_train.id
local m = lyra.nn.build({modules = {'backbone'}, backbone = {type = 'MLP', hidden = {64}}}, {1, 28, 28})
m:load_weights(summary.root .. '/output/fully_train/model_' .. id .. '.safetensors')
m:eval()
local test_ds = data.fashion_mnist{split = 'test'}:subset(range(1, 1000))
local correct = 0
lyra.no_grad(function()
  for x, y in data.loader(test_ds, {batch_size = 500}):iter() do
    local _, p = m(x):max(2)
    correct = correct + p:eq(y):sum():item()
  end
end)
print(('reloaded model %d: test accuracy %.3f (reported %.3f)'):format(id, correct / #test_ds,
  summary.best.fully_train.performance.accuracy))
assert(correct / #test_ds > 0.7, 'the reloaded model is the trained one')

-- %% [markdown]
-- ## What you learned
--
-- - A search space is a list of typed hyperparameters; `space:sample()` draws from it.
-- - ASHA spends most trials on small budgets and promotes the top 1/η of each rung
--   without waiting; a promoted trial resumes the model of its rung (`resume_from`).
-- - Any algorithm of `lyra.search` (random, grid, tpe, hyperband, bohb, boss, pbt,
--   evolution, pareto) has the same `ask`/`tell` interface; see
--   [the algorithm pages](../algorithms/README.md).
-- - `lyra.pipeline.run` (or `lyra run cfg.yml`) runs the search with checkpoints, a
--   resumable trial store, workers and a report; `docs/examples/quickstart.yml` is the
--   full-size version of this search on the CNN.
--
-- [Tutorial 3](03_custom_nas_loop.md) searches architectures instead of
-- hyperparameters, with two objectives.
