-- The REPL's pretty-printer: nested tables with a depth limit, sorted keys,
-- arrays inline, cycles marked, colours only on a terminal (NO_COLOR honoured).
local lyra = lyra

local pretty = {
  depth = 3,        -- nesting levels shown before `{...}`
  maxitems = 50,    -- entries shown per table before `...`
  color = false,    -- set by the REPL when stdout is a terminal
}
lyra.pretty_options = pretty
lyra.setdoc(pretty, 'lyra.pretty_options', 'lyra.pretty_options: {depth =, maxitems =, color =} used by the REPL printer.')

local colors = {
  number = '\27[36m', string = '\27[32m', ['function'] = '\27[35m',
  userdata = '\27[31m', boolean = '\27[33m', ['nil'] = '\27[90m', reset = '\27[0m',
}

local function paint(kind, s)
  if pretty.color and colors[kind] then return colors[kind] .. s .. colors.reset end
  return s
end

local function is_identifier(k)
  return type(k) == 'string' and k:match('^[%a_][%w_]*$') ~= nil
end

local function scalar(v)
  local t = type(v)
  if t == 'string' then return paint('string', string.format('%q', v):gsub('\\\n', '\\n')) end
  if t == 'number' or t == 'boolean' or t == 'nil' then return paint(t, tostring(v)) end
  if t == 'userdata' then
    local mt = getmetatable(v)
    local short = type(mt) == 'table' and rawget(mt, '__tostring_short')
    if short then return paint('userdata', short(v)) end
    local ok, s = pcall(tostring, v)
    return paint('userdata', ok and s or '<userdata>')
  end
  return paint(t, tostring(v))
end

local function sorted_keys(t)
  local keys = {}
  local n = #t
  for k in pairs(t) do
    if not (math.type(k) == 'integer' and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  table.sort(keys, function(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return ta < tb end
    if ta == 'number' or ta == 'string' then return a < b end
    return tostring(a) < tostring(b)
  end)
  return keys, n
end

--- An object's own text (its __tostring) when it has one: a tensor's values, a module's
--- tree, a size's `2x3`; nil otherwise. Shown as is, not quoted: it is not a string.
local function own_text(v)
  local mt = getmetatable(v)
  if type(mt) ~= 'table' or not rawget(mt, '__tostring') then return nil end
  local ok, s = pcall(tostring, v)
  return ok and s or nil
end

local function render(v, depth, seen, indent, top)
  if type(v) ~= 'table' then
    -- At the top level an object shows itself in full (as print does, like Torch7's trepl);
    -- inside a table it keeps its one-line summary so the table stays readable.
    local full = top and type(v) == 'userdata' and own_text(v)
    if full then return full end
    return scalar(v)
  end
  local own = own_text(v)
  if own then return top and own or paint('userdata', own) end
  if seen[v] then return '<cycle>' end
  if depth <= 0 then return '{...}' end
  seen[v] = true
  local keys, n = sorted_keys(v)
  local parts, count, simple = {}, 0, true
  for i = 1, n do
    count = count + 1
    if count > pretty.maxitems then parts[#parts + 1] = '...' break end
    local x = v[i]
    if type(x) == 'table' then simple = false end
    parts[#parts + 1] = render(x, depth - 1, seen, indent .. '  ')
  end
  for _, k in ipairs(keys) do
    count = count + 1
    if count > pretty.maxitems then parts[#parts + 1] = '...' break end
    local x = rawget(v, k)
    if type(x) == 'table' then simple = false end
    local key = is_identifier(k) and k or ('[' .. scalar(k) .. ']')
    parts[#parts + 1] = key .. ' = ' .. render(x, depth - 1, seen, indent .. '  ')
  end
  seen[v] = nil
  if #parts == 0 then return '{}' end
  local line = '{' .. table.concat(parts, ', ') .. '}'
  if #line <= 78 and not line:find('\n') then return line end
  return '{\n' .. indent .. '  ' .. table.concat(parts, ',\n' .. indent .. '  ') .. '\n' .. indent .. '}'
end

--- lyra.pretty(value [, depth]) -> string
function lyra.pretty(v, depth)
  return render(v, depth or pretty.depth, {}, '', true)
end
lyra.setdoc(lyra.pretty, 'lyra.pretty', [[
lyra.pretty(value [, depth]) -> string
The REPL's rendering of a value: an object (a tensor, a module) in full as print shows
it, tensors past 1000 elements summarised with ...; nested tables up to `depth` levels
(default 3), keys sorted, cycles shown as <cycle>, objects inside tables on one line
(lyra.FloatTensor - size: 2x3).]])

--- lyra.setprintlevel(n): how deep the REPL prints nested tables.
function lyra.setprintlevel(n)
  assert(math.type(n) == 'integer' and n >= 0, 'lyra.setprintlevel: level must be a non-negative integer')
  pretty.depth = n
end
lyra.setdoc(lyra.setprintlevel, 'lyra.setprintlevel', [[
lyra.setprintlevel(n)
Sets how many levels of nested tables the REPL prints (default 3).]])

return lyra.pretty
