-- Rich display. lyra.mime(value) gives a value's formats (a "MIME bundle", as Jupyter
-- calls it); display(value) shows it: in a notebook as a rich output (an SVG plot, a
-- PNG picture, an HTML table), elsewhere as text, a plot being written to an SVG file
-- whose path is printed with a terminal sketch.
--
-- A class takes part through its metatable: __display(v) returns a bundle, or any of
-- __repr_svg, __repr_png (base64 text), __repr_html, __repr_md return one format.
local lyra = lyra

local reprs = {
  {'__repr_svg', 'image/svg+xml'}, {'__repr_png', 'image/png'},
  {'__repr_html', 'text/html'}, {'__repr_md', 'text/markdown'},
}

--- The text form: objects with __tostring in full (a tensor's values, as print shows
--- them), everything else as the REPL's pretty-printer writes it.
local function plain(...)
  local out = {}
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    local mt = getmetatable(v)
    if (type(v) == 'userdata' or type(v) == 'table') and type(mt) == 'table' and rawget(mt, '__tostring') then
      out[i] = tostring(v)
    else
      out[i] = lyra.pretty(v)
    end
  end
  return table.concat(out, '\t')
end

local function class_name(v)
  local mt = getmetatable(v)
  return type(mt) == 'table' and rawget(mt, '__name') or nil
end

--- A tensor shaped like pictures: [C,H,W] or [N,C,H,W] with C = 1 or 3 and sides >= 8.
--- A matrix [H,W] stays text; display(lyra.plot.image(m)) draws it.
local function is_image(t)
  if class_name(t) ~= 'lyra.Tensor' then return false end
  local s = t:size()
  if #s == 3 then return (s[1] == 1 or s[1] == 3) and s[2] >= 8 and s[3] >= 8 end
  if #s == 4 then return s[1] >= 1 and (s[2] == 1 or s[2] == 3) and s[3] >= 8 and s[4] >= 8 end
  return false
end

local function cell_text(v)
  if math.type(v) == 'float' then return string.format('%.6g', v) end
  if type(v) == 'string' then return v end
  return lyra.pretty(v, 1)
end

local function is_scalar(v)
  local t = type(v)
  return t == 'number' or t == 'string' or t == 'boolean'
end

