-- lyra.progress: progress for long loops, as xlua.progress. On a terminal, a bar redrawn
-- in place with rate and ETA; otherwise (logs, pipes, notebooks) plain lines now and then,
-- e.g. "12/469 (2.6%) 153.2 it/s ETA 3s", so logs stay readable (docs/architecture.md#console-and-notebook-output).
local lyra = lyra

local progress = {
  -- Defaults for bars made by the functional form and by bar() without options.
  defaults = { interval = 10, width = 30 },
}

local Bar = {}
Bar.__index = Bar
Bar.__name = 'lyra.progress.Bar'

local function duration(s)
  if s ~= s or s == math.huge then return '?' end
  s = math.floor(s + 0.5)
  if s < 60 then return s .. 's' end
  if s < 3600 then return string.format('%dm%02ds', s // 60, s % 60) end
  return string.format('%dh%02dm', s // 3600, (s % 3600) // 60)
end

local function info_text(info)
  if info == nil then return '' end
  if type(info) ~= 'table' then return ' ' .. tostring(info) end
  local keys = {}
  for k in pairs(info) do keys[#keys + 1] = tostring(k) end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do
    local v = info[k]
    if v == nil then v = info[tonumber(k)] end
    parts[#parts + 1] = k .. '=' .. (type(v) == 'number' and string.format('%.4g', v) or tostring(v))
  end
  return #parts > 0 and ' ' .. table.concat(parts, ' ') or ''
end

function progress.bar(total, opts)
  if math.type(total) ~= 'integer' or total < 0 then
    error("bad argument #1 to 'lyra.progress.bar' (integer >= 0 expected, got " .. tostring(total) .. ')', 2)
  end
  opts = opts or {}
  local known = { title = true, out = true, tty = true, interval = true, width = true }
  for k in pairs(opts) do
    if not known[k] then error("lyra.progress.bar: unknown option '" .. tostring(k) .. "'; known options: interval, out, title, tty, width", 2) end
  end
  local out = opts.out or progress.defaults.out or io.stdout
  local tty = opts.tty
  if tty == nil then tty = progress.defaults.tty end
  if tty == nil then tty = out == io.stdout and lyra.isatty(1) end
  return setmetatable({
    total = total, n = 0, title = opts.title, out = out, tty = tty,
    interval = opts.interval or progress.defaults.interval, width = opts.width or progress.defaults.width,
    start = lyra.clock(), last = nil, finished = false,
  }, Bar)
end

function Bar:_status(now)
  local elapsed = now - self.start
  local rate = elapsed > 0 and self.n / elapsed or 0
  local eta = rate > 0 and (self.total - self.n) / rate or math.huge
  local pct = self.total > 0 and 100 * self.n / self.total or 100
  return string.format('%d/%d (%.1f%%) %.1f it/s %s', self.n, self.total, pct, rate,
    self.n >= self.total and ('in ' .. duration(elapsed)) or ('ETA ' .. duration(eta))), pct
end

function Bar:update(n, info)
  if math.type(n) ~= 'integer' then error("bad argument #1 to 'lyra.progress.Bar:update' (integer expected)", 2) end
  self.n = math.max(0, math.min(n, self.total))
  local now = lyra.clock()
  local final = self.n >= self.total
  local title = self.title and (self.title .. ' ') or ''
  if self.tty then
    if not final and self.last and now - self.last < 0.1 then return self end
    local status, pct = self:_status(now)
    local filled = math.floor(self.width * pct / 100)
    local bar = string.rep('=', filled) .. (filled < self.width and '>' or '') .. string.rep('.', math.max(0, self.width - filled - 1))
    self.out:write('\r\27[K' .. title .. '[' .. bar .. '] ' .. status .. info_text(info))
    if final then self.out:write('\n') end
  else
    if not (final or self.last == nil or now - self.last >= self.interval) then return self end
    self.out:write(title .. self:_status(now) .. info_text(info) .. '\n')
  end
  if self.out.flush then self.out:flush() end
  self.last = now
  if final then self.finished = true end
  return self
end

function Bar:done(info)
  if not self.finished then
    self.total = math.max(self.total, self.n)
    self:update(self.total, info)
  end
  return self
end

local current -- the bar of the functional form

setmetatable(progress, {
  __call = function(_, n, total, info)
    if math.type(n) ~= 'integer' or math.type(total) ~= 'integer' then
      error("bad argument to 'lyra.progress' (progress(current, total [, info]) with integers)", 2)
    end
    if not current or current.total ~= total or n < current.n or current.finished then
      current = progress.bar(total)
    end
    current:update(n, info)
    if current.finished then current = nil end
  end,
})

lyra.setdoc(progress, 'lyra.progress', [[
lyra.progress(current, total [, info])
Shows progress as xlua.progress: on a terminal a bar with rate and ETA redrawn in place,
otherwise a plain line at most every lyra.progress.defaults.interval seconds (10) and at
the end, e.g. "12/469 (2.6%) 153.2 it/s ETA 3s loss=0.2345". info: a table {loss = ...}
or a string. For several bars or a title, use lyra.progress.bar(total, {title =}).
Example: for i = 1, n do ...; lyra.progress(i, n, {loss = l}) end]])
lyra.setdoc(progress.bar, 'lyra.progress.bar', [[
lyra.progress.bar(total [, {title =, out = io.stdout, tty = lyra.isatty(1), interval = 10, width = 30}]) -> bar
A progress bar object: bar:update(n [, info]) reports n of total done, bar:done([info])
finishes it. out is any object with :write(s); tty = false forces plain lines.
Example:
  local p = lyra.progress.bar(#loader, {title = 'epoch 1'})
  for i = 1, #loader do ...; p:update(i, {loss = l}) end
  p:done()]])
lyra.setdoc(Bar.update, 'lyra.progress.Bar:update', 'bar:update(n [, info]) -> bar\nReports n items done; info is a table {loss = ...} or a string shown after the status.')
lyra.setdoc(Bar.done, 'lyra.progress.Bar:done', 'bar:done([info]) -> bar\nFinishes the bar (prints the final line) if update(total) has not.')

lyra.progress = progress
return progress
