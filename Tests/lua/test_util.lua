-- Utilities: lyra.Timer, lyra.save/load, lyra.progress, lyra.isatty.
local T = require 'lyra.test'

local function sink()
  local s = { parts = {} }
  function s:write(x) self.parts[#self.parts + 1] = x end
  function s:text() return table.concat(self.parts) end
  return s
end

T.case('Timer: monotonic, stop/resume/reset', function()
  local t = lyra.Timer()
  local a = t:time().real
  lyra.sleep(0.02)
  local b = t:time().real
  T.ok(b >= a + 0.0199, 'elapsed ' .. (b - a)) -- at least the sleep; no upper bound (timing is not asserted)
  T.ok(type(t:time().user) == 'number')
  t:stop()
  local s1 = t:time().real
  lyra.sleep(0.02)
  T.eq(t:time().real, s1, 'stopped')
  t:resume()
  lyra.sleep(0.01)
  T.ok(t:time().real >= s1 + 0.0099, 'resumed')
  local c0 = lyra.clock()
  t:reset()
  local v = t:time().real
  T.ok(v <= lyra.clock() - c0 + 1e-6, 'reset: no more than the time since the reset') -- not a wall-clock bound
  local last = -1
  for _ = 1, 100 do
    local v = t:time().real
    T.ok(v >= last, 'monotonic')
    last = v
  end
  T.ok(tostring(t):find('lyra.Timer', 1, true))
end)

T.case('save/load: round trip of float and int tensors with metadata', function()
  local path = os.tmpname()
  local w = lyra.randn(3, 4)
  local idx = lyra.tensor({ { 1, 2 }, { -3, 4 } }, 'int')
  T.eq(lyra.save(path, { weight = w, idx = idx, scalar = lyra.tensor(2.5) }, { epoch = 3, note = 'hi' }), path)
  local t, meta = lyra.load(path)
  os.remove(path)
  T.eq(t.weight:size(), { 3, 4 })
  T.eq(t.weight:totable(), w:totable())
  T.eq(t.idx:type(), 'lyra.IntTensor')
  T.eq(t.idx:totable(), { { 1, 2 }, { -3, 4 } })
  T.eq(t.scalar:item(), 2.5)
  T.eq(meta, { epoch = '3', note = 'hi' })
end)

T.case('save/load: errors name the file', function()
  local path = os.tmpname()
  local f = assert(io.open(path, 'wb'))
  f:write('\16\0\0\0\0\0\0\0{"a": 1')
  f:close()
  T.raises('lyra.load: ' .. path .. ': not a valid safetensors file', lyra.load, path)
  f = assert(io.open(path, 'wb'))
  f:write('abc')
  f:close()
  T.raises(path .. ': not a valid safetensors file: 3 bytes is shorter than the 8-byte header length', lyra.load, path)
  -- a truncated file: write a good one and cut its data
  lyra.save(path, { x = lyra.ones(100) })
  f = assert(io.open(path, 'rb'))
  local bytes = f:read('a')
  f:close()
  f = assert(io.open(path, 'wb'))
  f:write(bytes:sub(1, #bytes - 10))
  f:close()
  T.raises('truncated file?', lyra.load, path)
  os.remove(path)
  T.raises('lyra.load: /nonexistent/x.safetensors: not a valid safetensors file: cannot read the file', lyra.load, '/nonexistent/x.safetensors')
  T.raises('lyra.save: cannot write /nonexistent/dir/x.safetensors', lyra.save, '/nonexistent/dir/x.safetensors', { x = lyra.ones(1) })
  T.raises("bad argument #2 to 'lyra.save' ('x' is a number, expected lyra.Tensor)", lyra.save, path, { x = 1 })
  T.raises("bad argument #1 to 'lyra.load' (string expected, got no value)", lyra.load)
end)

T.case('progress: plain lines when not a TTY', function()
  local out = sink()
  local p = lyra.progress.bar(10, { out = out, tty = false, interval = 0, title = 'epoch 1' })
  for i = 1, 10 do p:update(i, { loss = 1 / i }) end
  local lines = {}
  for l in out:text():gmatch('[^\n]+') do lines[#lines + 1] = l end
  T.eq(#lines, 10)
  T.ok(lines[3]:match('^epoch 1 3/10 %(30%.0%%%) [%d.]+ it/s ETA %S+ loss=0%.3333$'), lines[3])
  T.ok(lines[10]:match('^epoch 1 10/10 %(100%.0%%%) [%d.]+ it/s in %S+ loss=0%.1$'), lines[10])
  T.ok(not out:text():find('\r', 1, true), 'no carriage returns in logs')

  -- with the default interval only the first and the last line appear
  out = sink()
  p = lyra.progress.bar(469, { out = out, tty = false })
  for i = 1, 469 do p:update(i) end
  local n = select(2, out:text():gsub('\n', ''))
  T.eq(n, 2)
  T.ok(out:text():find('^1/469 %(0%.2%%%)'), out:text())

  -- the functional form, as xlua.progress
  out = sink()
  lyra.progress.defaults.out, lyra.progress.defaults.tty = out, false
  for i = 1, 5 do lyra.progress(i, 5) end
  lyra.progress.defaults.out, lyra.progress.defaults.tty = nil, nil
  T.ok(out:text():find('5/5 (100.0%)', 1, true), out:text())
end)

T.case('progress: a bar with rate and ETA on a TTY; done(); isatty', function()
  local out = sink()
  local p = lyra.progress.bar(4, { out = out, tty = true, width = 10 })
  p:update(2, 'hello')
  T.ok(out:text():find('\r', 1, true), 'redrawn in place')
  T.ok(out:text():find('[=====>....] 2/4 (50.0%)', 1, true), out:text())
  T.ok(out:text():find('hello', 1, true))
  p:done()
  T.ok(out:text():find('4/4 (100.0%)', 1, true) and out:text():sub(-1) == '\n', 'finished with a newline')
  T.eq(type(lyra.isatty(1)), 'boolean')
  T.eq(lyra.isatty(12345), false)
  T.raises("lyra.progress.bar: unknown option 'titel'", lyra.progress.bar, 3, { titel = 'x' })
  T.raises("bad argument #1 to 'lyra.progress.bar'", lyra.progress.bar, 'x')
end)

-- Every method of the optim/data objects, called with wrong arguments, must raise a Lua
-- error or return; a crash (a Swift precondition) would kill the run.
T.case('optim/data/util objects survive bad method arguments', function()
  local p = lyra.zeros(3):requires_grad_()
  p.grad = lyra.ones(3)
  local opt = lyra.optim.Adam({ p })
  local path = os.tmpname()
  local f = assert(io.open(path, 'w'))
  f:write('a,label\n1,0\n2,1\n')
  f:close()
  local ds = lyra.data.csv(path, { label = 'label' })
  os.remove(path)
  local loader = lyra.data.loader(ds, { batch_size = 1 })
  local _, it = loader:iter()
  local objects = {
    opt, lyra.optim.lr_scheduler.StepLR(opt, { step_size = 1 }), ds, loader, it,
    lyra.data.augment { { 'Rotate', 1, 3 } }, lyra.data.normalize(0.5, 0.5),
    lyra.progress.bar(3, { out = { write = function() end }, tty = false }), lyra.Timer(),
  }
  local argsets = {
    {}, { 0 }, { -1 }, { 1e12 }, { 2.5 }, { 'x' }, { {} }, { { 1, 2 } }, { true }, { lyra.zeros(2, 3) },
    { lyra.zeros(0) }, { lyra.tensor({ 1, 2 }, 'int') }, { { optimizer = 'Adam', state = { [1] = { exp_avg = lyra.zeros(5) } } } },
    { { optimizer = 'Adam', state = { x = 1 } } }, { { last_epoch = -1 } }, { function() end }, { lyra.zeros(1, 28, 28), 'x' },
  }
  local n = 0
  for _, o in ipairs(objects) do
    local mt = getmetatable(o)
    local methods = rawget(mt, '__methods') or rawget(mt, '__index')
    for name, m in pairs(methods) do
      if type(m) == 'function' and name ~= 'free' then
        for _, a in ipairs(argsets) do
          pcall(m, o, table.unpack(a, 1, 2))
          pcall(m, table.unpack(a, 1, 2))
          n = n + 2
        end
      end
    end
  end
  T.ok(n > 300, 'calls ' .. n)
  it:free()
end)

T.case('lyra.json decodes and encodes', function()
  local v = lyra.json.decode('{"a": [1, 2.5, "x"], "b": {"c": true}, "n": null}')
  T.eq(v.a[1], 1)
  T.eq(v.a[2], 2.5)
  T.eq(v.a[3], 'x')
  T.eq(v.b.c, true)
  T.eq(v.n, nil)
  local back = lyra.json.decode(lyra.json.encode({x = {1, 2}, y = 'z'}))
  T.eq(back.x[2], 2)
  T.eq(back.y, 'z')
  T.raises('invalid JSON', lyra.json.decode, '{"a": ')
end)
