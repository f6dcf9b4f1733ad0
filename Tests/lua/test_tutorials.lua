-- Tutorial 1 rendered to .ipynb: the file is nbformat 4.5 (the structure Jupyter's
-- schema requires) and holds the tutorial's cells with their real outputs.
-- (scripts/test also runs every tutorial with `lyra notebook --check`.)
local T = require 'lyra.test'

local root = (arg[0]:match('^(.*)/[^/]*$') or '.') .. '/../..'
local tutorial = root .. '/docs/tutorials/01_tensors_and_a_first_model.lua'

-- A small JSON reader (objects, arrays, strings with escapes, numbers, true/false/null).
local NULL = setmetatable({}, {__tostring = function() return 'null' end})
local function decode(text)
  local pos = 1
  local function fail(what) error(('json: %s at byte %d'):format(what, pos)) end
  local function skip() pos = text:find('[^ \t\r\n]', pos) or #text + 1 end
  local value
  local function str()
    local out = {}
    pos = pos + 1
    while true do
      local c = text:sub(pos, pos)
      if c == '' then fail('unterminated string') end
      if c == '"' then pos = pos + 1 return table.concat(out) end
      if c == '\\' then
        local e = text:sub(pos + 1, pos + 1)
        local simple = {['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t'}
        if simple[e] then out[#out + 1] = simple[e]; pos = pos + 2
        elseif e == 'u' then
          local cp = tonumber(text:sub(pos + 2, pos + 5), 16) or fail('bad \\u escape')
          if cp >= 0xD800 and cp <= 0xDBFF and text:sub(pos + 6, pos + 7) == '\\u' then
            local lo = tonumber(text:sub(pos + 8, pos + 11), 16) or fail('bad surrogate')
            cp = 0x10000 + (cp - 0xD800) * 0x400 + (lo - 0xDC00)
            pos = pos + 6
          end
          out[#out + 1] = utf8.char(cp); pos = pos + 6
        else fail('bad escape') end
      else
        local j = text:find('["\\]', pos) or fail('unterminated string')
        out[#out + 1] = text:sub(pos, j - 1); pos = j
      end
    end
  end
  function value()
    skip()
    local c = text:sub(pos, pos)
    if c == '{' then
      local o = {}
      pos = pos + 1; skip()
      if text:sub(pos, pos) == '}' then pos = pos + 1 return o end
      while true do
        skip()
        if text:sub(pos, pos) ~= '"' then fail('expected a key') end
        local k = str(); skip()
        if text:sub(pos, pos) ~= ':' then fail('expected :') end
        pos = pos + 1
        o[k] = value(); skip()
        local d = text:sub(pos, pos); pos = pos + 1
        if d == '}' then return o elseif d ~= ',' then fail('expected , or }') end
      end
    elseif c == '[' then
      local a = {}
      pos = pos + 1; skip()
      if text:sub(pos, pos) == ']' then pos = pos + 1 return a end
      while true do
        a[#a + 1] = value(); skip()
        local d = text:sub(pos, pos); pos = pos + 1
        if d == ']' then return a elseif d ~= ',' then fail('expected , or ]') end
      end
    elseif c == '"' then return str()
    elseif text:sub(pos, pos + 3) == 'true' then pos = pos + 4 return true
    elseif text:sub(pos, pos + 4) == 'false' then pos = pos + 5 return false
    elseif text:sub(pos, pos + 3) == 'null' then pos = pos + 4 return NULL
    else
      local num = text:match('^-?%d+%.?%d*[eE]?[-+]?%d*', pos) or fail('unexpected character')
      pos = pos + #num
      return math.tointeger(tonumber(num)) or tonumber(num)
    end
  end
  local v = value(); skip()
  if pos <= #text then fail('trailing text') end
  return v
end

local function text_of(v) return type(v) == 'table' and table.concat(v) or v end
local function is_lines(v)
  if type(v) == 'string' then return true end
  if type(v) ~= 'table' then return false end
  for _, s in ipairs(v) do if type(s) ~= 'string' then return false end end
  return true
end

T.case('tutorial 1 renders to a valid nbformat 4.5 notebook with its outputs', function()
  local dir = os.tmpname()
  os.remove(dir)
  local cmd = ('"%s" notebook "%s" --to ipynb -o "%s" --check 2>&1'):format(arg[-1], tutorial, dir)
  local p = io.popen(cmd)
  local log = p:read('a')
  local ok = p:close()
  T.ok(ok, 'lyra notebook failed:\n' .. log)
  local f = assert(io.open(dir .. '/01_tensors_and_a_first_model.ipynb'))
  local nb = decode(f:read('a'))
  f:close()
  os.execute('rm -rf "' .. dir .. '"')

  T.eq(nb.nbformat, 4)
  T.ok(math.type(nb.nbformat_minor) == 'integer' and nb.nbformat_minor >= 5, 'cell ids need nbformat 4.5')
  T.eq(nb.metadata.language_info.name, 'lua')
  T.eq(type(nb.metadata.kernelspec.name), 'string')
  T.eq(nb.metadata.lyra.failed, false)

  -- The source's cells, in order: what each marker says it is.
  local src = assert(io.open(tutorial)):read('a')
  local kinds = {}
  for line in (src .. '\n'):gmatch('([^\n]*)\n') do
    local marker = line:match('^%-%- %%%%(.*)')
    if marker then kinds[#kinds + 1] = marker:find('[markdown]', 1, true) and 'markdown' or 'code' end
  end
  T.eq(#nb.cells, #kinds, 'one notebook cell per -- %% marker')

  local ids, allowed = {}, {stream = true, display_data = true, execute_result = true, error = true}
  local count, svg, skipped, streams = 0, 0, 0, {}
  for i, c in ipairs(nb.cells) do
    T.eq(c.cell_type, kinds[i], 'cell ' .. i)
    T.ok(type(c.id) == 'string' and c.id:match('^[%w_-]+$') and #c.id <= 64 and not ids[c.id], 'cell id ' .. tostring(c.id))
    ids[c.id] = true
    T.eq(type(c.metadata), 'table')
    T.ok(is_lines(c.source), 'source is text')
    if c.cell_type == 'code' then
      T.eq(type(c.outputs), 'table')
      if c.execution_count == NULL then
        T.eq(#c.outputs, 0, 'a cell that did not run has no outputs')
        T.eq(c.metadata.tags[1], 'skip')
        skipped = skipped + 1
      else
        count = count + 1
        T.eq(c.execution_count, count, 'execution counts run 1, 2, ...')
      end
      for _, o in ipairs(c.outputs) do
        T.ok(allowed[o.output_type], 'output_type ' .. tostring(o.output_type))
        T.ok(o.output_type ~= 'error', 'no cell failed')
        if o.output_type == 'stream' then
          T.ok(o.name == 'stdout' or o.name == 'stderr')
          T.ok(is_lines(o.text))
          streams[#streams + 1] = text_of(o.text)
        else
          T.eq(type(o.data), 'table')
          T.eq(type(o.metadata), 'table')
          T.ok(is_lines(o.data['text/plain']), 'every rich output has a text/plain form')
          if o.data['image/svg+xml'] then
            T.ok(text_of(o.data['image/svg+xml']):find('<svg', 1, true), 'an SVG picture')
            svg = svg + 1
          end
          if o.output_type == 'execute_result' then T.eq(o.execution_count, c.execution_count) end
        end
      end
    else
      T.eq(c.outputs, nil)
      T.eq(c.execution_count, nil)
    end
  end
  T.eq(skipped, 1, 'the CNN cell is tagged skip')
  T.ok(svg >= 4, 'two image grids and two charts, got ' .. svg)
  local all = table.concat(streams, '\n')
  T.ok(all:find('epoch 8: mean training loss', 1, true), 'the training loop ran all 8 epochs')
  local acc = tonumber(all:match('epoch 8: mean training loss [%d.]+, test accuracy ([%d.]+)'))
  T.ok(acc and acc > 0.5, 'the MLP learned something: ' .. tostring(acc))
end)
