-- The Lua API reference (docs/lua-api.md), generated from the help text that every
-- function carries, so the reference and `? name` can never disagree.
local lyra = lyra

local function heading(text) return '\n## ' .. text .. '\n' end

local function entry(name, help)
  local first, rest = help:match('^([^\n]*)\n?(.*)$')
  local out = {'\n### `' .. name .. '`\n', '\n```lua\n' .. first .. '\n```\n'}
  if rest and rest ~= '' then out[#out + 1] = '\n' .. rest .. '\n' end
  return table.concat(out)
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do if type(k) == 'string' then keys[#keys + 1] = k end end
  table.sort(keys)
  return keys
end

--- lyra.apidoc() -> markdown text of every documented function, namespace and method.
local function apidoc()
  local parts = {
    '# Lyra Lua API reference\n\n',
    'Generated from the help text of each function (what `? name` shows in the REPL) by\n',
    '`scripts/gen-api-doc`; `Tests/lua/test_apidoc.lua` fails when this file is out of date.\n',
    'Dimensions, positions and class labels are 1-based in Lua.\n',
  }
  -- Namespaces: lyra and its sub-tables, depth first, functions sorted by name.
  local seen = {}
  local function namespace(t, path)
    if seen[t] then return end
    seen[t] = true
    local functions, tables = {}, {}
    for _, k in ipairs(sorted_keys(t)) do
      local v = rawget(t, k)
      if not k:match('^_') and k ~= 'test' then
        if type(v) == 'function' and lyra.doc(v) then functions[#functions + 1] = k
        elseif type(v) == 'table' and k ~= 'pretty_options' then tables[#tables + 1] = k end
      end
    end
    if #functions > 0 then
      local about = lyra.doc(t)
      parts[#parts + 1] = heading('`' .. path .. '`')
      if about then parts[#parts + 1] = '\n' .. about .. '\n' end
      for _, k in ipairs(functions) do parts[#parts + 1] = entry(path .. '.' .. k, (lyra.doc(rawget(t, k)))) end
    end
    for _, k in ipairs(tables) do namespace(rawget(t, k), path .. '.' .. k) end
  end
  namespace(lyra, 'lyra')
  -- Classes: every registered metatable with a methods table.
  local registry = debug.getregistry()
  local classes = {}
  for name, mt in pairs(registry) do
    if type(name) == 'string' and type(mt) == 'table' and type(rawget(mt, '__methods')) == 'table' then
      classes[#classes + 1] = name
    end
  end
  table.sort(classes)
  for _, cname in ipairs(classes) do
    local methods = rawget(registry[cname], '__methods')
    parts[#parts + 1] = heading('Methods of `' .. cname .. '`')
    for _, k in ipairs(sorted_keys(methods)) do
      local help = lyra.doc(methods[k])
      if help then parts[#parts + 1] = entry(cname .. ':' .. k, help) end
    end
  end
  return table.concat(parts)
end

lyra.apidoc = lyra.def('lyra.apidoc', [[
lyra.apidoc() -> string
The Lua API reference as Markdown, generated from the help text (docs/lua-api.md).]], apidoc)
return apidoc
