-- lyra.pipeline.run from Lua: a tiny VEGA-style pipeline end to end, and config errors.
local T = require 'lyra.test'

local function tiny(base)
  return {
    general = {seed = 3, task = {local_base_path = base}},
    pipeline = {'hpo', 'fully_train'},
    hpo = {
      pipe_step = {type = 'SearchPipeStep'},
      dataset = {type = 'FashionMnist', common = {batch_size = 64}, train = {max_samples = 512}, test = {max_samples = 256}},
      search_algorithm = {type = 'RandomSearch', objective_keys = 'accuracy', policy = {num_sample = 3}},
      search_space = {hyperparameters = {{key = 'trainer.optimizer.params.lr', type = 'FLOAT_EXP', range = {0.01, 0.2}}}},
      model = {model_desc = {modules = {'backbone'}, backbone = {type = 'MLP', hidden = {32}}}},
      trainer = {type = 'Trainer', epochs = 1, optimizer = {type = 'SGD', params = {lr = 0.05, momentum = 0.9}}},
    },
    fully_train = {
      pipe_step = {type = 'TrainPipeStep'},
      dataset = {ref = 'hpo.dataset'},
      trainer = {ref = 'hpo.trainer', epochs = 1},
    },
  }
end

T.case('a two-step pipeline from a Lua table writes VEGA outputs and a report', function()
  local base = os.tmpname()
  os.remove(base)
  local s = lyra.pipeline.run(tiny(base), {quiet = true})
  T.ok(not s.interrupted)
  T.eq(#s.steps, 2)
  T.eq(s.steps[1].status, 'finished')
  T.eq(s.steps[1].models, 3)
  T.ok(s.best.fully_train.performance.accuracy > 0.3, 'accuracy ' .. s.best.fully_train.performance.accuracy)
  for _, f in ipairs({'output/reports.json', 'output/hpo/output.csv', 'output/fully_train/output.csv', 'logs/pipeline.log',
                      'output/report.html', 'output/report.md', 'trials.db'}) do
    local h = io.open(s.root .. '/' .. f)
    T.ok(h, f .. ' exists')
    if h then h:close() end
  end
  T.ok(lyra.pipeline.status(s.root):find('hpo: finished', 1, true))
  os.remove(s.root .. '/output/report.html')
  local html, md = lyra.pipeline.report(s.root)
  T.eq(html, s.root .. '/output/report.html')
  T.eq(md, s.root .. '/output/report.md')
  local h = io.open(html)
  T.ok(h and h:read('a'):find('data-section="curves"', 1, true), 'the report is written again')
  if h then h:close() end
  T.raises('no /nonexistent-task/output/reports.json', lyra.pipeline.report, '/nonexistent-task')
  os.execute('rm -rf "' .. base .. '"')
end)

T.case('resuming with a different config is refused unless force = true', function()
  local base = os.tmpname()
  os.remove(base)
  local cfg = tiny(base)
  cfg.pipeline = {'hpo'}
  cfg.fully_train = nil
  cfg.hpo.search_algorithm.policy = {num_sample = 1}
  cfg.hpo.dataset.train.max_samples = 128
  local s = lyra.pipeline.run(cfg, {quiet = true})
  T.eq(s.steps[1].status, 'finished')
  T.eq(#s.forced, 0)
  cfg.hpo.dataset.train.max_samples = 256
  T.raises('hpo.dataset.train.max_samples: 128 → 256', lyra.pipeline.run, cfg, {quiet = true, resume = s.task})
  T.raises('force = true', lyra.pipeline.run, cfg, {quiet = true, resume = s.task})
  T.raises("option 'force' must be a boolean", lyra.pipeline.run, cfg, {quiet = true, resume = s.task, force = 'yes'})
  local again = lyra.pipeline.run(cfg, {quiet = true, resume = s.task, force = true})
  T.eq(again.task, s.task)
  T.eq(#again.forced, 1)
  T.ok(again.forced[1]:find('max_samples: 128 → 256', 1, true), again.forced[1])
  -- The new config is now the recorded one: the same resume needs no force.
  T.eq(#lyra.pipeline.run(cfg, {quiet = true, resume = s.task}).forced, 0)
  os.execute('rm -rf "' .. base .. '"')
end)

T.case('config errors name the key', function()
  local cfg = tiny('/tmp/lyra-never')
  cfg.hpo.search_algorithm.policy = {num_samle = 3}
  T.raises("unknown policy key 'num_samle' for RandomSearch (did you mean 'num_sample'?)", lyra.pipeline.run, cfg, {quiet = true})
  cfg = tiny('/tmp/lyra-never')
  cfg.hpo.trainr = {}
  T.raises("hpo.trainr: unknown key 'trainr' (did you mean 'trainer'?)", lyra.pipeline.run, cfg, {quiet = true})
  T.raises('cannot read', lyra.pipeline.run, '/nonexistent.yml')
  os.execute('rm -rf /tmp/lyra-never')
end)

T.case('types registered from Lua are used by a Lua-table config in the same state', function()
  local seen = {}
  lyra.pipeline.register_dataset('LuaXor', function(params, split)
    local n = params.n
    local x, y = lyra.zeros(n, 2), {}
    for i = 1, n do
      local a, b = (i % 2), ((i // 2) % 2)
      x[i][1], x[i][2] = a, b
      y[i] = (a ~ b) + 1
    end
    return {x = x, y = y}
  end)
  lyra.pipeline.register_network('LuaMLP', function(p)
    return lyra.nn.Sequential(lyra.nn.Linear(2, p.hidden), lyra.nn.Tanh(), lyra.nn.Linear(p.hidden, 2))
  end)
  lyra.pipeline.register_callback('Seen', function()
    return {before_train = function(_, info) seen[#seen + 1] = info.trial end}
  end)
  local names = lyra.pipeline.registered()
  local function has(list, n) for _, v in ipairs(list) do if v == n then return true end end return false end
  T.ok(has(names.datasets, 'LuaXor') and has(names.networks, 'LuaMLP') and has(names.callbacks, 'Seen'))
  T.ok(has(names.datasets, 'FashionMnist') and has(names.metrics, 'accuracy'))
  local base = os.tmpname()
  os.remove(base)
  local s = lyra.pipeline.run({
    general = {seed = 1, task = {local_base_path = base}},
    pipeline = {'hpo'},
    hpo = {
      dataset = {type = 'LuaXor', common = {batch_size = 8, n = 64}},
      search_algorithm = {type = 'RandomSearch', objective_keys = 'accuracy', policy = {num_sample = 2}},
      search_space = {hyperparameters = {{key = 'network.backbone.hidden', type = 'CATEGORY', range = {8, 16}}}},
      model = {model_desc = {modules = {'backbone'}, backbone = {type = 'LuaMLP'}}},
      trainer = {epochs = 30, optimizer = {type = 'Adam', params = {lr = 0.05}}, metric = {type = 'accuracy', params = {topk = {1}}},
                 callbacks = {'Seen'}},
    },
  }, {quiet = true})
  T.eq(s.steps[1].status, 'finished')
  T.eq(#seen, 2)
  T.ok(s.best.hpo.performance.accuracy > 0.99, 'xor learnt: ' .. s.best.hpo.performance.accuracy)
  os.execute('rm -rf "' .. base .. '"')
end)

T.case('registering checks its arguments', function()
  T.raises('function expected', lyra.pipeline.register_metric, 'm')
  T.raises('string expected', lyra.pipeline.register_dataset, nil, function() end)
end)
