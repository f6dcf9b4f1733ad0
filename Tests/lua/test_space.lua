-- lyra.space from Lua: VEGA's list form, the compact form, codecs, conditions, errors.
local T = require 'lyra.test'

local asha_space = {
  hyperparameters = {
    {key = 'dataset.batch_size', type = 'CATEGORY', range = {8, 16, 32, 64, 128, 256}},
    {key = 'trainer.optimizer.params.lr', type = 'FLOAT_EXP', range = {0.00001, 0.1}},
    {key = 'trainer.optimizer.type', type = 'CATEGORY', range = {'Adam', 'SGD'}},
    {key = 'trainer.optimizer.params.momentum', type = 'FLOAT', range = {0.0, 0.99}},
  },
  condition = {{key = 'c1', child = 'trainer.optimizer.params.momentum', parent = 'trainer.optimizer.type', type = 'EQUAL', range = {'SGD'}}},
}

T.case('VEGA list form: sampling respects conditions, decode(encode(c)) == c', function()
  local s = lyra.space(asha_space)
  T.eq(s:dimension(), 4)
  local with, without = 0, 0
  for seed = 1, 200 do
    local c = s:sample(seed)
    local lr = c['trainer.optimizer.params.lr']
    T.ok(lr >= 1e-5 and lr <= 0.1)
    if c['trainer.optimizer.type'] == 'SGD' then
      with = with + 1
      T.ok(c['trainer.optimizer.params.momentum'] ~= nil, 'momentum active under SGD')
    else
      without = without + 1
      T.eq(c['trainer.optimizer.params.momentum'], nil)
    end
    local back = s:decode(s:encode(c))
    for k, v in pairs(c) do
      if type(v) == 'number' and math.type(v) == 'float' then T.near(back[k], v, 1e-9, k) else T.eq(back[k], v, k) end
    end
  end
  T.ok(with > 50 and without > 50)
  T.eq(s:sample(7), s:sample(7))
end)

T.case('compact form, grid, validate, mutate', function()
  local s = lyra.space{x = {type = 'FLOAT', range = {-5, 10}}, n = {type = 'INT', range = {1, 3}}, opt = {type = 'CATEGORY', range = {'a', 'b'}}}
  T.eq(s:keys(), {'n', 'opt', 'x'})
  T.eq(#s:grid(3), 3 * 2 * 3)
  local ok, msg = s:validate{x = 20, n = 1, opt = 'a'}
  T.ok(not ok and msg:find('x'), msg)
  local c = {x = 0.5, n = 2, opt = 'a'}
  local m = s:mutate(c, 1)
  local changed = 0
  for k, v in pairs(c) do if m[k] ~= v then changed = changed + 1 end end
  T.eq(changed, 1)
end)

T.case('forbidden clauses are never sampled', function()
  local s = lyra.space{
    hyperparameters = {{key = 'a', type = 'CATEGORY', range = {1, 2}}, {key = 'b', type = 'CATEGORY', range = {'x', 'y'}}},
    forbidden = {{a = 1, b = 'x'}},
  }
  for seed = 1, 300 do
    local c = s:sample(seed)
    T.ok(not (c.a == 1 and c.b == 'x'))
  end
end)

T.case('bad spaces name the key', function()
  T.raises("unknown type 'FLOTE' (did you mean 'FLOAT'?)", lyra.space, {x = {type = 'FLOTE', range = {0, 1}}})
  T.raises('x', lyra.space, {x = {type = 'FLOAT', range = {1, 0}}})
  T.raises('is not a hyperparameter of the space', lyra.space, {hyperparameters = {{key = 'a', type = 'FLOAT', range = {0, 1}}},
    condition = {{key = 'c', child = 'a', parent = 'zz', type = 'EQUAL', range = {1}}}})
  T.raises('lyra.space.from_json', lyra.space.from_json, '{not json')
end)

T.case('spaces from YAML text; malformed YAML names the line', function()
  local s = lyra.space.from_yaml([[
search_space:
  hyperparameters:
    - {key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.00001, 0.1]}
    - {key: trainer.optimizer.type, type: CATEGORY, range: [Adam, SGD]}
]])
  T.eq(s:keys(), {'trainer.optimizer.params.lr', 'trainer.optimizer.type'})
  T.raises('(yaml):3', lyra.space.from_yaml, 'hyperparameters:\n  - {key: a, type: FLOAT\n  - x: [1, 2\n')
end)
