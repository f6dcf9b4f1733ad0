-- lyra.Timer: torch.Timer in Lua, on the host's monotonic clock (lyra.clock) for wall
-- time and os.clock for CPU time. Nothing here needs Swift beyond the clock.
local lyra = lyra

local Timer = {}
Timer.__index = Timer
Timer.__name = 'lyra.Timer'

local function now() return lyra.clock(), os.clock() end

function Timer:reset()
  self._real, self._cpu = 0, 0
  self._t0, self._c0 = now()
  return self
end

function Timer:stop()
  if self._running then
    local t, c = now()
    self._real, self._cpu = self._real + (t - self._t0), self._cpu + (c - self._c0)
    self._running = false
  end
  return self
end

function Timer:resume()
  if not self._running then
    self._t0, self._c0 = now()
    self._running = true
  end
  return self
end

function Timer:time()
  local real, cpu = self._real, self._cpu
  if self._running then
    local t, c = now()
    real, cpu = real + (t - self._t0), cpu + (c - self._c0)
  end
  return { real = real, user = cpu }
end

function Timer:__tostring()
  return string.format('lyra.Timer (%.3fs%s)', self:time().real, self._running and '' or ', stopped')
end

lyra.Timer = lyra.def('lyra.Timer', [[
lyra.Timer() -> timer
A running stopwatch, as torch.Timer: t:time() -> {real = seconds, user = CPU seconds},
t:reset(), t:stop(), t:resume().
Example: local t = lyra.Timer(); train(); print(t:time().real)]], function()
  local t = setmetatable({ _running = true }, Timer)
  return t:reset()
end)

for name, text in pairs {
  reset = 'timer:reset() -> timer\nSets the elapsed time to 0 (a stopped timer stays stopped).',
  stop = 'timer:stop() -> timer\nPauses the timer; time() stays fixed until resume().',
  resume = 'timer:resume() -> timer\nContinues a stopped timer.',
  time = 'timer:time() -> {real = s, user = s}\nElapsed wall-clock and CPU seconds while running.',
} do lyra.setdoc(Timer[name], 'lyra.Timer:' .. name, text) end

return lyra.Timer
