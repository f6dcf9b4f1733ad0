-- lyra.optim: RMSprop, Adagrad, Adadelta and the schedulers OneCycleLR,
-- CosineAnnealingWarmRestarts, LambdaLR and ReduceLROnPlateau.
local T = require 'lyra.test'
local optim, sched = lyra.optim, lyra.optim.lr_scheduler

-- Minimises sum(a * (w - c)^2) with `opt` and returns the largest distance to c.
local function distance_after(make, steps)
  local c, a = lyra.tensor { 3, -2, 0.5 }, lyra.tensor { 1, 4, 0.5 }
  local w = lyra.zeros(3):requires_grad_()
  local opt = make({ w })
  for _ = 1, steps do
    opt:zero_grad()
    a:mul((w - c):square()):sum():backward()
    opt:step()
  end
  return (w - c):abs():max():item()
end

T.case('optim more: RMSprop, Adagrad and Adadelta reach the quadratic minimum', function()
  T.near(distance_after(function(p) return optim.RMSprop(p, { lr = 0.01 }) end, 1500), 0, 2e-2, 'RMSprop')
  T.near(distance_after(function(p) return optim.RMSprop(p, { lr = 0.005, momentum = 0.9, centered = true }) end, 1500), 0, 2e-2, 'RMSprop centered')
  T.near(distance_after(function(p) return optim.Adagrad(p, { lr = 0.5 }) end, 1500), 0, 1e-3, 'Adagrad')
  T.near(distance_after(function(p) return optim.Adadelta(p, { lr = 1 }) end, 3000), 0, 2e-2, 'Adadelta')
end)

T.case('optim more: one RMSprop step equals the hand-computed update', function()
  local w = lyra.tensor { 1, -2 }:requires_grad_()
  local opt = optim.RMSprop({ w }, { lr = 0.1, alpha = 0.5 })
  w:mul(w):sum():backward()           -- grad 2w = {2, -4}; v = 0.5 g^2 = {2, 8}
  opt:step()                          -- w - 0.1 * g / (sqrt(v) + eps)
  T.near(w[1], 1 - 0.1 * 2 / math.sqrt(2), 1e-6)
  T.near(w[2], -2 + 0.1 * 4 / math.sqrt(8), 1e-6)
  T.raises("unknown option 'betas'", optim.RMSprop, { w }, { betas = { 0.9, 0.99 } })
  T.raises('rho', optim.Adadelta, { w }, { rho = 2 })
  T.raises('learning rate', optim.Adagrad, { w }, { lr = -1 })
end)

