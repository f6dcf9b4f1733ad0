-- lyra.data sources for PyTorch users: TensorDataset, random_split, ImageFolder, cifar100.
local T = require 'lyra.test'

local function values(t) return t:float():totable() end

-- A fresh directory (removed by the caller with rmdir).
local function tmpdir()
  local d = os.tmpname()
  os.remove(d)
  assert(os.execute('mkdir -p "' .. d .. '"'))
  return d
end
local function rmdir(d) os.execute('rm -rf "' .. d .. '"') end
local function mkdir(d) assert(os.execute('mkdir -p "' .. d .. '"')) end
local function write(path, bytes)
  local f = assert(io.open(path, 'wb'))
  f:write(bytes)
  f:close()
  return path
end

-- x[i] = {i, 10 i}, y[i] = i % 3 + 1: each sample says which row it came from.
local function numbered(n)
  local rows, labels = {}, {}
  for i = 1, n do rows[i] = { i, 10 * i }; labels[i] = i % 3 + 1 end
  return lyra.tensor(rows), lyra.tensor(labels)
end

T.case('data: TensorDataset get/#/subset and the loader give x[i], y[i]', function()
  local x, y = numbered(7)
  local ds = lyra.data.TensorDataset(x, y)
  T.eq(#ds, 7)
  T.eq(ds:sample_shape(), { 2 })
  T.eq(ds:classes(), { '1', '2', '3' })
  for i = 1, 7 do
    local xi, yi = ds:get(i)
    T.eq(values(xi), { i, 10 * i })
    T.eq(yi, i % 3 + 1)
  end
  local sub = ds:subset({ 5, 2 })
  T.eq(values((sub:get(1))), { 5, 50 })
  T.eq(select(2, sub:get(2)), 3)
  local seen = {}
  for xb, yb in lyra.data.loader(ds, { batch_size = 3 }):iter() do
    local xr, yr = values(xb), yb:totable()
    for k = 1, #xr do
      local i = xr[k][1]
      T.eq(xr[k][2], 10 * i)
      T.eq(yr[k], i % 3 + 1)
      seen[#seen + 1] = i
    end
  end
  T.eq(seen, { 1, 2, 3, 4, 5, 6, 7 })
  -- Image-shaped samples keep their shape.
  local imgs = lyra.data.TensorDataset(lyra.zeros(4, 1, 2, 3), lyra.tensor({ 1, 1, 2, 2 }):int())
  T.eq(imgs:sample_shape(), { 1, 2, 3 })
end)

T.case('data: TensorDataset refuses mismatched or non-label y', function()
  local x = lyra.zeros(3, 2)
  T.raises('y must be a 1-D tensor of 3 labels', lyra.data.TensorDataset, x, lyra.tensor({ 1, 2 }))
  T.raises('y[2] = 1.5 is not a class label', lyra.data.TensorDataset, x, lyra.tensor({ 1, 1.5, 2 }))
  T.raises('y[3] = 0.0 is not a class label', lyra.data.TensorDataset, x, lyra.tensor({ 1, 2, 0 }))
  T.raises('y[1] = 1e+30 is not a class label', lyra.data.TensorDataset, x, lyra.tensor({ 1e30, 2, 1 }))
  T.raises('y[2] = 1.6777218e+07 is not a class label', lyra.data.TensorDataset, x, lyra.tensor({ 1, 16777218, 1 }))
  T.raises('nan is not a class label', lyra.data.TensorDataset, x, lyra.tensor({ 0 / 0, 1, 1 }))
end)

-- The ids (first feature) of every sample of each part.
local function ids(...)
  local out = {}
  for k, part in ipairs({ ... }) do
    out[k] = {}
    for i = 1, #part do out[k][i] = values((part:get(i)))[1] end
  end
  return out
end

T.case('data: random_split sizes, disjoint parts covering the dataset, reproducible', function()
  local ds = lyra.data.TensorDataset(numbered(20))
  local a, b, c = lyra.data.random_split(ds, { 10, 6, 4 }, 3)
  T.eq({ #a, #b, #c }, { 10, 6, 4 })
  local parts = ids(a, b, c)
  local all, count = {}, 0
  for _, p in ipairs(parts) do
    for _, id in ipairs(p) do
      T.ok(not all[id], 'sample ' .. id .. ' is in two parts')
      all[id] = true
      count = count + 1
    end
  end
  T.eq(count, 20)
  for i = 1, 20 do T.ok(all[i], 'sample ' .. i .. ' is in no part') end
  -- The same seed gives the same parts; another seed other parts.
  T.eq(ids(lyra.data.random_split(ds, { 10, 6, 4 }, 3)), parts)
  T.ok(not pcall(T.eq, ids(lyra.data.random_split(ds, { 10, 6, 4 }, 4)), parts), 'seeds 3 and 4 gave the same split')
  -- Without a seed: lyra's generator, repeatable after manual_seed.
  lyra.manual_seed(11)
  local first = ids(lyra.data.random_split(ds, { 0.75, 0.25 }))
  lyra.manual_seed(11)
  T.eq(ids(lyra.data.random_split(ds, { 0.75, 0.25 })), first)
  T.eq({ #first[1], #first[2] }, { 15, 5 })
  -- Fractions follow PyTorch: floor(n f) each, the remainder to the first parts.
  local p, q = lyra.data.random_split(lyra.data.TensorDataset(numbered(5)), { 0.5, 0.5 }, 1)
  T.eq({ #p, #q }, { 3, 2 })
  -- A split keeps the labels with their samples.
  for i = 1, #a do
    local x, y = a:get(i)
    T.eq(y, values(x)[1] % 3 + 1)
  end
end)

T.case('data: random_split of a Lua dataset splits as a native one of the same size', function()
  local lua_ds = { size = function() return 12 end, get = function(_, i) return lyra.tensor({ i, 10 * i }), i % 3 + 1 end }
  local a, b = lyra.data.random_split(lua_ds, { 8, 4 }, 21)
  T.eq({ #a, b:size() }, { 8, 4 })
  T.eq(ids(a, b), ids(lyra.data.random_split(lyra.data.TensorDataset(numbered(12)), { 8, 4 }, 21)))
  local seen = {}
  for xb, yb in lyra.data.loader(b, { batch_size = 3 }):iter() do
    for k, row in ipairs(values(xb)) do
      T.eq(yb:totable()[k], row[1] % 3 + 1)
      seen[#seen + 1] = row[1]
    end
  end
  T.eq(seen, ids(b)[1])
  T.raises('sizes sum to 13, but the dataset has 12 samples', lyra.data.random_split, lua_ds, { 9, 4 })
  T.raises('a table with size() and get(i)', lyra.data.random_split, {}, { 1 })
end)

T.case('data: random_split refuses sizes that do not cover the dataset', function()
  local ds = lyra.data.TensorDataset(numbered(10))
  T.raises('sizes sum to 9, but the dataset has 10 samples', lyra.data.random_split, ds, { 6, 3 })
  T.raises('neither an integer nor part of fractions summing to 1', lyra.data.random_split, ds, { 0.5, 0.3 })
  T.raises('seed must be a non-negative integer', lyra.data.random_split, ds, { 5, 5 }, -1)
end)

-- A PNG written from the specification: 8-bit grey (colour type 0) or RGB (2), rows
-- unfiltered, the zlib stream made of stored (uncompressed) deflate blocks, so no
-- compressor is needed; CRC-32 and Adler-32 computed here.
local crc_table = {}
for n = 0, 255 do
  local c = n
  for _ = 1, 8 do c = (c & 1) == 1 and (0xEDB88320 ~ (c >> 1)) or (c >> 1) end
  crc_table[n] = c
end
local function crc32(s)
  local c = 0xFFFFFFFF
  for i = 1, #s do c = crc_table[(c ~ s:byte(i)) & 0xFF] ~ (c >> 8) end
  return c ~ 0xFFFFFFFF
end
local function chunk(kind, data) return string.pack('>I4', #data) .. kind .. data .. string.pack('>I4', crc32(kind .. data)) end
local function png(h, w, channels, pixel, declared)
  local rows = {}
  for y = 0, h - 1 do
    local row = { '\0' }
    for x = 0, w - 1 do for c = 0, channels - 1 do row[#row + 1] = string.char(pixel(c, y, x)) end end
    rows[#rows + 1] = table.concat(row)
  end
  local raw = table.concat(rows)
  local a, b = 1, 0
  for i = 1, #raw do a = (a + raw:byte(i)) % 65521; b = (b + a) % 65521 end
  assert(#raw < 65536, 'one stored block only')
  local z = '\x78\x01' .. '\x01' .. string.pack('<I2<I2', #raw, (~#raw) & 0xFFFF) .. raw .. string.pack('>I4', (b << 16) | a)
  local dh, dw = h, w
  if declared then dh, dw = declared[1], declared[2] end
  local ihdr = string.pack('>I4>I4', dw, dh) .. string.char(8, channels == 1 and 0 or 2, 0, 0, 0)
  return '\x89PNG\r\n\x1a\n' .. chunk('IHDR', ihdr) .. chunk('IDAT', z) .. chunk('IEND', '')
end

-- An 8x8 RGB JPEG (libjpeg-turbo, quality 95, 4:2:0 chroma: within 10 levels) of the ramp (r, g, b) = (40 + 8x, 90 + 6y, 200 - 4x - 4y).
local ramp_jpeg = (([[
ffd8ffe000104a46494600010100000100010000ffdb0043000201010101010201010102020202020403020202020504
040304060506060605060606070908060709070606080b08090a0a0a0a0a06080b0c0b0a0c090a0a0affdb0043010202
02020202050303050a0706070a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a
0a0a0a0a0a0a0a0a0a0a0a0a0a0affc00011080008000803012200021101031101ffc4001f0000010501010101010100
000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d010203000411051221
31410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a
434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a9293949596979899
9aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1
f2f3f4f5f6f7f8f9faffc4001f0100030101010101010101010000000000000102030405060708090a0bffc400b51100
020102040403040705040400010277000102031104052131061241510761711322328108144291a1b1c109233352f015
6272d10a162434e125f11718191a262728292a35363738393a434445464748494a535455565758595a63646566676869
6a737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4
c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9faffda000c03010002110311003f00f2
4f0ef81b3b48879fa514515fb3e779ee65f5f97be7e4dc399862bfb323a9ffd9
]]):gsub('%s', ''):gsub('..', function(h) return string.char(tonumber(h, 16)) end))

-- Pixel (c, y, x) of image k.
local function pattern(k) return function(c, y, x) return (k * 40 + y * 17 + x * 5 + c * 90) % 256 end end

T.case('data: ImageFolder reads PNG exactly and JPEG closely, labels 1-based in sorted class order', function()
  local root = tmpdir()
  mkdir(root .. '/dog'); mkdir(root .. '/cat')
  write(root .. '/dog/a.png', png(3, 4, 3, pattern(1)))
  write(root .. '/cat/b.png', png(3, 4, 3, pattern(2)))
  write(root .. '/cat/notes.txt', 'skipped')
  local ds = lyra.data.ImageFolder(root)
  T.eq(#ds, 2)
  T.eq(ds:classes(), { 'cat', 'dog' })
  T.eq(ds:sample_shape(), { 3, 3, 4 })
  for i, k in ipairs({ 2, 1 }) do
    local x, y = ds:get(i)
    T.eq(y, i)
    local v = values(x)
    for c = 0, 2 do for yy = 0, 2 do for xx = 0, 3 do
      T.eq(v[c + 1][yy + 1][xx + 1], pattern(k)(c, yy, xx))
    end end end
  end
  -- The native loader batches it.
  for xb, yb in lyra.data.loader(ds, { batch_size = 2 }):iter() do
    T.eq(xb:size(), { 2, 3, 3, 4 })
    T.eq(yb:totable(), { 1, 2 })
  end
  rmdir(root)

  root = tmpdir()
  mkdir(root .. '/ramp')
  write(root .. '/ramp/r.jpg', ramp_jpeg)
  local v = values((lyra.data.ImageFolder(root):get(1)))
  local worst = 0
  for yy = 0, 7 do for xx = 0, 7 do
    local want = { 40 + 8 * xx, 90 + 6 * yy, 200 - 4 * xx - 4 * yy }
    for c = 1, 3 do worst = math.max(worst, math.abs(v[c][yy + 1][xx + 1] - want[c])) end
  end end
  T.ok(worst <= 10, 'JPEG pixels differ from the ramp by ' .. worst)
  -- grayscale = true: one channel; a grey ramp along x.
  local g = values((lyra.data.ImageFolder(root, { grayscale = true }):get(1)))
  T.eq(#g, 1)
  T.ok(g[1][1][8] > g[1][1][1], 'grey follows the red/blue ramp')
  rmdir(root)
end)

T.case('data: ImageFolder sizes: mixed sizes need size = {h, w}, which resizes', function()
  local root = tmpdir()
  mkdir(root .. '/a')
  write(root .. '/a/1.png', png(2, 2, 1, pattern(0)))
  write(root .. '/a/2.png', png(3, 5, 1, pattern(1)))
  T.raises(root .. '/a/2.png: ImageFolder: image is 3x5 but ' .. root .. '/a/1.png is 2x2; give size = {h, w}',
    lyra.data.ImageFolder, root, { grayscale = true })
  local ds = lyra.data.ImageFolder(root, { size = { 4, 4 }, grayscale = true })
  T.eq(ds:sample_shape(), { 1, 4, 4 })
  local v = values((ds:get(1)))[1]
  for yy = 0, 3 do for xx = 0, 3 do T.eq(v[yy + 1][xx + 1], pattern(0)(0, yy // 2, xx // 2)) end end
  T.raises("option 'size'", lyra.data.ImageFolder, root, { size = { 0, 4 } })
  T.raises("unknown option 'gray'", lyra.data.ImageFolder, root, { gray = true })
  rmdir(root)
end)

T.case('data: ImageFolder hostile files are errors naming the file', function()
  local good = png(4, 4, 3, pattern(0))
  local cases = {
    { 'truncated.png', good:sub(1, #good // 2), 'PNG' },
    { 'truncated.jpg', ramp_jpeg:sub(1, 300), 'JPEG' },
    { 'garbage.jpg', 'GIF89a not what it claims', 'not a PNG or JPEG image' },
    { 'huge.png', png(4, 4, 3, pattern(0), { 100000, 100000 }), 'PNG: declares 100000 x 100000 pixels' },
    { 'dir.png', false, 'ImageFolder: is a directory' },
  }
  for _, case in ipairs(cases) do
    local root = tmpdir()
    mkdir(root .. '/k')
    local path = root .. '/k/' .. case[1]
    if case[2] then write(path, case[2]) else mkdir(path) end
    T.raises(path .. ': ' .. case[3], lyra.data.ImageFolder, root)
    rmdir(root)
  end
  T.raises('no such directory', lyra.data.ImageFolder, '/nonexistent/images')
end)

-- CIFAR-100 records: coarse label, fine label, 3072 pixel bytes; record r has coarse r % 20,
-- fine (7 r) % 100 and pixel (c, y, x) = (r + 60 c + 2 y + x) % 256.
local function cifar100_records(n)
  local out = {}
  for r = 0, n - 1 do
    local px = {}
    for c = 0, 2 do for y = 0, 31 do for x = 0, 31 do px[#px + 1] = (r + 60 * c + 2 * y + x) % 256 end end end
    out[#out + 1] = string.char(r % 20, 7 * r % 100) .. string.char(table.unpack(px, 1, 1024))
      .. string.char(table.unpack(px, 1025, 2048)) .. string.char(table.unpack(px, 2049, 3072))
  end
  return table.concat(out)
end

T.case('data: cifar100 fine and coarse labels (1-based), pixels, damaged files', function()
  local root = tmpdir()
  write(root .. '/test.bin', cifar100_records(25))
  local fine = lyra.data.cifar100('test', { root = root, normalize = false })
  local coarse = lyra.data.cifar100('test', { root = root, label = 'coarse', normalize = false })
  T.eq(#fine, 25)
  T.eq(#fine:classes(), 100)
  T.eq(#coarse:classes(), 20)
  T.eq(fine:classes()[1], 'apple')
  T.eq(coarse:classes()[20], 'vehicles_2')
  for _, r in ipairs({ 0, 3, 24 }) do
    local x, y = fine:get(r + 1)
    T.eq(y, 7 * r % 100 + 1)
    T.eq(select(2, coarse:get(r + 1)), r % 20 + 1)
    local v = values(x)
    T.eq({ v[1][1][1], v[2][4][31], v[3][32][32] }, { r % 256, (r + 60 + 6 + 30) % 256, (r + 120 + 62 + 31) % 256 })
  end
  local train = write(root .. '/train.bin', cifar100_records(2):sub(1, 5000))
  T.raises(train .. ': CIFAR-100: wrong size', lyra.data.cifar100, 'train', { root = root })
  T.raises("option 'label' must be 'fine' (100 classes) or 'coarse'", lyra.data.cifar100, 'test', { root = root, label = 'super' })
  T.raises("split must be 'train' or 'test', got 'val'", lyra.data.cifar100, 'val', { root = root })
  T.raises('give root = DIR', lyra.data.cifar100, 'test', {})
  rmdir(root)
end)
