-- Help: `? name` in the REPL and lyra.help(value) in scripts.
-- Native functions carry help registered from Swift; Lua functions register
-- theirs with lyra.setdoc(fn, name, text) (or the lyra.def helper below).
local lyra = lyra

local cheatsheet = [[
Lyra - a native AutoML pipeline scripted in Lua 5.4

  ? name            help for a function, table or value: ? lyra.clock, ? x:sum, ? model
  help(x)           the same from code; help() prints this
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

--- The tables a name's fields are looked up in: v itself when a table, then the
--- methods (__methods) and __index tables of its metatables, never calling a function.
local function field_sources(v)
  local out, cur = {}, v
  for _ = 1, 20 do
    if type(cur) == 'table' then out[#out + 1] = cur end
    local mt = getmetatable(cur)
    if type(mt) ~= 'table' then break end
    local methods = rawget(mt, '__methods')
    if type(methods) == 'table' then out[#out + 1] = methods end
    cur = rawget(mt, '__index')
    if type(cur) ~= 'table' then break end
  end
  return out
end

--- The value a dotted name (`lyra.zeros`, `x:sum`) reaches from the globals, or nil.
local function resolve(name)
  local v = _G
  for part in name:gmatch('[^%.:]+') do
    local found = nil
    for _, t in ipairs(field_sources(v)) do
      found = rawget(t, part)
      if found ~= nil then break end
    end
    if found == nil then return nil end
    v = found
  end
  return v
end

--- Every documented value by full name, plus the same names with `:` as `.` (and back).
local function named(name)
  local names = lyra.docnames()
  return names[name] or names[(name:gsub(':', '.'))] or names[(name:gsub('%.([%w_]+)$', ':%1'))], names
end

--- The help of a class written the way the docs name it (`lyra.Tensor`): its methods.
local function class_listing(name, names)
  local methods = {}
  for full, v in pairs(names) do
    local method = full:sub(#name + 2)
    if full:sub(1, #name + 1) == name .. ':' and method:match('^[%w_]+$') then methods[method] = v end
  end
  return documented(methods)
end

--- `name` was not found: says so and offers the nearest name (LyraBase.Suggest's cut-off).
local function not_found(name, names)
  local candidates, seen = {}, {}
  local function add(c) if not seen[c] then seen[c] = true candidates[#candidates + 1] = c end end
  local parent, sep = name:match('^(.*)([%.:])[^%.:]*$')
  local base = parent and resolve(parent)
  if base ~= nil then
    for _, t in ipairs(field_sources(base)) do
      for k in pairs(t) do if type(k) == 'string' then add(parent .. sep .. k) end end
    end
  elseif not parent then
    for k in pairs(_G) do if type(k) == 'string' then add(k) end end
  end
  for full in pairs(names) do add(full) end
  table.sort(candidates)
  local near = lyra.suggest(name, candidates)
  print(name .. ' does not exist' .. (near and (" (did you mean '" .. near .. "'?)") or ''))
end

--- The help of an object's type: for a module its constructor's help (m:type() names
--- it), then the methods of its class.
local function type_help(v)
  local mt = getmetatable(v)
  if type(mt) ~= 'table' then return false end
  local shown = false
  local typ = type(rawget(mt, '__methods')) == 'table' and rawget(rawget(mt, '__methods'), 'type')
  if type(typ) == 'function' then
    local ok, t = pcall(typ, v)
    local ctor = ok and type(t) == 'string' and (resolve(t) or resolve('lyra.' .. t))
    local text = ctor and lookup(ctor)
    if text then print(text) shown = true end
  end
  for _, t in ipairs(field_sources(v)) do
    if t ~= v then
      local list = documented(t)
      if #list > 0 then
        print((rawget(mt, '__name') or type(v)) .. ' methods:')
        print(table.concat(list, '\n'))
        return true
      end
    end
  end
  return shown
end

--- lyra.help([value]) prints help for a value (function, table or object), or the
--- cheat-sheet without an argument. A string argument is looked up as a dotted name.
function lyra.help(v)
  if v == nil then
    io.write(cheatsheet)
    return
  end
  if type(v) == 'string' then
    local name = v
    v = resolve(name)
    if v == nil then
      local names
      v, names = named(name)
      if v == nil then
        local list = class_listing(name, names)
        if #list > 0 then
          print(name .. ' methods:')
          print(table.concat(list, '\n'))
        else
          not_found(name, names)
        end
        return
      end
    end
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
  if not text and not type_help(v) then print('no help for this ' .. type(v)) end
end
lyra.setdoc(lyra.help, 'lyra.help', [[
lyra.help([value])    (also help)
Prints the help of a function, table or object (a module: its type's help and its
methods); a string is looked up as a name: 'lyra.clock', 'x:sum' (a method of a value),
'lyra.Tensor:sum' (as docs/lua-api.md names it). A name that does not exist is said so,
with the nearest name. Without an argument prints the REPL cheat-sheet.
In the REPL, `? name` does the same.]])

help = lyra.help

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
