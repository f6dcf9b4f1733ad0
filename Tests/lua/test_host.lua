-- The Lua side of the host: help, pretty-printing, completion, errors from Swift.
local T = require 'lyra.test'

T.case('clock is monotonic and in seconds', function()
  local a = lyra.clock()
  lyra.sleep(0.02)
  local b = lyra.clock()
  -- Only what must hold: a sleep never ends early. How late it ends depends on the load.
  T.ok(b - a >= 0.015, 'elapsed ' .. (b - a))
end)

T.case('errors from Swift name the function and the caller line', function()
  local ok, err = pcall(lyra.sleep, 'x')
  T.ok(not ok)
  T.eq(err, "bad argument #1 to 'lyra.sleep' (number expected, got string)")
  local ok2, err2 = pcall(function() lyra.sleep() end)
  T.ok(err2:find('test_host.lua:%d+: bad argument #1 to \'lyra.sleep\' %(number expected, got no value%)') ~= nil, err2)
end)

T.case('help text is reachable for native and Lua functions', function()
  local text, name = lyra.doc(lyra.sleep)
  T.ok(text:find('lyra.sleep%(seconds%)'))
  T.eq(name, 'lyra.sleep')
  local f = lyra.def('my.f', 'my.f() -> 1', function() return 1 end)
  T.eq((lyra.doc(f)), 'my.f() -> 1')
  T.raises("bad argument #2 to 'lyra.setdoc'", lyra.setdoc, f, nil, 'x')
end)

T.case('pretty printer: arrays, nesting, depth, strings', function()
  T.eq(lyra.pretty({1, 2, 3}), '{1, 2, 3}')
  T.eq(lyra.pretty({a = 'x\ny'}), '{a = "x\\ny"}')
  T.eq(lyra.pretty({[10] = true, k = {}}), '{[10] = true, k = {}}')
  T.eq(lyra.pretty({{{{}}}}, 2), '{{{...}}}')
  local long = {}
  for i = 1, 30 do long[i] = i * 1000 end
  T.ok(lyra.pretty(long):find('\n'), 'long arrays wrap')
end)

T.case('completion: globals, keywords, fields, methods', function()
  local c = lyra.repl.complete
  T.eq(c('whi', 'whi'), {'while'})
  T.eq(c('lyra.sl', 'lyra.sl'), {'lyra.sleep('})
  local s = 'abc'
  _G.__s = s
  T.eq(c('__s:upp', '__s:upp'), {'__s:upper('})
  _G.__s = nil
  T.eq(c('print("/tm', '/tm'), nil)
end)
