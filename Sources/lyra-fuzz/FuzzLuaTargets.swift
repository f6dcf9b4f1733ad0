/// The fuzz targets that enter through Lua, as a chunk returning `{target = function(bytes, dir)}`.
///
/// Every call that may raise is under pcall: errors are the expected answer to hostile
/// input, so only a crash or a hang of the process counts. After a reader succeeds, the
/// result is used the way a script would (indexing, select, printing), because several
/// of issue 14's bugs only showed when a wrongly sized tensor was touched.
enum FuzzLuaTargets {
  static let source = #"""
  local T = {}

  local function write(dir, name, bytes)
    local p = dir .. '/' .. name
    local f = assert(io.open(p, 'wb'))
    f:write(bytes)
    f:close()
    return p
  end

  -- Touches a tensor the ways that went wrong before: printing, reductions, indexing,
  -- select, view, and a write at the first and last element.
  local function touch(t)
    if type(t) ~= 'userdata' then return end
    pcall(tostring, t)
    pcall(function() return t:numel() end)
    pcall(function() return t:sum() end)
    pcall(function() return t:select(1, 1) end)
    pcall(function() return t:view(-1) end)
    pcall(function() return t[1] end)
    pcall(function() local v = t:view(-1); v[1] = 5; v[v:numel()] = 5 end)
  end

  T.safetensors = function(bytes, dir)
    local ok, ts = pcall(lyra.load, write(dir, 'input.safetensors', bytes))
    if ok and type(ts) == 'table' then for _, t in pairs(ts) do touch(t) end end
  end

  T.pth = function(bytes, dir)
    local ok, ts = pcall(lyra.load_pth, write(dir, 'input.pth', bytes))
    if ok and type(ts) == 'table' then for _, t in pairs(ts) do touch(t) end end
  end

  T.desc = function(bytes)
    local ok, d = pcall(lyra.json.decode, bytes)
    if not ok then return end
    local okm, m = pcall(lyra.nn.build, d)
    if not okm then return end
    pcall(tostring, m)
    for _, sizes in ipairs({{1, 1, 8, 8}, {1, 3, 8, 8}, {1, 8}}) do
      pcall(function() return m:profile(sizes) end)
    end
  end

