-- docs/lua-api.md is generated from the help text; it must be up to date.
local T = require 'lyra.test'

T.case('docs/lua-api.md matches the help text (run scripts/gen-api-doc)', function()
  local here = debug.getinfo(1, 'S').source:match('^@(.*)/[^/]*$') or '.'
  local f = assert(io.open(here .. '/../../docs/lua-api.md'), 'docs/lua-api.md is missing: run scripts/gen-api-doc')
  local text = f:read('a')
  f:close()
  local fresh = lyra.apidoc()
  if text ~= fresh then
    -- name the first differing line to make the failure useful
    local n = 1
    local la, lb = {}, {}
    for l in (text .. '\n'):gmatch('([^\n]*)\n') do la[#la + 1] = l end
    for l in (fresh .. '\n'):gmatch('([^\n]*)\n') do lb[#lb + 1] = l end
    while la[n] == lb[n] and n <= #la do n = n + 1 end
    error(('docs/lua-api.md is stale at line %d: file has %q, help gives %q; run scripts/gen-api-doc'):format(n, la[n] or '', lb[n] or ''))
  end
end)

T.case('every function under lyra has help text', function()
  local missing, seen = {}, {}
  local function walk(t, path)
    if seen[t] then return end
    seen[t] = true
    for k, v in pairs(t) do
      if type(k) == 'string' and not k:match('^_') then
        if type(v) == 'function' and not lyra.doc(v) then missing[#missing + 1] = path .. '.' .. k end
        if type(v) == 'table' and k ~= 'pretty_options' then walk(v, path .. '.' .. k) end
      end
    end
  end
  walk(lyra, 'lyra')
  table.sort(missing)
  T.eq(missing, {})
end)
