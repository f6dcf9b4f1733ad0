-- lyra.optim functional forms, as Torch7's optim package: optim.sgd(feval, x, config,
-- state) and optim.adam(...). Written in Lua on top of tensor ops because each step is a
-- handful of whole-tensor operations; the object optimisers (lyra.optim.SGD, ...) are
-- native. feval(x) returns f, df/dx; `state` is reused between calls (it defaults to
-- `config`, as in Torch7, so the step count and buffers persist in it).
local lyra = lyra
local optim = lyra.optim

-- Fails on a config key nobody reads, naming the valid ones (a typo is never a silent default).
local function check_config(fname, config, state, valid, state_keys)
  for k in pairs(config) do
    local ok = valid[k] or (state == config and state_keys[k])
    if not ok then
      local names = {}
      for n in pairs(valid) do names[#names + 1] = n end
      table.sort(names)
      error(string.format("lyra.optim.%s: unknown config key '%s'; valid keys: %s", fname, tostring(k),
        table.concat(names, ', ')), 3)
    end
  end
end

local function set(list)
  local s = {}
  for _, k in ipairs(list) do s[k] = true end
  return s
end

-- Calls feval and checks what it returned, so a wrong feval fails with a clear message.
local function evaluate(fname, feval, x)
  if type(feval) ~= 'function' then error("bad argument #1 to 'lyra.optim." .. fname .. "' (function expected, got " .. type(feval) .. ")", 3) end
  if not lyra.is_tensor(x) then error("bad argument #2 to 'lyra.optim." .. fname .. "' (lyra.Tensor expected, got " .. type(x) .. ")", 3) end
  local fx, dfdx = feval(x)
  if not lyra.is_tensor(dfdx) then error('lyra.optim.' .. fname .. ': feval(x) must return f, df/dx (a lyra.Tensor)', 3) end
  if type(fx) ~= 'number' then
    if lyra.is_tensor(fx) then fx = fx:item() else error('lyra.optim.' .. fname .. ': feval(x) must return a number first', 3) end
  end
  return fx, dfdx:detach():float()
end

local sgd_keys = set { 'learningRate', 'learningRateDecay', 'weightDecay', 'momentum', 'dampening', 'nesterov' }
local sgd_state = set { 'evalCounter', 'dfdx' }

function optim.sgd(feval, x, config, state)
  config = config or {}
  state = state or config
  check_config('sgd', config, state, sgd_keys, sgd_state)
  local lr = config.learningRate or 1e-3
  local lrd = config.learningRateDecay or 0
  local wd = config.weightDecay or 0
  local mom = config.momentum or 0
  local damp = config.dampening or mom
  local nesterov = config.nesterov or false
  state.evalCounter = state.evalCounter or 0
  if nesterov and (mom <= 0 or damp ~= 0) then
    error('lyra.optim.sgd: Nesterov momentum requires a momentum and zero dampening', 2)
  end
  local fx, dfdx = evaluate('sgd', feval, x)
  lyra.no_grad(function()
    if wd ~= 0 then dfdx = dfdx + x * wd end
    if mom ~= 0 then
      if not state.dfdx then
        state.dfdx = dfdx:clone()
      else
        state.dfdx:mul_(mom):add_(dfdx * (1 - damp))
      end
      if nesterov then dfdx = dfdx + state.dfdx * mom else dfdx = state.dfdx end
    end
    local clr = lr / (1 + state.evalCounter * lrd)
    x:add_(dfdx * -clr)
  end)
  state.evalCounter = state.evalCounter + 1
  return x, { fx }
end

local adam_keys = set { 'learningRate', 'learningRateDecay', 'beta1', 'beta2', 'epsilon', 'weightDecay' }
local adam_state = set { 't', 'm', 'v', 'denom' }

function optim.adam(feval, x, config, state)
  config = config or {}
  state = state or config
  check_config('adam', config, state, adam_keys, adam_state)
  local lr = config.learningRate or 0.001
  local lrd = config.learningRateDecay or 0
  local beta1 = config.beta1 or 0.9
  local beta2 = config.beta2 or 0.999
  local eps = config.epsilon or 1e-8
  local wd = config.weightDecay or 0
  local fx, dfdx = evaluate('adam', feval, x)
  lyra.no_grad(function()
    if wd ~= 0 then dfdx = dfdx + x * wd end
    state.t = state.t or 0
    state.m = state.m or lyra.zeros(x:size())
    state.v = state.v or lyra.zeros(x:size())
    local clr = lr / (1 + state.t * lrd)
    state.t = state.t + 1
    state.m:mul_(beta1):add_(dfdx * (1 - beta1))
    state.v:mul_(beta2):add_(dfdx:square() * (1 - beta2))
    state.denom = state.v:sqrt():add_(eps)
    local bc1 = 1 - beta1 ^ state.t
    local bc2 = 1 - beta2 ^ state.t
    local step = clr * math.sqrt(bc2) / bc1
    x:add_(state.m:div(state.denom) * -step)
  end)
  return x, { fx }
end

lyra.setdoc(optim.sgd, 'lyra.optim.sgd', [[
lyra.optim.sgd(feval, x, config, state) -> x, {f}
Torch7's optim.sgd: one step of SGD on the tensor x in place. feval(x) returns f and
df/dx. config: learningRate (1e-3), learningRateDecay (0), weightDecay (0), momentum (0),
dampening (= momentum, as Torch7), nesterov (false). `state` (default: config) keeps the
step count and momentum buffer between calls.
Example:
  local config, state = {learningRate = 0.1, momentum = 0.9}, {}
  for i = 1, 100 do lyra.optim.sgd(feval, x, config, state) end]])
lyra.setdoc(optim.adam, 'lyra.optim.adam', [[
lyra.optim.adam(feval, x, config, state) -> x, {f}
Torch7's optim.adam (Kingma & Ba): one step on the tensor x in place. config:
learningRate (1e-3), learningRateDecay (0), beta1 (0.9), beta2 (0.999), epsilon (1e-8),
weightDecay (0). `state` (default: config) keeps t, m, v between calls.]])
lyra.setdoc(optim, 'lyra.optim', [[
lyra.optim: optimisers.
  SGD, Adam, AdamW             objects over model:parameters(): opt:zero_grad(), opt:step(), opt.lr
  sgd, adam                    Torch7 functional form (feval, x, config, state)
  lr_scheduler.*               StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, WarmupLR
  clip_grad_norm, clip_grad_value]])

return optim
