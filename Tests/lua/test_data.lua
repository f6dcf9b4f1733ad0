-- lyra.data: datasets, the native and Lua loaders, transforms and augmentation.
local T = require 'lyra.test'

local function values(t) return t:float():totable() end

local function tmpcsv(n)
  local path = os.tmpname()
  local f = assert(io.open(path, 'w'))
  f:write('id,half,colour,label\n')
  for i = 1, n do f:write(string.format('%d,%g,%s,%d\n', i, i / 2, i % 2 == 0 and 'red' or 'blue', i % 3)) end
  f:close()
  return path
end

-- Runs one epoch and returns the batch sizes and the ids seen (first feature = id).
local function epoch(loader)
  local sizes, ids = {}, {}
  for x, y in loader:iter() do
    sizes[#sizes + 1] = x:size()[1]
    T.eq(y:size(), { x:size()[1] })
    for _, row in ipairs(values(x)) do ids[#ids + 1] = row[1] end
  end
  return sizes, ids
end

local function sorted(t)
  local c = { table.unpack(t) }
  table.sort(c)
  return c
end

local function range(n)
  local r = {}
  for i = 1, n do r[i] = i end
  return r
end

T.case('data: fashion_mnist sizes, labels 1..10, first image values', function()
  local train = lyra.data.fashion_mnist { split = 'train' }
  local test = lyra.data.fashion_mnist { split = 'test' }
  T.eq(#train, 60000)
  T.eq(test:size(), 10000)
  T.eq(train:sample_shape(), { 1, 28, 28 })
  T.eq(#train:classes(), 10)
  local x, y = train:get(1)
  T.eq(x:size(), { 1, 28, 28 })
  T.eq(y, 10) -- the first training image is an ankle boot (0-based label 9)
  T.eq(train:classes()[y], 'Ankle boot')
  T.eq(select(2, train:get(2)), 1) -- T-shirt/top
  local raw = lyra.data.fashion_mnist { normalize = false }
  local r = raw:get(1)
  T.eq(r:sum():item(), 76247) -- sum of the first image's bytes in the IDX file
  T.eq(r[{ 1, 15, 15 }], 217) -- byte 407 (row 15, column 15)
  T.near(x[{ 1, 15, 15 }], (217 / 255 - 0.2860) / 0.3530, 1e-5, 'normalised as models.md')
  T.near(x[{ 1, 1, 1 }], (0 - 0.2860) / 0.3530, 1e-5)
  local t1 = lyra.data.fashion_mnist { split = 'test', normalize = false }:get(1)
  T.eq(t1:sum():item(), 33456)
  T.eq(t1[{ 1, 8, 20 }], 3)
  local labels = {}
  for i = 1, 200 do
    local _, l = test:get(i)
    T.ok(l >= 1 and l <= 10, 'label ' .. l)
    labels[l] = true
  end
  T.eq(#labels, 10)
end)

T.case('data: dataset errors name the function, the file or the index', function()
  local ds = lyra.data.fashion_mnist { split = 'test' }
  T.raises("bad argument #2 to 'lyra.data.Dataset:get' (index 0 out of range 1..10000)", ds.get, ds, 0)
  T.raises("bad argument #2 to 'lyra.data.Dataset:get' (number expected, got string)", ds.get, ds, 'x')
  T.raises("lyra.data.fashion_mnist: split must be 'train' or 'test', got 'val'", lyra.data.fashion_mnist, { split = 'val' })
  T.raises("unknown option 'splt' (did you mean 'split'?)", lyra.data.fashion_mnist, { splt = 'test' })
  T.raises('/nonexistent/t10k-images-idx3-ubyte', lyra.data.fashion_mnist, { split = 'test', root = '/nonexistent' })
  T.raises("bad argument #1 to 'lyra.data.csv' (string expected, got number)", lyra.data.csv, 1, {})
  T.raises("option 'label' (the label column) is required", lyra.data.csv, 'x.csv', {})
  T.raises('lyra.data.cifar10: give files', lyra.data.cifar10, {})
end)

T.case('data: csv dataset and the native loader cover every index once per epoch', function()
  local path = tmpcsv(10)
  local ds = lyra.data.csv(path, { label = 'label' })
  os.remove(path)
  T.eq(#ds, 10)
  T.eq(ds:classes(), { '0', '1', '2' })
  local x, y = ds:get(4)
  T.eq(values(x), { 4, 2, 1 }) -- id, half, colour code (blue = 0, red = 1)
  T.eq(y, 2)                   -- 4 % 3 = 1, 1-based 2

  local loader = lyra.data.loader(ds, { batch_size = 4, shuffle = true, seed = 7 })
  T.eq(#loader, 3)
  T.eq(loader:size(), 3)
  local sizes, ids1 = epoch(loader)
  T.eq(sizes, { 4, 4, 2 })
  T.eq(sorted(ids1), range(10))
  local _, ids2 = epoch(loader)
  T.eq(sorted(ids2), range(10))
  T.ok(table.concat(ids1, ',') ~= table.concat(ids2, ','), 'epochs reshuffle')
  T.eq(loader:epoch(), 2)
  local again = lyra.data.loader(ds, { batch_size = 4, shuffle = true, seed = 7 })
  T.eq(select(2, epoch(again)), ids1, 'same seed, same order')
  local plain = lyra.data.loader(ds, { batch_size = 3, drop_last = true, prefetch = 0 })
  sizes, ids1 = epoch(plain)
  T.eq(sizes, { 3, 3, 3 })
  T.eq(ids1, range(9))
  for xb, yb in lyra.data.loader(ds, { batch_size = 10 }):iter() do
    T.eq(xb:type(), 'lyra.FloatTensor')
    T.eq(yb:type(), 'lyra.IntTensor')
    T.eq(values(yb), { 2, 3, 1, 2, 3, 1, 2, 3, 1, 2 })
  end
end)

T.case('data: fashion loader shapes, dtypes, drop_last, early break', function()
  local ds = lyra.data.fashion_mnist { split = 'test' }
  local loader = lyra.data.loader(ds, { batch_size = 128, shuffle = true })
  T.eq(#loader, 79)
  T.eq(#lyra.data.loader(ds, { batch_size = 128, drop_last = true }), 78)
  local n = 0
  for x, y in loader:iter() do
    n = n + 1
    T.eq(x:size(), { 128, 1, 28, 28 })
    T.eq(y:size(), { 128 })
    T.eq(y:type(), 'lyra.IntTensor')
    T.ok(y:min():item() >= 1 and y:max():item() <= 10)
    if n == 2 then break end -- closes the iterator: the prefetch thread stops
  end
  T.eq(n, 2)
  local last
  for x in lyra.data.loader(ds:subset(range(300)), { batch_size = 128 }):iter() do last = x:size()[1] end
  T.eq(last, 300 - 256)
  -- an iterator used by hand and dropped is released by the collector
  local f, it = loader:iter()
  T.eq(f(it):size(), { 128, 1, 28, 28 })
  it:free()
  collectgarbage()
end)

T.case('data: a dataset written in Lua goes through the loader', function()
  local ds = {}
  function ds:size() return 10 end
  function ds:get(i) return lyra.full({ 2, 3 }, i), (i - 1) % 4 + 1 end
  local loader = lyra.data.loader(ds, { batch_size = 4, shuffle = true, seed = 3 })
  T.eq(#loader, 3)
  local seen, sizes = {}, {}
  for x, y in loader:iter() do
    T.eq(x:size()[2], 2)
    T.eq(y:type(), 'lyra.IntTensor')
    sizes[#sizes + 1] = x:size()[1]
    for k, row in ipairs(values(x)) do
      local i = row[1][1]
      seen[#seen + 1] = i
      T.eq(values(y)[k], (i - 1) % 4 + 1)
    end
  end
  T.eq(sizes, { 4, 4, 2 })
  T.eq(sorted(seen), range(10))
  T.eq(seen, lyra.data.epoch_order(10, 3, 0), 'the native loader\'s order')
  -- a Lua function transform, applied per sample
  local doubled = lyra.data.loader(ds, { batch_size = 10, transform = function(x) return x * 2 end })
  for x in doubled:iter() do T.eq(x[{ 3, 1, 1 }], 6) end
  T.raises('lyra.data.loader: a Lua dataset needs methods size() and get(i)', lyra.data.loader, {})
  T.raises("lyra.data.loader: unknown option 'shuffel'", lyra.data.loader, ds, { shuffel = true })
  local bad = { size = function() return 1 end, get = function() error('broken sample') end }
  T.raises('broken sample', function() for _ in lyra.data.loader(bad):iter() do end end)
end)

T.case('augment: ops change images and keep shapes; errors for unknown ops', function()
  local ops = lyra.data.augment_ops()
  T.ok(#ops >= 16, 'ops ' .. #ops)
  local raw = lyra.data.fashion_mnist { split = 'test', normalize = false }
  local x = raw:get(1)
  for _, name in ipairs(ops) do
    local y = lyra.data.augment { { name, 1.0, 9 } }:apply(x, 1)
    T.eq(y:size(), { 1, 28, 28 }, name)
  end
  for _, name in ipairs { 'Rotate', 'Cutout', 'Invert', 'ShearX', 'TranslateY', 'Flip', 'Solarize' } do
    local y = lyra.data.augment { { name, 1.0, 9 } }:apply(x, 1)
    T.ok((y - x):abs():sum():item() > 0, name .. ' changes the image')
  end
  T.eq(values(lyra.data.augment { { 'Rotate', 0.0, 9 } }:apply(x)), values(x), 'probability 0 keeps it')
  T.raises("lyra.data.augment: unknown augmentation op 'Rotat'; known ops: AutoContrast", lyra.data.augment, { { 'Rotat', 0.5, 3 } })
  T.raises('magnitude must be in [0, 10], got 11', lyra.data.augment, { { 'Rotate', 0.5, 11 } })
  T.raises('step 1 must be {op name, probability, magnitude}', lyra.data.augment, { { 'Rotate' } })
  T.raises('augmentation takes images [C, H, W] with 1 or 3 channels', function()
    lyra.data.augment { { 'Rotate', 1, 3 } }:apply(lyra.zeros(5))
  end)
end)

T.case('transforms: normalize on raw pixels equals the normalised dataset; augment normalises after', function()
  local ds = lyra.data.fashion_mnist { split = 'test' }:subset(range(64))
  local raw = lyra.data.fashion_mnist { split = 'test', normalize = false }:subset(range(64))
  local function first(loader) for x in loader:iter() do return x end end
  local a = first(lyra.data.loader(ds, { batch_size = 64 }))
  local b = first(lyra.data.loader(raw, { batch_size = 64, transform = lyra.data.normalize(0.2860, 0.3530) }))
  T.ok((a - b):abs():max():item() < 1e-5, 'normalize')
  -- an augmentation that changes nothing: the loader reads raw pixels, then normalises
  local c = first(lyra.data.loader(ds, { batch_size = 64, transform = lyra.data.augment { { 'Identity', 1, 0 } } }))
  T.ok((a - c):abs():max():item() < 1e-5, 'augment then normalize')
  local d = first(lyra.data.loader(ds, { batch_size = 64, transform = lyra.data.augment { { 'Cutout', 1, 8 } } }))
  T.ok((a - d):abs():max():item() > 0.5, 'cutout changes the batch')
  T.ok(d:min():item() >= (0 - 0.2860) / 0.3530 - 1e-4, 'still normalised')
  T.raises('already normalised', lyra.data.loader, ds, { transform = lyra.data.normalize(0.5, 0.5) })
  T.raises('normalize has 3 channel statistics, samples of [1, 28, 28] have 1 channels', lyra.data.loader, raw,
    { transform = lyra.data.normalize({ 0.5, 0.5, 0.5 }, { 1, 1, 1 }) })
  T.raises('3 means but 2 stds', lyra.data.normalize, { 1, 2, 3 }, { 1, 2 })
  T.raises("bad argument #2 to 'lyra.data.normalize' (std must be positive)", lyra.data.normalize, 0.5, 0)
  local t = lyra.data.compose { lyra.data.augment { { 'Flip', 1, 0 } }, lyra.data.normalize(0.5, 0.5) }
  T.ok(tostring(t):find('compose{augment', 1, true), tostring(t))
  T.raises('item 2 is not a lyra.data.Transform', lyra.data.compose, { t, 3 })
end)

T.case('data: breaking out of the loop stops the prefetch thread at once', function()
  local function threads()
    local f = io.open('/proc/self/status')
    if not f then return nil end
    local s = f:read('a')
    f:close()
    return tonumber(s:match('Threads:%s*(%d+)'))
  end
  local before = threads()
  if not before then return end -- not Linux
  local loader = lyra.data.loader(lyra.data.fashion_mnist { split = 'test' }, { batch_size = 16, prefetch = 2 })
  for _ = 1, 20 do
    for x in loader:iter() do break end -- the to-be-closed iterator is closed here
  end
  -- cancel() returns once each producer has left its loop; the OS thread ends just after.
  -- Wait for that event (bounded generously, so only a real leak of 20 threads fails).
  local deadline = lyra.clock() + 30
  while threads() > before and lyra.clock() < deadline do lyra.sleep(0.01) end
  T.ok(threads() <= before, 'threads ' .. before .. ' -> ' .. threads())
end)