--- Rows and column names when `t` reads as a table: an array of records (string keys)
--- or of arrays, or a flat record ({name = value}); nil otherwise.
local function tabular(t)
  local n = #t
  local columns, rows = {}, {}
  if n == 0 then
    local keys = {}
    for k, v in pairs(t) do
      if type(k) ~= 'string' or not is_scalar(v) then return nil end
      keys[#keys + 1] = k
    end
    if #keys == 0 then return nil end
    table.sort(keys)
    for _, k in ipairs(keys) do rows[#rows + 1] = {k, cell_text(t[k])} end
    return {'key', 'value'}, rows
  end
  local seen, width = {}, 0
  for i = 1, n do
    local r = t[i]
    if type(r) ~= 'table' or getmetatable(r) then return nil end
    for k, v in pairs(r) do
      if not is_scalar(v) then return nil end
      if math.type(k) == 'integer' then width = math.max(width, k)
      elseif type(k) == 'string' then if not seen[k] then seen[k] = true columns[#columns + 1] = k end
      else return nil end
    end
  end
  table.sort(columns)
  for j = width, 1, -1 do table.insert(columns, 1, j) end
  local limit = lyra.pretty_options and lyra.pretty_options.maxitems or 50
  for i = 1, math.min(n, limit) do
    local row = {}
    for j, c in ipairs(columns) do row[j] = t[i][c] == nil and '' or cell_text(t[i][c]) end
    rows[#rows + 1] = row
  end
  local names = {}
  for j, c in ipairs(columns) do names[j] = tostring(c) end
  return names, rows, n - #rows
end

local function escape_html(s)
  return (s:gsub('&', '&amp;'):gsub('<', '&lt;'):gsub('>', '&gt;'):gsub('"', '&quot;'))
end

local function table_bundle(names, rows, more)
  local html = {'<table>', '<thead><tr>'}
  for _, c in ipairs(names) do html[#html + 1] = '<th>' .. escape_html(c) .. '</th>' end
  html[#html + 1] = '</tr></thead><tbody>'
  for _, r in ipairs(rows) do
    html[#html + 1] = '<tr>'
    for _, x in ipairs(r) do html[#html + 1] = '<td>' .. escape_html(x) .. '</td>' end
    html[#html + 1] = '</tr>'
  end
  html[#html + 1] = '</tbody></table>'
  local function md_row(r)
    local cells = {}
    for j, x in ipairs(r) do cells[j] = (x:gsub('|', '\\|'):gsub('\n', ' ')) end
    return '| ' .. table.concat(cells, ' | ') .. ' |'
  end
  local md = {md_row(names), '|' .. string.rep(' --- |', #names)}
  for _, r in ipairs(rows) do md[#md + 1] = md_row(r) end
  -- Plain text: columns padded to their widest cell.
  local widths = {}
  for j, c in ipairs(names) do widths[j] = utf8.len(c) or #c end
  for _, r in ipairs(rows) do
    for j, x in ipairs(r) do widths[j] = math.max(widths[j], utf8.len(x) or #x) end
  end
  local function pad_row(r)
    local cells = {}
    for j, x in ipairs(r) do cells[j] = x .. string.rep(' ', widths[j] - (utf8.len(x) or #x)) end
    return (table.concat(cells, '  '):gsub('%s+$', ''))
  end
  local text = {pad_row(names)}
  for _, r in ipairs(rows) do text[#text + 1] = pad_row(r) end
  if more and more > 0 then
    local note = ('... %d more rows'):format(more)
    html[#html + 1] = '<p>' .. note .. '</p>'
    md[#md + 1] = '\n' .. note
    text[#text + 1] = note
  end
  return {['text/html'] = table.concat(html), ['text/markdown'] = table.concat(md, '\n'), ['text/plain'] = table.concat(text, '\n')}
end

--- lyra.mime(value, ...) -> {[mime] = text}
function lyra.mime(...)
  if select('#', ...) ~= 1 then return {['text/plain'] = plain(...)} end
  local v = ...
  local mt = getmetatable(v)
  if type(mt) == 'table' and type(v) ~= 'string' then
    local f = rawget(mt, '__display')
    if f then
      local b = f(v)
      if type(b) ~= 'table' then error('lyra.mime: __display must return a table of formats, got ' .. type(b), 2) end
      b['text/plain'] = b['text/plain'] or plain(v)
      return b
    end
    local b
    for _, r in ipairs(reprs) do
      local g = rawget(mt, r[1])
      if g then b = b or {} b[r[2]] = tostring(g(v)) end
    end
    if b then
      b['text/plain'] = b['text/plain'] or plain(v)
      return b
    end
  end
  if is_image(v) then
    local png = lyra.plot.image(v):png()
    return {['image/png'] = png, ['text/plain'] = plain(v)}
  end
  if type(v) == 'table' and mt == nil then
    local names, rows, more = tabular(v)
    if names then return table_bundle(names, rows, more) end
  end
  return {['text/plain'] = plain(v)}
end
lyra.setdoc(lyra.mime, 'lyra.mime', [[
lyra.mime(value) -> {[mime type] = text}
The formats a value can be shown in: always 'text/plain' (tostring for objects, the REPL's
printer for the rest), plus 'image/svg+xml' for plots, 'image/png' (base64) for
image tensors ([C,H,W] or [N,C,H,W] with C = 1 or 3), 'text/html' and 'text/markdown' for
tables of records. A class adds its own through __display(v) (a whole table) or
__repr_svg/png/html/md in its metatable.]])

--- display(value, ...): shows each value as a rich output.
function lyra.display(...)
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    local sink = lyra._display_sink
    if sink then
      sink(lyra.mime(v))
    else
      if is_image(v) then v = lyra.plot.image(v) end -- a picture: to a file, sketched
      local mt = getmetatable(v)
      local show = type(mt) == 'table' and type(v) ~= 'string' and rawget(mt, '__show')
      if show then show(v) else print(lyra.mime(v)['text/plain']) end
    end
  end
end
lyra.setdoc(lyra.display, 'lyra.display', [[
display(value, ...)    (also lyra.display)
Shows each value. In a notebook (lyra notebook) it becomes a rich output: a plot as SVG,
an image tensor as a PNG picture, a table of records as a table. Elsewhere it prints the
value's text (see lyra.mime); a plot (or an image tensor) is written to an SVG file (see
lyra.plot.dir) and its path printed with a terminal sketch.]])

display = lyra.display
return lyra.display
