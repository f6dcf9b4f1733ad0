-- lyra.optim: optimiser objects, schedulers, clipping and the Torch7 functional forms.
local T = require 'lyra.test'

local function values(t) return t:float():totable() end

-- Minimises sum(a * (w - c)^2) with `opt` and returns the final w.
local function minimise(make, steps)
  local c = lyra.tensor { 3, -2, 0.5 }
  local a = lyra.tensor { 1, 4, 0.5 }
  local w = lyra.zeros(3):requires_grad_()
  local opt = make({ w })
  for _ = 1, steps do
    opt:zero_grad();
    local loss = a:mul((w - c):square()):sum()
    loss:backward()
    opt:step()
  end
  return values(w), values(c)
end

local function near_list(got, want, tol, what)
  for i = 1, #want do T.near(got[i], want[i], tol, what .. ' [' .. i .. ']') end
end

T.case('optim: SGD with momentum, Adam and AdamW reach the quadratic minimum', function()
  local w, c = minimise(function(p) return lyra.optim.SGD(p, { lr = 0.05, momentum = 0.9 }) end, 300)
  near_list(w, c, 1e-3, 'SGD')
  w, c = minimise(function(p) return lyra.optim.SGD(p, { lr = 0.05, momentum = 0.9, nesterov = true }) end, 300)
  near_list(w, c, 1e-3, 'SGD nesterov')
  w, c = minimise(function(p) return lyra.optim.Adam(p, { lr = 0.1 }) end, 600)
  near_list(w, c, 1e-2, 'Adam')
  w, c = minimise(function(p) return lyra.optim.AdamW(p, { lr = 0.1, weight_decay = 0 }) end, 600)
  near_list(w, c, 1e-2, 'AdamW')
end)

T.case('optim: SGD steps equal the hand-computed update', function()
  local w = lyra.tensor { 1, 2 }:requires_grad_()
  local opt = lyra.optim.SGD({ w }, { lr = 0.1, momentum = 0.9 })
  w:mul(w):sum():backward()            -- grad 2w = {2, 4}
  opt:step()
  near_list(values(w), { 0.8, 1.6 }, 1e-6, 'step 1')
  opt:zero_grad()
  w:mul(w):sum():backward()            -- grad {1.6, 3.2}; buffer 0.9 * {2, 4} + grad
  opt:step()
  near_list(values(w), { 0.8 - 0.1 * 3.4, 1.6 - 0.1 * 6.8 }, 1e-6, 'step 2')
end)

T.case('optim: AdamW decays weights by lr * weight_decay apart from the gradient', function()
  local w = lyra.tensor { 1, -2 }:requires_grad_()
  local opt = lyra.optim.AdamW({ w }, { lr = 0.1, weight_decay = 0.5 })
  w.grad = lyra.zeros(2)
  opt:step()
  near_list(values(w), { 0.95, -1.9 }, 1e-6, 'decayed')
end)

