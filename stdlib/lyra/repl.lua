-- REPL helpers called by the host: printing results and tab completion.
local lyra = lyra
local repl = lyra.repl or {}
lyra.repl = repl

repl.timing = false   -- set true to print each command's wall time
lyra.setdoc(repl, 'lyra.repl', 'lyra.repl: the REPL\'s printer and completer; lyra.repl.timing = true prints command times.')

--- Prints the values of one REPL entry, tab-separated, through lyra.pretty.
function repl.show(...)
  local n = select('#', ...)
  -- A value that knows how to show itself on a terminal (a plot: written to a file, sketched).
  local mt = n == 1 and type((...)) ~= 'string' and getmetatable((...))
  if type(mt) == 'table' and rawget(mt, '__show') then return rawget(mt, '__show')((...)) end
  local out = {}
  for i = 1, n do out[i] = lyra.pretty((select(i, ...))) end
  print(table.concat(out, '\t'))
end
lyra.setdoc(repl.show, 'lyra.repl.show', [[
lyra.repl.show(...)
How the REPL prints the values of an expression (through lyra.pretty).]])

local keywords = {
  'and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function', 'goto', 'if',
  'in', 'local', 'nil', 'not', 'or', 'repeat', 'return', 'then', 'true', 'until', 'while',
}

--- The table that lists the fields reachable from v: v itself when a table, and the
--- __index *tables* of its metatables (never calling an __index function).
local function field_sources(v)
  local out, guard = {}, 0
  local cur = v
  while cur ~= nil and guard < 20 do
    guard = guard + 1
    if type(cur) == 'table' then out[#out + 1] = cur end
    local mt = getmetatable(cur)
    if type(mt) ~= 'table' then break end
    local methods = rawget(mt, '__methods')
    if type(methods) == 'table' then out[#out + 1] = methods end
    local idx = rawget(mt, '__index')
    if type(idx) ~= 'table' then break end
    cur = idx
  end
  return out
end

--- Odd number of unescaped quotes before the cursor: the word is inside a string.
local function in_string(line)
  local quote = nil
  local i = 1
  while i <= #line do
    local c = line:sub(i, i)
    if quote then
      if c == '\\' then i = i + 1 elseif c == quote then quote = nil end
    elseif c == '"' or c == "'" then
      quote = c
    elseif line:sub(i, i + 1) == '--' then
      return false
    end
    i = i + 1
  end
  return quote ~= nil
end

--- Completions of `word` (the text before the cursor is `line`): a list of strings,
--- an empty list for none, or nil inside a string (readline then completes file names).
function repl.complete(line, word)
  if in_string(line) then return nil end
  local path, sep, partial = word:match('^(.-)([%.:])([%w_]*)$')
  local sources
  local prefix = ''
  if path then
    local v, first = _G, true
    for part in path:gmatch('[^%.:]+') do
      local found = nil
      -- the first name may be a REPL local (lyra.repl.env()) before a global
      for _, t in ipairs(first and { repl.env and repl.env() or {}, _G } or field_sources(v)) do
        local x = rawget(t, part)
        if x ~= nil then found = x break end
      end
      v, first = found, false
      if v == nil then return {} end
    end
    sources = field_sources(v)
    prefix = path .. sep
  else
    partial = word
    sources = { repl.env and repl.env() or {}, _G }
  end
  local seen, out = {}, {}
  for _, t in ipairs(sources) do
    for k, x in next, t do
      if type(k) == 'string' and not seen[k] and k:sub(1, #partial) == partial
        and k:match('^[%a_][%w_]*$') and (partial:sub(1, 1) == '_' or k:sub(1, 1) ~= '_')
        and (sep ~= ':' or type(x) == 'function') then
        seen[k] = true
        local suffix = ''
        if type(x) == 'function' then suffix = '('
        elseif type(x) == 'table' then suffix = '.'
        elseif type(x) == 'userdata' and getmetatable(x) then suffix = ':' end
        out[#out + 1] = prefix .. k .. suffix
      end
    end
  end
  if not path then
    for _, k in ipairs(keywords) do
      if k:sub(1, #partial) == partial and not seen[k] then out[#out + 1] = k end
    end
  end
  table.sort(out)
  return out
end
lyra.setdoc(repl.complete, 'lyra.repl.complete', [[
lyra.repl.complete(line, word) -> {candidates} | nil
Tab completion: globals, fields and methods reachable through tables and __index
tables (never calls an __index function). nil inside a string (file names).]])

require 'lyra.repl_input' -- lyra.repl.compile / hoist / env: how an entry is compiled

return repl
