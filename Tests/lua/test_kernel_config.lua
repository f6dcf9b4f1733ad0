-- lyra.config(): which kernel path (ISA) runs, what the CPU offers, GEMM's tile and the threads;
-- setting a lower path gives the same results within float rounding.
local T = require 'lyra.test'
local nn = lyra.nn

T.case('config: reports the active path, the detected one and every path this machine runs', function()
  local c = lyra.config()
  local known = {portable = 0, avx2 = 1, avx512 = 2}
  T.ok(known[c.isa] ~= nil, 'isa ' .. tostring(c.isa))
  T.ok(known[c.isa_detected] ~= nil, 'isa_detected ' .. tostring(c.isa_detected))
  T.ok(known[c.isa] <= known[c.isa_detected], 'the active path never exceeds the detected one')
  T.eq(c.isa_available[1], 'portable')
  T.eq(c.isa_available[#c.isa_available], c.isa_detected)
  T.ok(c.gemm_tile:match('^%d+x%d+[|%dx]*$') ~= nil, c.gemm_tile)  -- e.g. 6x16, or 12x32|8x32 (rows chosen per product)
  T.eq(c.threads, lyra.get_num_threads())
end)

T.case('config: every available path gives the same product and convolution', function()
  local before = lyra.config()
  lyra.manual_seed(3)
  local a, b = lyra.randn(67, 45), lyra.randn(45, 39)
  local conv = nn.Conv2d(3, 5, 3, {padding = 1})
  local x = lyra.randn(2, 3, 9, 7)
  local ref_mm, ref_conv
  for _, isa in ipairs(before.isa_available) do
    local c = lyra.config{isa = isa}
    T.eq(c.isa, isa)
    local mm, y = a:mm(b), conv(x)
    if ref_mm == nil then ref_mm, ref_conv = mm, y
    else
      T.ok((mm - ref_mm):abs():max():item() < 1e-4, isa .. ' mm')
      T.ok((y - ref_conv):abs():max():item() < 1e-4, isa .. ' conv')
    end
  end
  T.eq(lyra.config{isa = before.isa}.isa, before.isa)
end)

T.case('config: bad settings are errors naming the option', function()
  T.raises("option 'isa' must be 'avx512', 'avx2' or 'portable', got 'sse'", lyra.config, {isa = 'sse'})
  T.raises("unknown option 'threds' (did you mean 'threads'?)", lyra.config, {threds = 2})
  T.raises("option 'threads' must be a positive integer up to 1024, got 0", lyra.config, {threads = 0})
  T.raises("option 'isa' must be a string", lyra.config, {isa = 2})
  local c = lyra.config()
  if c.isa_detected ~= 'avx512' then
    T.raises("cannot run", lyra.config, {isa = 'avx512'})
  end
  local t = lyra.get_num_threads()
  T.eq(lyra.config{threads = 1}.threads, 1)
  lyra.set_num_threads(t)
end)

T.case('config: int8 switches quantised layers between integer kernels and fake-quantised floats', function()
  local c = lyra.config()
  T.ok(c.int8 == true, 'integer kernels are on by default')
  T.ok(({['avx512-vnni'] = 1, avx2 = 1, portable = 1})[c.int8_path] ~= nil, c.int8_path)
  lyra.manual_seed(5)
  local m = nn.Sequential()
    :add(nn.QuantConv2d(2, 6, 3, {bits = 8, activation_bits = 8, padding = 1}))
    :add(nn.ReLU()):add(nn.Flatten())
    :add(nn.QuantLinear(6 * 5 * 5, 4, {bits = 4, activation_bits = 8}))
  m:train()
  for _ = 1, 3 do lyra.no_grad(function() return m(lyra.randn(4, 2, 5, 5)) end) end  -- calibrates the input ranges
  m:eval()
  local x = lyra.randn(3, 2, 5, 5)
  local int = lyra.no_grad(function() return m(x) end)
  T.eq(lyra.config{int8 = false}.int8, false)
  local fake = lyra.no_grad(function() return m(x) end)
  lyra.config{int8 = true}
  T.ok((int - fake):abs():max():item() < 1e-3 * fake:abs():max():item() + 1e-5, 'integer and fake-quantised evaluation agree')
  T.raises("option 'int8' must be a boolean", lyra.config, {int8 = 'yes'})
  T.raises('bits', nn.QuantLinear, 3, 2)
end)
