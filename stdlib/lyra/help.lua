-- Help: `? name` in the REPL and lyra.help(value) in scripts.
-- Native functions carry help registered from Swift; Lua functions register
-- theirs with lyra.setdoc(fn, name, text) (or the lyra.def helper below).
local lyra = lyra

local cheatsheet = [[
Lyra - a native AutoML pipeline scripted in Lua 5.4

  ? name            help for a function or table, e.g. ? lyra.clock
  expr              prints its value (a trailing ; suppresses it); _LAST holds it
  =expr             same as return expr
  Tab               completes globals, fields, methods (x:<Tab>) and file names in strings
  Ctrl-C            clears the line, or stops the running code
  Ctrl-D            quits

  lyra.*            the library; lyra.help(lyra) lists what is there
  lyra.repl.timing = true    prints how long each command took
]]

--- Returns the help text of `v` (or nil) and its full name.
local function lookup(v)
  local text, name = lyra.doc(v)
  return text, name
end

--- The names of a table's fields that carry help, sorted.
local function documented(t)
  local out = {}
  for k, v in pairs(t) do
    if type(k) == 'string' and (type(v) == 'function' or type(v) == 'table') then
      local text = lookup(v)
      local first = text and text:match('^[^\n]*') or ''
      out[#out + 1] = string.format('  %-28s %s', k, first)
    end
  end
  table.sort(out)
  return out
end

--- lyra.help([value]) prints help for a value (function, table or object), or the
--- cheat-sheet without an argument. A string argument is looked up as a dotted name.
function lyra.help(v)
  if v == nil then
    io.write(cheatsheet)
    return
  end
  if type(v) == 'string' then
    local t = _G
    for part in v:gmatch('[^%.:]+') do
      if type(t) ~= 'table' then t = nil break end
      t = rawget(t, part)
    end
    if t == nil then
      print('no help for ' .. v)
      return
    end
    v = t
  end
  local text, name = lookup(v)
  if text then print(text) end
  if type(v) == 'table' then
    local list = documented(v)
    if #list > 0 then
      if not text then print((name or 'table') .. ':') end
      print(table.concat(list, '\n'))
      return
    end
  end
  if not text then
    local mt = getmetatable(v)
    if type(mt) == 'table' and type(rawget(mt, '__index')) == 'table' then
      local list = documented(rawget(mt, '__index'))
      if #list > 0 then
        print((rawget(mt, '__name') or type(v)) .. ' methods:')
        print(table.concat(list, '\n'))
        return
      end
    end
    print('no help for this ' .. type(v))
  end
end
lyra.setdoc(lyra.help, 'lyra.help', [[
lyra.help([value])
Prints the help of a function, table or object (its methods); a string is looked up
as a dotted name ('lyra.clock'). Without an argument prints the REPL cheat-sheet.
In the REPL, `? name` does the same.]])

--- lyra.def(name, help, fn) -> fn: defines a documented Lua function in one step.
function lyra.def(name, help, fn)
  lyra.setdoc(fn, name, help)
  return fn
end
lyra.setdoc(lyra.def, 'lyra.def', [[
lyra.def(name, help, fn) -> fn
Records `help` for the Lua function `fn` under its full `name` and returns fn.]])

lyra.setdoc(lyra, 'lyra', 'lyra: tensors, modules, search spaces, algorithms and pipelines.')

return lyra.help
