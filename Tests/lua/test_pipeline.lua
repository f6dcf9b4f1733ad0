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
