-- lyra.data.loader: one front for two loaders. Swift datasets with Swift transforms get
-- the native loader (batches built and prefetched on a background thread); datasets
-- written in Lua (a table with methods size() and get(i)), or a transform that is a Lua
-- function, get a loader written here, because Lua code must run on the Lua thread.
-- Both take the same options, give the same batches ([N, ...] float x, [N] int y of
-- 1-based labels) and, for the same seed, the same epoch orders.
local lyra = lyra
local data = lyra.data

local options = { batch_size = true, shuffle = true, drop_last = true, seed = true, prefetch = true, transform = true }

local function known_options()
  local names = {}
  for k in pairs(options) do names[#names + 1] = k end
  table.sort(names)
  return table.concat(names, ', ')
end

local function is_native_dataset(ds)
  local mt = type(ds) == 'userdata' and getmetatable(ds)
  return mt and rawget(mt, '__name') == 'lyra.data.Dataset'
end

local Loader = {}
Loader.__index = Loader
Loader.__name = 'lyra.data.LuaLoader'

function Loader:size()
  if self.drop_last then return self.n // self.batch_size end
  return (self.n + self.batch_size - 1) // self.batch_size
end
Loader.__len = Loader.size

function Loader:epoch() return self._epoch end

function Loader:set_epoch(n)
  assert(math.type(n) == 'integer' and n >= 0, 'lyra.data.Loader:set_epoch: epoch must be an integer >= 0')
  self._epoch = n
  return self
end

function Loader:dataset() return self.ds end

function Loader:__tostring()
  return string.format('lyra.data.Loader (Lua dataset, %d batches of %d%s)', self:size(), self.batch_size,
    self.shuffle and ', shuffled' or '')
end

-- Stacks the labels: numbers become an int tensor (float when not all integers),
-- tensors are stacked.
local function stack_labels(ys)
  if lyra.is_tensor(ys[1]) then return lyra.stack(ys) end
  local all_int = true
  for k, y in ipairs(ys) do
    if type(y) ~= 'number' then error('lyra.data.loader: label of sample ' .. k .. ' is a ' .. type(y) .. ', expected a number or tensor', 0) end
    if math.type(y) ~= 'integer' and y ~= math.floor(y) then all_int = false end
  end
  return all_int and lyra.tensor(ys, 'int') or lyra.tensor(ys)
end

function Loader:iter()
  local epoch = self._epoch
  self._epoch = epoch + 1
  local n, bs, ds, transform = self.n, self.batch_size, self.ds, self.transform
  local order
  if self.shuffle then order = data.epoch_order(n, self.seed, epoch) end
  local batches, b = self:size(), 0
  return function()
    b = b + 1
    if b > batches then return nil end
    local xs, ys = {}, {}
    for k = (b - 1) * bs + 1, math.min(b * bs, n) do
      local i = order and order[k] or k
      local x, y = ds:get(i)
      if not lyra.is_tensor(x) then error('lyra.data.loader: ds:get(' .. i .. ') must return a tensor x and a label y', 0) end
      if type(transform) == 'function' then
        local tx, ty = transform(x, y)
        x, y = tx, ty == nil and y or ty
      elseif transform then
        x = transform:apply(x, self.seed * 1000003 + epoch * 7919 + i)
      end
      xs[#xs + 1], ys[#ys + 1] = x, y
    end
    return lyra.stack(xs), stack_labels(ys)
  end
end

local function lua_loader(ds, opts)
  if type(ds) ~= 'table' and not is_native_dataset(ds) then
    error("bad argument #1 to 'lyra.data.loader' (dataset expected, got " .. type(ds) .. ')', 3)
  end
  if type(ds.size) ~= 'function' or type(ds.get) ~= 'function' then
    error("lyra.data.loader: a Lua dataset needs methods size() and get(i)", 3)
  end
  local n = ds:size()
  if math.type(n) ~= 'integer' or n < 0 then error('lyra.data.loader: ds:size() must return an integer >= 0', 3) end
  local self = setmetatable({
    ds = ds, n = n, batch_size = opts.batch_size or 1, shuffle = opts.shuffle or false,
    drop_last = opts.drop_last or false, seed = opts.seed or 0, transform = opts.transform, _epoch = 0,
  }, Loader)
  if math.type(self.batch_size) ~= 'integer' or self.batch_size < 1 then
    error('lyra.data.loader: batch_size must be a positive integer', 3)
  end
  if math.type(self.seed) ~= 'integer' then error('lyra.data.loader: seed must be an integer', 3) end
  return self
end

local native = data.native_loader

function data.loader(ds, opts)
  if opts ~= nil and type(opts) ~= 'table' then
    error("bad argument #2 to 'lyra.data.loader' (table expected, got " .. type(opts) .. ')', 2)
  end
  opts = opts or {}
  for k in pairs(opts) do
    if not options[k] then
      error(string.format("lyra.data.loader: unknown option '%s'; known options: %s", tostring(k), known_options()), 2)
    end
  end
  if is_native_dataset(ds) and type(opts.transform) ~= 'function' then
    local ok, res = pcall(native, ds, opts)
    if not ok then
      local msg = tostring(res):gsub('^[^\n]-:%d+: ', ''):gsub('native_loader', 'loader')
      error(msg, 2)
    end
    return res
  end
  return lua_loader(ds, opts)
end

lyra.setdoc(data.loader, 'lyra.data.loader', [[
lyra.data.loader(ds, {batch_size = 1, shuffle = false, drop_last = false, seed = 0, prefetch = 2, transform = t}) -> loader
Mini-batches of a dataset. `for x, y in loader:iter() do ... end` runs one epoch: x a
float tensor [N, C, H, W] (or [N, F]), y an int tensor [N] of labels 1..C. Each iter()
is a new epoch (a new order when shuffling; the same seed repeats the run). #loader is
the number of batches. transform: lyra.data.normalize / augment / compose, or a Lua
function f(x, y) -> x [, y] per sample. ds may be written in Lua: a table with methods
size() and get(i) -> x, y.
Example:
  local train = lyra.data.loader(lyra.data.fashion_mnist{}, {batch_size = 128, shuffle = true})
  for x, y in train:iter() do ... end]])
for name, text in pairs {
  size = 'loader:size() -> integer\nBatches per epoch (also #loader).',
  iter = 'loader:iter() -> iterator\nThe next epoch: for x, y in loader:iter() do ... end',
  epoch = 'loader:epoch() -> integer\nEpochs started so far.',
  set_epoch = 'loader:set_epoch(n) -> loader\nSets the epochs-started counter (resuming).',
  dataset = 'loader:dataset() -> dataset',
} do lyra.setdoc(Loader[name], 'lyra.data.Loader:' .. name, text) end


-- lyra.data.random_split for datasets written in Lua too. The split itself (sizes, order)
-- is the native one, run on a stand-in dataset of the ids 1..n, so a Lua dataset and a
-- native one of the same size split the same way for the same seed.
local native_split = data.random_split

local LuaSubset = {}
LuaSubset.__index = LuaSubset
LuaSubset.__name = 'lyra.data.LuaSubset'
function LuaSubset:size() return #self.ids end
LuaSubset.__len = LuaSubset.size
function LuaSubset:get(i)
  local j = self.ids[i]
  if not j then error(string.format('lyra.data.LuaSubset:get: index %s out of range 1..%d', tostring(i), #self.ids), 2) end
  return self.base:get(j)
end
function LuaSubset:__tostring() return string.format('lyra.data.LuaSubset (%d samples)', #self.ids) end

-- Runs the native split, its error re-raised at the caller's level without this file's position.
local function split(ds, sizes, seed)
  local ok, parts = pcall(function() return { native_split(ds, sizes, seed) } end)
  if not ok then error((tostring(parts):gsub('^[^\n]-:%d+: ', '')), 3) end
  return parts
end

function data.random_split(ds, sizes, seed)
  if type(ds) ~= 'table' then return table.unpack(split(ds, sizes, seed)) end
  if type(ds.size) ~= 'function' or type(ds.get) ~= 'function' then
    error("bad argument #1 to 'lyra.data.random_split' (a dataset: lyra.data.Dataset or a table with size() and get(i))", 2)
  end
  local n = ds:size()
  if math.type(n) ~= 'integer' or n < 0 then
    error("bad argument #1 to 'lyra.data.random_split' (ds:size() must return an integer >= 0, got " .. tostring(n) .. ')', 2)
  end
  local out = {}
  for k, part in ipairs(split(data.TensorDataset(lyra.arange(1, n + 1):view(n, 1), lyra.ones(n)), sizes, seed)) do
    local sel = {}
    for i = 1, #part do sel[i] = math.tointeger((part:get(i)):item()) end
    out[k] = setmetatable({ base = ds, ids = sel }, LuaSubset)
  end
  return table.unpack(out)
end
lyra.setdoc(data.random_split, 'lyra.data.random_split', lyra.doc(native_split))
for name, text in pairs {
  size = 'subset:size() -> integer\nNumber of samples (also #subset).',
  get = 'subset:get(i) -> x, y\nSample i of the subset: the base dataset\'s sample at the chosen index.',
} do lyra.setdoc(LuaSubset[name], 'lyra.data.LuaSubset:' .. name, text) end

return data
