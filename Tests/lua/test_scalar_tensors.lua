-- 0-d tensors: every method that accepts one gives PyTorch's answer (a scalar is a line
-- of one element for reductions, softmax and argmax), and every method that needs a real
-- dimension raises an error naming itself. Before, softmax/log_softmax/argmax of a 0-d
-- tensor read outside their buffer (SIGSEGV) and size(1)/stride(1)/max(1)/select(1, 1)
-- trapped (SIGILL).
local T = require 'lyra.test'

T.case('scalar: softmax, log_softmax and argmax of a 0-d tensor', function()
  local s = lyra.tensor(3)
  T.eq(s:softmax():dim(), 0)
  T.near(s:softmax():item(), 1)
  T.near(s:softmax(1):item(), 1)
  T.near(s:log_softmax():item(), 0)
  T.near(s:log_softmax(-1):item(), 0)
  T.eq(s:argmax():item(), 1)
  T.eq(s:argmax(1):item(), 1)
  T.eq(s:argmax(1):dim(), 0)
end)

T.case('scalar: reductions along dimension 1 keep the value', function()
  local s = lyra.tensor(-2.5)
  for _, m in ipairs({'sum', 'mean'}) do
    local r = s[m](s, 1)
    T.eq(r:dim(), 0, m)
    T.near(r:item(), -2.5, 1e-6, m)
    T.eq(s[m](s, -1, true):dim(), 0, m .. ' keepdim')
  end
  local v, i = s:max(1)
  T.near(v:item(), -2.5)
  T.eq(i:item(), 1)
  v, i = s:min(-1)
  T.near(v:item(), -2.5)
  T.eq(i:item(), 1)
  T.near(s:max():item(), -2.5)
  T.raises('needs at least 2 elements', s.var, s, 1)
end)

T.case('scalar: gradients flow through softmax and sum of a 0-d tensor', function()
  local s = lyra.tensor(1.5):requires_grad_()
  local y = s:log_softmax(1) + s:sum(1) * 2
  y:backward()
  -- d/ds [log_softmax(s) + 2s] = 0 + 2 for a single element.
  T.near(s.grad:item(), 2, 1e-6)
end)

T.case('scalar: shape methods of a 0-d tensor', function()
  local s = lyra.tensor(7)
  T.eq(s:size(), {})
  T.eq(s:stride(), {})
  T.eq(s:flatten():size(), {1})
  T.eq(s:squeeze(1):dim(), 0)
  T.eq(s:unsqueeze(1):size(), {1})
  T.eq(s:reshape(1, 1):size(), {1, 1})
  T.eq(s:view({}):dim(), 0)
  T.near(s:item(), 7)
end)

T.case('scalar: methods that need a dimension raise errors naming themselves', function()
  local s = lyra.tensor(3)
  local cases = {
    {'lyra.Tensor:size', function() return s:size(1) end},
    {'lyra.Tensor:stride', function() return s:stride(1) end},
    {'lyra.Tensor:select', function() return s:select(1, 1) end},
    {'lyra.Tensor:narrow', function() return s:narrow(1, 1, 1) end},
    {'lyra.Tensor:transpose', function() return s:transpose(1, 1) end},
    {'lyra.Tensor:index_select', function() return s:index_select(1, {1}) end},
    {'lyra.Tensor:gather', function() return s:gather(1, lyra.tensor(1, 'int')) end},
    {'lyra.cat', function() return lyra.cat({s, s}) end},
  }
  for _, c in ipairs(cases) do
    local ok, err = pcall(c[2])
    T.ok(not ok, c[1] .. ' accepted a 0-d tensor')
    T.ok(tostring(err):find(c[1], 1, true), 'error does not name ' .. c[1] .. ': ' .. tostring(err))
  end
end)

T.case('empty tensors are contiguous: view, flatten and profile of a zero-sized input', function()
  local e = lyra.zeros(0, 0, 0)
  T.ok(e:is_contiguous())
  T.eq(e:view(0, 0):size(), {0, 0})
  local p = lyra.nn.Flatten():profile(0, 0, 0) -- crashed in Tensor.view (found by scripts/fuzz lua-api)
  T.eq(p.parameters, 0)
end)