  T.csv = function(bytes, dir)
    local p = write(dir, 'input.csv', bytes)
    for _, opts in ipairs({{label = 'label'}, {label = 'y', delimiter = ';'}}) do
      local ok, ds = pcall(lyra.data.csv, p, opts)
      if ok then
        pcall(function() return #ds end)
        pcall(function() return ds:sample_shape() end)
        pcall(function() local x = ds:get(1); touch(x) end)
        pcall(function() local x = ds:get(#ds); touch(x) end)
      end
    end
  end

  -- The input is the images file (idx3) or, when its magic says idx1, the labels file;
  -- the other one is made valid, with the count the input claims (at most 1000). A gzip
  -- input is the train split's .gz (the reader prefers .gz); plain inputs use the test
  -- split, which never has a .gz here, so no earlier input is read instead.
  T.idx = function(bytes, dir)
    local function be32(n) return string.char(n >> 24 & 255, n >> 16 & 255, n >> 8 & 255, n & 255) end
    local claimed = #bytes >= 8 and (bytes:byte(5) << 24 | bytes:byte(6) << 16 | bytes:byte(7) << 8 | bytes:byte(8)) or 1
    if claimed > 1000 then claimed = 1 end
    local images = '\0\0\8\3' .. be32(claimed) .. be32(2) .. be32(2) .. string.rep('\0', 4 * claimed)
    local labels = '\0\0\8\1' .. be32(claimed) .. string.rep('\1', claimed)
    local split = 'test'
    if bytes:sub(1, 2) == '\31\139' then
      split = 'train'
      write(dir, 'train-images-idx3-ubyte.gz', bytes)
      write(dir, 'train-labels-idx1-ubyte', labels)
    elseif #bytes >= 4 and bytes:byte(3) == 8 and bytes:byte(4) == 1 then
      write(dir, 't10k-labels-idx1-ubyte', bytes)
      write(dir, 't10k-images-idx3-ubyte', images)
    else
      write(dir, 't10k-images-idx3-ubyte', bytes)
      write(dir, 't10k-labels-idx1-ubyte', labels)
    end
    local ok, ds = pcall(lyra.data.mnist, {split = split, root = dir})
    if ok then
      pcall(function() return #ds end)
      pcall(function() local x = ds:get(1); touch(x) end)
      pcall(function() local x = ds:get(#ds); touch(x) end)
    end
  end

  T.json = function(bytes)
    local ok, v = pcall(lyra.json.decode, bytes)
    if ok then pcall(lyra.json.encode, v) end
  end

  -- lua-api: the bytes are a program. Each step picks a function of lyra.* or a method of
  -- a value made earlier, and arguments: boundary numbers (0, -1, 2^31, 2^62, inf, nan),
  -- small integers, tensors of every rank including 0-dim, strings, tables, functions,
  -- earlier results. Functions that wait, spawn, download or write outside are left out.
  local skip = {sleep = true, pipeline = true, mnist = true, fashion_mnist = true, cifar10 = true,
    native_loader = true, bench = true, latency = true, dir = true, show = true, repl = true,
    test = true, run = true, worker = true, doc = true, help = true, apidoc = true}
  local functions, names = {}, {}
  local function collect(t, prefix, depth, seen)
    if seen[t] or depth > 2 then return end
    seen[t] = true
    for k, v in pairs(t) do
      if type(k) == 'string' and not skip[k] then
        if type(v) == 'function' then names[#names + 1] = prefix .. k; functions[prefix .. k] = v
        elseif type(v) == 'table' then collect(v, prefix .. k .. '.', depth + 1, seen) end
      end
    end
  end
  local api_ready = false
  local function prepare()
    if api_ready then return end
    collect(lyra, 'lyra.', 1, {})
    table.sort(names)
    api_ready = true
  end
  local numbers = {0, 1, -1, 2, 3, 0.5, -0.0, 2^31, 2^31 - 1, 2^32, 2^53, 2^62, -2^62, math.maxinteger,
    math.mininteger, 1e12, 1e308, 1 / 0, -1 / 0, 0 / 0, 1 << 62, -(1 << 31)}
  local strings = {'', 'x', 'sum', 'mean', 'none', 'float', 'int', 'relu', 'sgd', 'adam', 'auto', 'train',
    'cpu', '%s%s%s', ('a'):rep(1000)}

  T['lua-api'] = function(bytes)
    prepare()
    local pos = 0
    local function byte()
      pos = pos + 1
      return bytes:byte(pos) or 0
    end
    local values = {}
    local function tensor()
      local k = byte() % 8
      if k == 0 then return lyra.zeros(1) end
      local ok, t = pcall(function()
        if k == 1 then return lyra.tensor(byte() - 128) end                  -- 0-dim
        if k == 2 then return lyra.zeros(byte() % 4) end                     -- maybe empty
        if k == 3 then return lyra.tensor({{1, 2}, {3, 4}}) end
        if k == 4 then return lyra.zeros(1, byte() % 3 + 1, byte() % 5 + 1, byte() % 5 + 1) end
        if k == 5 then return lyra.zeros(2, 3):int() end
        if k == 6 then return lyra.tensor({1, 2, 3}) end
        return lyra.zeros(2, 0)
      end)
      return ok and t or lyra.zeros(1)
    end
    local value
    function value(depth)
      local k = byte() % 10
      if k == 0 then return numbers[byte() % #numbers + 1] end
      if k == 1 then return byte() - 128 end
      if k == 2 then return tensor() end
      if k == 3 then return strings[byte() % #strings + 1] end
      if k == 4 and depth < 2 then
        local t = {}
        for i = 1, byte() % 4 do t[i] = value(depth + 1) end
        if byte() % 2 == 0 then t[strings[byte() % #strings + 1]] = value(depth + 1) end
        return t
      end
      if k == 5 then return nil end
      if k == 6 then return byte() % 2 == 0 end
      if k == 7 and #values > 0 then return values[byte() % #values + 1] end
      if k == 8 then return function(...) return ... end end
      local ok, m = pcall(lyra.nn.Linear, 2, 2)
      return ok and m or 0
    end
    -- LYRA_FUZZ_TRACE=1 (with replay) prints each call before it is made: the last line
    -- before a crash names the function and its arguments.
    local trace = os.getenv('LYRA_FUZZ_TRACE') == '1'
    local function show(name, args, n)
      if not trace then return end
      local parts = {}
      for i = 1, n do
        local a = args[i]
        parts[i] = type(a) == 'string' and string.format('%q', a:sub(1, 20)) or tostring(a):gsub('\n', ' '):sub(1, 40)
      end
      io.stderr:write('call ', name, '(', table.concat(parts, ', '), ')\n')
      io.stderr:flush()
    end
    local steps = 0
    while pos < #bytes and steps < 64 do
      steps = steps + 1
      local n = byte() % 4
      local args = {}
      for i = 1, n do args[i] = value(0) end
      local ok, r
      if byte() % 2 == 0 or #values == 0 then
        local name = names[(byte() << 8 | byte()) % #names + 1]
        show(name, args, n)
        ok, r = pcall(functions[name], table.unpack(args, 1, n))
      else
        local self = values[byte() % #values + 1]
        local mt = getmetatable(self)
        local methods = type(mt) == 'table' and type(mt.__methods) == 'table' and mt.__methods
        if methods then
          local list = {}
          for k in pairs(methods) do if not skip[k] then list[#list + 1] = k end end
          table.sort(list)
          if #list > 0 then
            local name = list[(byte() << 8 | byte()) % #list + 1]
            show(tostring(self):gsub('\n', ' '):sub(1, 30) .. ':' .. name, args, n)
            ok, r = pcall(methods[name], self, table.unpack(args, 1, n))
          end
        end
      end
      if ok and r ~= nil then
        if #values >= 16 then table.remove(values, 1) end
        values[#values + 1] = r
      end
    end
  end

  return T
  """#
}
