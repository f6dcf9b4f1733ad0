-- lyra.nas: the DARTS supernet from Lua, and docs/examples/custom_darts.lua's loop on a
-- tiny synthetic task.
local T = require 'lyra.test'
local here = arg and arg[0] and arg[0]:match('^(.*)/[^/]*$') or 'Tests/lua'

T.case('lyra.nas.supernet gives the net, alpha apart from its parameters, and a genotype', function()
  local net, an, ar = lyra.nas.supernet{in_channels = 1, channels = 2, layers = 3, steps = 2, stem_multi = 1, classes = 3,
                                        primitives = {'none', 'skip_connect', 'sep_conv_3x3'}, seed = 1}
  T.eq(an:size(1), 5); T.eq(an:size(2), 3); T.eq(ar:size(1), 5)
  for _, p in ipairs(net:parameters()) do T.ok(p:numel() ~= an:numel() or p:dim() ~= 2 or p:size(2) ~= 3) end
  T.eq(net(lyra.randn(2, 1, 8, 8)):size(2), 3)
  local text, normal = lyra.nas.genotype(net)
  T.ok(text:match("^Genotype%(normal=%[%('"), text)
  T.eq(#normal, 4)
  for _, e in ipairs(normal) do T.ok(e[1] ~= 'none', e[1]) end
  T.raises('skip_connect', function() lyra.nas.supernet{primitives = {'none', 'skip_conect'}} end)
  T.raises('supernet', function() lyra.nas.genotype(lyra.nn.Linear(2, 2)) end)
end)

T.case('the custom DARTS loop moves alpha and derives a genotype', function()
  local darts = loadfile(here .. '/../../docs/examples/custom_darts.lua')('module')
  lyra.manual_seed(3)
  -- class = sign of the mean brightness: learnable by the weights
  local x = lyra.randn(16, 1, 8, 8)
  local y = x:view(16, 64):mean(2):gt(0):long() + 1  -- 1-based labels
  local function once(a, b) return function() local done = false
    return function() if done then return nil end done = true return a, b end end end
  local net, text = darts(once(x, y), once(x, y), {epochs = 2, arch_lr = 0.05,
    supernet = {in_channels = 1, channels = 2, layers = 3, steps = 2, stem_multi = 1, classes = 2, seed = 0}})
  T.ok(text:match('^Genotype'), text)
  local _, an = lyra.nas.supernet{in_channels = 1, channels = 2, layers = 3, steps = 2, stem_multi = 1, classes = 2, seed = 0}
  local _, an2 = nil, nil
  for name, b in pairs(net:state_dict()) do if name == 'alphas_normal' then an2 = b end end
  T.ok(an2 ~= nil, 'alphas_normal in the state dict')
  T.ok((an2 - an):abs():max():item() > 0.01, 'alpha moved')
end)