T.case('optim: lr is a property; hyper-parameters and tostring', function()
  local w = lyra.zeros(2):requires_grad_()
  local opt = lyra.optim.SGD({ w }, { lr = 0.1, momentum = 0.5 })
  T.eq(opt.lr, 0.1)
  opt.lr = 0.25
  T.eq(opt.lr, 0.25)
  T.eq(opt.momentum, 0.5)
  T.eq(opt.name, 'SGD')
  T.eq(opt:hyperparameters().lr, 0.25)
  T.ok(tostring(opt):find('lyra.optim.SGD (1 parameters)', 1, true), tostring(opt))
  T.raises('lr must be a finite number >= 0', function() opt.lr = -1 end)
  T.raises('only lr', function() opt.momentum = 1 end)
  T.eq(#opt:parameters(), 1)
end)

T.case('optim: state_dict round trip gives identical next steps', function()
  local function grad_step(w, opt)
    opt:zero_grad();
    (w - 1):square():sum():backward()
    opt:step()
  end
  local w = lyra.tensor { 0.5, -1, 2 }:requires_grad_()
  local opt = lyra.optim.Adam({ w }, { lr = 0.05 })
  for _ = 1, 3 do grad_step(w, opt) end
  local sd = opt:state_dict()
  T.eq(sd.optimizer, 'Adam')
  T.eq(sd.state[1].step, 3)
  T.eq(sd.state[1].exp_avg:size(), { 3 })
  local w2 = w:detach():clone():requires_grad_()
  local opt2 = lyra.optim.Adam({ w2 }, { lr = 0.9 })
  opt2:load_state_dict(sd)
  T.eq(opt2.lr, 0.05)
  grad_step(w, opt)
  grad_step(w2, opt2)
  T.eq(values(w2), values(w))
  T.raises('cannot load Adam state into SGD', function()
    lyra.optim.SGD({ lyra.zeros(3):requires_grad_() }):load_state_dict(sd)
  end)
  T.raises('has 3 values, parameter 0 has 2', function()
    lyra.optim.Adam({ lyra.zeros(2):requires_grad_() }):load_state_dict(sd)
  end)
end)

T.case('optim: step(closure) returns the loss', function()
  local w = lyra.tensor { 2 }:requires_grad_()
  local opt = lyra.optim.SGD({ w }, { lr = 0.25 })
  local loss = opt:step(function()
    opt:zero_grad();
    local l = w:square():sum()
    l:backward()
    return l:item()
  end)
  T.eq(loss, 4)
  T.near(values(w)[1], 1, 1e-6)
  T.raises('boom', function() opt:step(function() error('boom') end) end)
end)

T.case('optim: bad arguments are errors naming the function', function()
  T.raises("bad argument #1 to 'lyra.optim.SGD' (table of lyra.Tensor expected, got string)", lyra.optim.SGD, 'x')
  T.raises("lyra.optim.SGD: unknown option 'lrate' for SGD; valid options: dampening, lr, momentum, nesterov, weight_decay",
    lyra.optim.SGD, { lyra.zeros(1) }, { lrate = 1 })
  T.raises('lyra.optim.Adam: invalid beta parameter at index 0: 1.5', lyra.optim.Adam, { lyra.zeros(1) }, { betas = { 1.5, 0.9 } })
  T.raises('empty parameter list', lyra.optim.AdamW, {})
  local p = lyra.zeros(2)
  T.raises('parameter 2 appears more than once', lyra.optim.SGD, { p, p })
  T.raises('parameter 1 is computed', lyra.optim.SGD, { lyra.zeros(2):requires_grad_() * 2 })
  T.raises('parameter 2 is a number', lyra.optim.SGD, { p, 3 })
  T.raises('nesterov momentum requires', lyra.optim.SGD, { p }, { nesterov = true })
end)

T.case('lr_scheduler: closed-form rates', function()
  local opt = lyra.optim.SGD({ lyra.zeros(1) }, { lr = 0.1 })
  local s = lyra.optim.lr_scheduler.StepLR(opt, { step_size = 2, gamma = 0.5 })
  local want = { 0.1, 0.1, 0.05, 0.05, 0.025, 0.025 }
  for e = 1, #want do
    T.near(s:get_lr(), want[e], 1e-12, 'StepLR epoch ' .. (e - 1))
    T.near(opt.lr, want[e], 1e-12)
    s:step()
  end
  T.eq(s:last_epoch(), 6)

  opt.lr = 0.1
  s = lyra.optim.lr_scheduler.MultiStepLR(opt, { milestones = { 2, 5 }, gamma = 0.1 })
  for e = 0, 6 do
    local k = (e >= 2 and 1 or 0) + (e >= 5 and 1 or 0)
    T.near(s:get_lr(), 0.1 * 0.1 ^ k, 1e-12, 'MultiStepLR ' .. e)
    s:step()
  end

  opt.lr = 0.1
  s = lyra.optim.lr_scheduler.ExponentialLR(opt, { gamma = 0.9 })
  for e = 0, 4 do T.near(s:get_lr(), 0.1 * 0.9 ^ e, 1e-12); s:step() end

  opt.lr = 0.1
  s = lyra.optim.lr_scheduler.CosineAnnealingLR(opt, { T_max = 10, eta_min = 0.01 })
  for e = 0, 12 do
    local t = math.min(e, 10)
    T.near(s:get_lr(), 0.01 + 0.09 * (1 + math.cos(math.pi * t / 10)) / 2, 1e-12, 'cosine ' .. e)
    s:step()
  end

  opt.lr = 0.1
  local after = lyra.optim.lr_scheduler.StepLR(opt, { step_size = 1, gamma = 0.5 })
  s = lyra.optim.lr_scheduler.WarmupLR(opt, { warmup_steps = 4, after = after })
  local rates = {}
  for e = 1, 7 do rates[e] = s:get_lr(); s:step() end
  near_list(rates, { 0, 0.025, 0.05, 0.075, 0.1, 0.05, 0.025 }, 1e-12, 'warm-up')

  local sd = s:state_dict()
  T.eq(sd.last_epoch, 7)
  s:load_state_dict({ last_epoch = 2 })
  T.near(opt.lr, 0.05, 1e-12)
end)

T.case('lr_scheduler: option errors', function()
  local opt = lyra.optim.SGD({ lyra.zeros(1) }, { lr = 0.1 })
  T.raises("unknown option 'step_sz' (did you mean 'step_size'?)", lyra.optim.lr_scheduler.StepLR, opt, { step_sz = 2 })
  T.raises('lyra.optim.lr_scheduler.StepLR: step_size must be a positive integer', lyra.optim.lr_scheduler.StepLR, opt, { step_size = 0 })
  T.raises('lyra.optim.lr_scheduler.CosineAnnealingLR: T_max must be a positive integer', lyra.optim.lr_scheduler.CosineAnnealingLR, opt, {})
  T.raises("bad argument #1 to 'lyra.optim.lr_scheduler.ExponentialLR' (lyra.optim.Optimizer expected", lyra.optim.lr_scheduler.ExponentialLR, {}, { gamma = 1 })
end)

T.case('optim: clip_grad_norm rescales to the maximum norm', function()
  local a, b = lyra.zeros(2), lyra.zeros(1)
  a.grad = lyra.tensor { 3, 0 }
  b.grad = lyra.tensor { 4 }
  local n = lyra.optim.clip_grad_norm({ a, b }, 1)
  T.near(n, 5, 1e-9)
  near_list(values(a.grad), { 0.6, 0 }, 1e-5, 'a')
  near_list(values(b.grad), { 0.8 }, 1e-5, 'b')
  T.near(lyra.optim.clip_grad_norm({ a, b }, 10, math.huge), 0.8, 1e-6)
  lyra.optim.clip_grad_value({ a }, 0.5)
  near_list(values(a.grad), { 0.5, 0 }, 1e-6, 'clipped')
  T.raises('norm_type must be positive', lyra.optim.clip_grad_norm, { a }, 1, 0)
end)

T.case('optim.sgd (functional) converges on a quadratic; optim.adam on Rosenbrock', function()
  local c = lyra.tensor { 1, -3 }
  local function feval(x)
    local d = x - c
    return d:square():sum():item(), d * 2
  end
  local x = lyra.zeros(2)
  local config, state = { learningRate = 0.1, momentum = 0.5, dampening = 0 }, {}
  local fs
  for _ = 1, 100 do _, fs = lyra.optim.sgd(feval, x, config, state) end
  near_list(values(x), { 1, -3 }, 1e-4, 'sgd')
  T.ok(fs[1] < 1e-6, 'f ' .. fs[1])
  T.eq(state.evalCounter, 100)

  -- one plain step by hand: x - lr * grad
  local y = lyra.tensor { 2, 2 }
  lyra.optim.sgd(feval, y, { learningRate = 0.25 })
  near_list(values(y), { 2 - 0.25 * 2, 2 - 0.25 * 10 }, 1e-6, 'one step')

  local function rosenbrock(x)
    local a, b = x[1], x[2]
    local f = (1 - a) ^ 2 + 100 * (b - a * a) ^ 2
    return f, lyra.tensor { -2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a) }
  end
  local r = lyra.tensor { -1, 1 }
  local cfg = { learningRate = 0.02 }
  for _ = 1, 6000 do lyra.optim.adam(rosenbrock, r, cfg) end
  near_list(values(r), { 1, 1 }, 2e-2, 'adam rosenbrock')
  T.ok(cfg.t == 6000, 'state defaults to config')

  T.raises("lyra.optim.sgd: unknown config key 'learning_rate'; valid keys: dampening, learningRate", function()
    lyra.optim.sgd(feval, x, { learning_rate = 1 }, {})
  end)
  T.raises("bad argument #1 to 'lyra.optim.adam' (function expected, got nil)", function() lyra.optim.adam(nil, x) end)
  T.raises('lyra.optim.sgd: feval(x) must return f, df/dx', function() lyra.optim.sgd(function() return 1 end, x) end)
end)
