-- m:upscale (issue 22): tiles with overlap give the whole-image result, the output is
-- scale times the input, and bad arguments are errors that say what is wrong.
local T = require 'lyra.test'

local function flat(x) return x:contiguous():view(x:numel()):totable() end

T.case('m:upscale in overlapping tiles equals one pass over the whole image', function()
  lyra.manual_seed(4)
  local m = lyra.nn.build({type = 'EDSR', n_resblocks = 1, n_feats = 4, scale = 2}, {3, 8, 8})
  local img = lyra.rand(3, 18, 22) * 255
  local whole = m:upscale(img, {scale = 2, tile = 64})
  T.eq(whole:size(1), 3); T.eq(whole:size(2), 36); T.eq(whole:size(3), 44)
  -- 2 residual 3x3 convs + head, body tail, up and tail convs: 6 pixels of receptive field each side.
  local tiled = m:upscale(img, {scale = 2, tile = 8, overlap = 6})
  local a, b = flat(whole), flat(tiled)
  local worst = 0
  for i = 1, #a do worst = math.max(worst, math.abs(a[i] - b[i])) end
  T.ok(worst < 1e-3, 'tiles differ from the whole image by ' .. worst)
  -- Too little context changes the seams: the overlap is what makes tiles exact.
  local thin = flat(m:upscale(img, {scale = 2, tile = 8, overlap = 0}))
  local seam = 0
  for i = 1, #a do seam = math.max(seam, math.abs(a[i] - thin[i])) end
  T.ok(seam > 1e-3, 'without overlap the tiles should show seams')
end)

T.case('m:upscale refuses bad arguments by name', function()
  local m = lyra.nn.build({type = 'EDSR', n_resblocks = 1, n_feats = 4, scale = 2}, {3, 8, 8})
  T.raises('scale must be in 1..8', function() return m:upscale(lyra.rand(3, 8, 8), {scale = 9}) end)
  T.raises('check --scale', function() return m:upscale(lyra.rand(3, 8, 8), {scale = 3}) end)
  T.raises('float tensor [C, H, W]', function() return m:upscale(lyra.rand(8, 8)) end)
  T.raises("unknown option 'scal'", function() return m:upscale(lyra.rand(3, 8, 8), {scal = 2}) end)
  T.raises('nonexistent/x.png', function() return m:upscale('/nonexistent/x.png') end)
end)
