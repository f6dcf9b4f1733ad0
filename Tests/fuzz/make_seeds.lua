-- Writes the small valid seed inputs of the fuzz targets that Lyra itself can produce
-- (safetensors, model descriptions, ONNX exports, IDX, CSV, JSON, lua-api programs).
-- Run from the repository root: .build/debug/lyra Tests/fuzz/make_seeds.lua
-- Seeds are kept tiny: the mutator works on bytes, and small inputs mutate meaningfully.
local dir = 'Tests/fuzz/corpus/'
local function put(target, name, bytes)
  local f = assert(io.open(dir .. target .. '/' .. name, 'wb'))
  f:write(bytes)
  f:close()
end
local function read(path)
  local f = assert(io.open(path, 'rb'))
  local s = f:read('a')
  f:close()
  return s
end

-- safetensors: float, int, 0-dim and empty tensors.
lyra.save(dir .. 'safetensors/small.safetensors', {a = lyra.tensor({{1, 2}, {3, 4}}), b = lyra.zeros(3):int()})
lyra.save(dir .. 'safetensors/scalar.safetensors', {s = lyra.tensor(7)}, {note = 'x'})
lyra.save(dir .. 'safetensors/empty.safetensors', {e = lyra.zeros(2, 0)})

-- model descriptions (what m:describe() gives, as JSON).
local descs = {
  mlp = lyra.nn.Sequential(lyra.nn.Linear(4, 3), lyra.nn.ReLU(), lyra.nn.Linear(3, 2)),
  cnn = lyra.nn.Sequential(lyra.nn.Conv2d(1, 2, 3, {padding = 1}), lyra.nn.BatchNorm2d(2), lyra.nn.ReLU(),
    lyra.nn.MaxPool2d(2), lyra.nn.Flatten(), lyra.nn.Linear(32, 2)),
}
for name, m in pairs(descs) do
  put('desc', name .. '.json', lyra.json.encode(m:describe()))
  -- ONNX exports of the same models.
  local sizes = name == 'mlp' and {1, 4} or {1, 1, 8, 8}
  m:to_onnx(dir .. 'onnx/' .. name .. '.onnx', sizes)
end
-- ONNX exports of issue 17's layers (RNN/LSTM/GRU, Resize, the InstanceNormalization and
-- LayerNormalization forms, PRelu, Elu): tiny, so mutations reach their attributes.
local nn = lyra.nn
local issue17 = {
  lstm = {nn.LSTM(3, 2), {4, 1, 3}},
  gru_rnn = {nn.Sequential(nn.GRU(3, 2, {batch_first = true}), nn.RNN(2, 2, {nonlinearity = 'relu', batch_first = true})), {1, 4, 3}},
  upsample_norms = {nn.Sequential(nn.Upsample(2, 'bilinear'), nn.GroupNorm(2, 2), nn.InstanceNorm2d(2), nn.PReLU(2), nn.ELU()), {1, 2, 2, 3}},
  layernorm = {nn.Sequential(nn.LayerNorm(3), nn.Upsample({size = {3, 2}})), {1, 1, 2, 3}},
}
for name, c in pairs(issue17) do c[1]:to_onnx(dir .. 'onnx/' .. name .. '.onnx', c[2], {opset = name == 'layernorm' and 17 or 13}) end
put('desc', 'resnet.json', '{"type": "ResNet", "depth": 18, "base_channel": 4, "in_channels": 1, "num_class": 2}')
put('desc', 'vega.json', '{"modules": ["backbone", "head"], "backbone": {"type": "SimpleCnn"}, "head": {"type": "Linear", "in_features": 8, "out_features": 2}}')

-- CSV: numeric and categorical columns, a text label.
put('csv', 'iris.csv', 'a,b,colour,label\n1.5,2,red,x\n3,4.25,blue,y\n-1,0,red,x\n')
put('csv', 'semicolon.csv', 'p;q;y\n1;2;0\n3;4;1\n')

-- IDX: 2 images of 2x2, their labels, and a gzip of the images.
local function be32(n) return string.char(n >> 24 & 255, n >> 16 & 255, n >> 8 & 255, n & 255) end
put('idx', 'images.idx3', '\0\0\8\3' .. be32(2) .. be32(2) .. be32(2) .. '\0\64\128\255\1\2\3\4')
put('idx', 'labels.idx1', '\0\0\8\1' .. be32(2) .. '\3\7')

-- JSON.
put('json', 'object.json', '{"a": [1, 2.5, -3e2, true, false, null], "b": {"c": "\\u00e9\\n"}, "d": []}')
put('json', 'deep.json', '[[[[[[[[{"k": [0]}]]]]]]]]')

-- lua-api: byte programs (any bytes are a program; these are a few shapes of one).
put('lua-api', 'p1', '\1\2\3\4\5\6\7\8\9\10\11\12\13\14\15\16\17\18\19\20')
put('lua-api', 'p2', string.rep('\2\1\0\7\3', 12))
put('lua-api', 'p3', '\0\0\0\0\1\1\1\1\2\2\2\2\3\3\3\3\4\4\4\4\5\5\5\5\6\6\6\6\7\7\7\7\8\8\8\8\9\9\9\9')
print('seeds written')
