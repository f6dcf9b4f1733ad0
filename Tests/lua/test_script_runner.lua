-- The ScriptRunner trainer: each trial runs a Lua training script with the trial's
-- hyper-parameters; what it returns or reports is the trial's result; a Lua error fails
-- only that trial (with its message recorded); a Python script is refused up front.
local T = require 'lyra.test'

local function write(path, text)
  local f = assert(io.open(path, 'w'))
  f:write(text)
  f:close()
end

local function read(path)
  local f = io.open(path)
  if not f then return nil end
  local s = f:read('a')
  f:close()
  return s
end

local function config(base, script, lrs)
  return {
    general = {seed = 1, task = {local_base_path = base}},
    pipeline = {'hpo'},
    hpo = {
      pipe_step = {type = 'SearchPipeStep'},
      search_algorithm = {type = 'GridSearch'},
      search_space = {hyperparameters = {{key = 'trainer.optimizer.params.lr', type = 'CATEGORY', range = lrs}}},
      trainer = {type = 'ScriptRunner', script = script, epochs = 2, params = {tag = 'x'}},
    },
  }
end

T.case('ScriptRunner: the script gets the hyper-parameters, its metrics rank the trials, a Lua error fails one trial', function()
  local base = os.tmpname()
  os.remove(base)
  local script = base .. '-train.lua'
  -- accuracy = the learning rate it was given (a planted answer: the best is the largest lr);
  -- lr 0.2 raises, lr 0.3 reports through trial.update in VEGA's form.
  write(script, [[
    local trial = ...
    local lr = trial.hps.trainer.optimizer.params.lr
    assert(trial.epochs == 2 and trial.params.tag == 'x' and type(trial.worker_id) == 'number')
    if lr == 0.2 then error('boom at lr ' .. lr) end
    if lr == 0.3 then trial.update{performance = {accuracy = lr}}; return end
    return {accuracy = lr, loss = 1 - lr}
  ]])
  local s = lyra.pipeline.run(config(base, script, {0.1, 0.2, 0.3}), {quiet = true})
  T.eq(s.steps[1].status, 'finished')
  T.eq(s.best.hpo.performance.accuracy, 0.3)
  -- The failed trial's record keeps the script's message with its file and line.
  local reports = lyra.json.decode(read(s.root .. '/output/reports.json'))
  local found = false
  for _, r in ipairs(reports.hpo) do
    if r.status == 'failed' then
      found = true
      T.eq(r.hps.trainer.optimizer.params.lr, 0.2)
      T.ok((r.message or ''):find('-train.lua:4: boom at lr 0.2', 1, true), r.message)
    end
  end
  T.ok(found, 'the Lua error is recorded')
  os.execute('rm -rf "' .. base .. '" "' .. script .. '"')
end)

T.case('ScriptRunner: no result fails the trial with the reason; a Python script is refused in one line', function()
  local base = os.tmpname()
  os.remove(base)
  local script = base .. '-quiet.lua'
  write(script, 'local trial = ...\nprint("trained, but said nothing")\n')
  T.raises('reported no metrics', lyra.pipeline.run, config(base, script, {0.1}), {quiet = true})
  T.raises("Lyra runs Lua scripts, not Python ('/my_code/train.py')", lyra.pipeline.run, config(base, '/my_code/train.py', {0.1}), {quiet = true})
  T.raises("hpo.trainer.script: '/nonexistent/train.lua' does not exist", lyra.pipeline.run, config(base, '/nonexistent/train.lua', {0.1}), {quiet = true})
  os.execute('rm -rf "' .. base .. '" "' .. script .. '"')
end)