T.case('optim more: OneCycleLR, CosineAnnealingWarmRestarts and LambdaLR set the rates', function()
  local w = lyra.zeros(1):requires_grad_()
  local opt = optim.SGD({ w }, { lr = 0.5 })
  local s = sched.OneCycleLR(opt, { max_lr = 1, total_steps = 10, div_factor = 10, final_div_factor = 100 })
  local rates = { opt.lr }
  for _ = 1, 9 do s:step(); rates[#rates + 1] = s:get_lr() end
  T.near(rates[1], 0.1, 1e-12); T.near(rates[3], 1, 1e-12); T.near(rates[10], 0.001, 1e-12)
  T.raises('total_steps', sched.OneCycleLR, opt, { max_lr = 1 })
  T.raises("unknown option 'maxlr'", sched.OneCycleLR, opt, { maxlr = 1, total_steps = 5 })
  opt = optim.SGD({ w }, { lr = 1 })
  s = sched.CosineAnnealingWarmRestarts(opt, { T_0 = 2, T_mult = 2 })
  local seen = {}
  for i = 1, 7 do seen[i] = s:get_lr(); s:step() end
  -- periods of 2 and 4 steps: restarts (rate 1) at steps 0, 2 and 6
  T.near(seen[1], 1, 1e-12); T.near(seen[2], 0.5, 1e-12); T.near(seen[3], 1, 1e-12); T.near(seen[7], 1, 1e-12)
  T.near(seen[5], 0.5, 1e-12)
  T.raises('T_mult', sched.CosineAnnealingWarmRestarts, opt, { T_0 = 2, T_mult = 0 })
  opt = optim.SGD({ w }, { lr = 2 })
  local calls = {}
  s = sched.LambdaLR(opt, { lr_lambda = function(e) calls[#calls + 1] = e; return 0.5 ^ e end })
  T.near(opt.lr, 2, 0)
  s:step(); s:step()
  T.near(opt.lr, 0.5, 1e-12)
  T.eq(calls, { 0, 1, 2 })
  s:load_state_dict({ last_epoch = 5 })
  T.near(opt.lr, 2 * 0.5 ^ 5, 1e-12)
end)

T.case('optim more: a failing lr_lambda is an error of the call that ran it', function()
  local opt = optim.SGD({ lyra.zeros(1):requires_grad_() }, { lr = 1 })
  local s = sched.LambdaLR(opt, { lr_lambda = function(e) if e >= 2 then error('boom at ' .. e) end return 1 end })
  s:step()
  T.raises('boom at 2', s.step, s)
  T.eq(s:last_epoch(), 1, 'a failed step does not advance')
  T.near(opt.lr, 1, 0)
  T.raises('finite number', sched.LambdaLR, opt, { lr_lambda = function() return 0 / 0 end })
  T.raises('finite number', sched.LambdaLR, opt, { lr_lambda = function() return 'fast' end })
  T.raises("option 'lr_lambda' must be a function", sched.LambdaLR, opt, { lr_lambda = 0.5 })
  local l = sched.LambdaLR(opt, { lr_lambda = function() return 1 end })
  T.raises('LambdaLR cannot follow a warm-up', sched.WarmupLR, opt, { warmup_steps = 2, after = l })
end)

T.case('optim more: ReduceLROnPlateau lowers the rate when the metric stalls', function()
  local opt = optim.Adam({ lyra.zeros(1):requires_grad_() }, { lr = 0.1 })
  local s = sched.ReduceLROnPlateau(opt, { patience = 1, factor = 0.5 })
  for _, m in ipairs { 1.0, 0.8, 0.8, 0.8 } do s:step(m) end
  T.near(s:get_lr(), 0.05, 1e-12, 'halved after two steps without improvement')
  s:step(lyra.tensor(0.9))
  T.near(s:get_lr(), 0.05, 1e-12)
  s:step(lyra.tensor { 0.95 })
  T.near(s:get_lr(), 0.025, 1e-12, 'a one-element tensor is a metric too')
  local saved = s:state_dict()
  T.near(saved.best, 0.8, 1e-6); T.eq(saved.last_epoch, 6)
  local r = sched.ReduceLROnPlateau(opt, { patience = 1, factor = 0.5 }):load_state_dict(saved)
  T.eq(r:state_dict().last_epoch, 6)
  T.raises('metric must be a number', s.step, s, lyra.zeros(2))
  T.raises('number expected', s.step, s, 'low')
  T.raises("mode must be 'min' or 'max'", sched.ReduceLROnPlateau, opt, { mode = 'least' })
  T.raises("unknown option 'patient'", sched.ReduceLROnPlateau, opt, { patient = 3 })
  T.ok(tostring(s):find('ReduceLROnPlateau', 1, true))
end)

T.case('optim more: LBFGS fits a least-squares line with a closure', function()
  lyra.manual_seed(5)
  local x = lyra.randn(50, 1)
  local y = x * 3 - 2
  local w, b = lyra.zeros(1, 1):requires_grad_(), lyra.zeros(1):requires_grad_()
  local opt = optim.LBFGS({ w, b }, { max_iter = 50 })
  local calls = 0
  local function closure()
    calls = calls + 1
    opt:zero_grad()
    local loss = (x:matmul(w) + b - y):square():mean()
    loss:backward()
    return loss
  end
  local first = opt:step(closure)
  T.ok(first > 1, 'the first closure call sees the starting loss')
  T.near(w:item(), 3, 1e-3); T.near(b:item(), -2, 1e-3)
  T.ok(calls > 2 and calls <= 62, calls .. ' closure calls (max_eval = 62)')
  T.ok(opt:iterations() >= 2)
  T.raises('boom', opt.step, opt, function() error('boom') end)
  T.raises('must return the loss', opt.step, opt, function() return 'x' end)
  T.raises('function', opt.step, opt)
  T.raises('not supported', optim.LBFGS, { w }, { line_search_fn = 'strong_wolfe' })
  T.raises("unknown option 'maxiter'", optim.LBFGS, { w }, { maxiter = 5 })
  T.raises('at least 1', optim.LBFGS, { w }, { history_size = 0 })
  T.ok(tostring(opt):find('lyra.optim.LBFGS', 1, true))
end)
