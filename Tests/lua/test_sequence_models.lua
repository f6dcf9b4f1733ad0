-- Sequence models: nn.LSTM / nn.GRU / nn.RNN, nn.MultiheadAttention, nn.TransformerEncoderLayer.
-- Their calls return every result (out, h, c), and tiny models learn toy sequence tasks.
local T = require 'lyra.test'
local nn = lyra.nn

-- A deterministic pseudo-random integer stream (data must not depend on math.random's seed).
local function lcg(seed)
  local s = seed
  return function(n)
    s = (s * 1103515245 + 12345) % 2147483648
    return s % n + 1
  end
end

-- Every parameter of `modules`, for one optimiser.
local function parameters_of(modules)
  local params = {}
  for _, m in ipairs(modules) do for _, p in ipairs(m:parameters()) do params[#params + 1] = p end end
  return params
end

-- Runs `steps` optimiser steps on loss(step); returns the first and the last loss.
local function train(opt, steps, loss)
  local first, last
  for step = 1, steps do
    opt:zero_grad()
    local l = loss(step)
    l:backward()
    opt:step()
    first = first or l:item()
    last = l:item()
  end
  return first, last
end

T.case('sequence: LSTM, GRU and RNN calls return the output and the final states', function()
  lyra.manual_seed(1)
  local lstm = nn.LSTM(3, 5, { num_layers = 2 })
  local x = lyra.randn(7, 2, 3)
  local out, h, c = lstm(x)
  T.eq(out:size(), { 7, 2, 5 }); T.eq(h:size(), { 2, 2, 5 }); T.eq(c:size(), { 2, 2, 5 })
  -- The last output step is the top layer's final h.
  T.near((out:select(1, 7) - h:select(1, 2)):abs():max():item(), 0, 0)
  -- Feeding the final states back continues the sequence: two halves equal the whole.
  local o1, h1, c1 = lstm(x:narrow(1, 1, 4))
  local o2, h2, c2 = lstm(x:narrow(1, 5, 3), h1, c1)
  T.near((o2 - out:narrow(1, 5, 3)):abs():max():item(), 0, 1e-6, 'continued from (h, c)')
  local o3 = lstm:forward(x:narrow(1, 5, 3), { h1, c1 })
  T.near((o3 - o2):abs():max():item(), 0, 0, '{h0, c0} pair')
  T.near((h2 - h):abs():max():item(), 0, 1e-6)
  local gout, gh = nn.GRU(3, 4, { batch_first = true })(lyra.randn(2, 6, 3))
  T.eq(gout:size(), { 2, 6, 4 }); T.eq(gh:size(), { 1, 2, 4 })
  local r = nn.RNN(3, 4, { nonlinearity = 'relu' })
  local rout, rh, extra = r(lyra.randn(5, 3))
  T.eq(rout:size(), { 5, 4 }); T.eq(rh:size(), { 1, 4 }); T.eq(extra, nil)
  -- In a Sequential only the output is passed on.
  local m = nn.Sequential(nn.LSTM(3, 4), nn.Linear(4, 2))
  T.eq(m(lyra.randn(5, 2, 3)):size(), { 5, 2, 2 })
  T.ok(tostring(lstm):find('LSTM(3 -> 5, 2 layers)', 1, true), tostring(lstm))
  T.eq(lstm.weight_hh_l1:size(), { 20, 5 })
end)

T.case('sequence: bad arguments are errors naming them', function()
  local lstm = nn.LSTM(3, 5)
  T.raises('expected a float input [T, N, 3]', lstm, lyra.randn(4, 2, 2))
  T.raises('h0 must be a float tensor [1, 2, 5]', lstm, lyra.randn(4, 2, 3), lyra.zeros(2, 2, 5))
  T.raises('h0 must be a lyra.Tensor', lstm, lyra.randn(4, 2, 3), 'state')
  T.raises('{h0, c0}', lstm, lyra.randn(4, 2, 3), { lyra.zeros(1, 2, 5) })
  T.raises('unexpected argument', lstm, lyra.randn(4, 2, 3), nil, nil, 1)
  T.raises('GRU takes x and h0', nn.GRU(3, 5), lyra.randn(4, 2, 3), lyra.zeros(1, 2, 5), lyra.zeros(1, 2, 5))
  T.raises('float tensor', lstm, lyra.tensor({ { { 1, 2, 3 } } }, 'int'))
  T.raises('hidden_size', nn.LSTM, 3)
  T.raises('bidirectional', nn.LSTM, 3, 4, { bidirectional = true })
  T.raises("unknown option 'num_layer'", nn.LSTM, 3, 4, { num_layer = 2 })
  T.raises('divisible', nn.MultiheadAttention, 6, 4)
  T.raises("'relu' or 'gelu'", nn.TransformerEncoderLayer, 8, 2, { activation = 'tanh' })
  local a = nn.MultiheadAttention(4, 2)
  T.raises('mask must be [3, 3]', a, lyra.randn(3, 1, 4), { attn_mask = lyra.zeros(2, 2) })
  T.raises("unknown option 'mask'", a, lyra.randn(3, 1, 4), { mask = lyra.zeros(3, 3) })
  T.raises('query alone', a, lyra.randn(3, 1, 4), lyra.randn(3, 1, 4))
  T.raises('key', a, lyra.randn(3, 1, 4), lyra.randn(2, 1, 4), lyra.randn(3, 1, 4))
  T.raises('options table', nn.TransformerEncoderLayer(4, 2), lyra.randn(3, 1, 4), 5)
end)

T.case('sequence: attention weights, causal masks and the encoder layer', function()
  lyra.manual_seed(2)
  local a = nn.MultiheadAttention(8, 2, { batch_first = true })
  local q, kv = lyra.randn(2, 3, 8), lyra.randn(2, 5, 8)
  local out, w = a(q, kv, kv)
  T.eq(out:size(), { 2, 3, 8 }); T.eq(w:size(), { 2, 3, 5 })
  T.near((w:sum(3) - 1):abs():max():item(), 0, 1e-5, 'weights sum to 1 over the keys')
  local _, cw = a(q, { is_causal = true })
  T.eq(cw:size(), { 2, 3, 3 })
  T.near(cw[1][1][2] + cw[1][1][3] + cw[2][2][3], 0, 0, 'no weight on later positions')
  local m = lyra.zeros(3, 3); m[1][2] = -math.huge; m[1][3] = -math.huge; m[2][3] = -math.huge
  local _, mw = a(q, q, q, { attn_mask = m })
  T.near((mw - cw):abs():max():item(), 0, 1e-6, 'an explicit -inf mask equals is_causal')
  local enc = nn.TransformerEncoderLayer(8, 2, { dim_feedforward = 16, dropout = 0, batch_first = true })
  local y = enc(q)
  T.eq(y:size(), { 2, 3, 8 })
  local yc = enc(q, { is_causal = true })
  local ym = enc(q, { src_mask = m })
  T.near((yc - ym):abs():max():item(), 0, 1e-6)
  local pad = lyra.zeros(2, 3); pad[1][3] = -math.huge
  local _, pw = a(q, { key_padding_mask = pad })
  T.near(pw[1][1][3] + pw[1][2][3] + pw[1][3][3], 0, 0, 'no weight on the padded key')
  T.eq(enc(q, { src_key_padding_mask = pad, is_causal = true }):size(), { 2, 3, 8 })
  T.raises('key_padding_mask must be a float (additive) tensor [2, 3]', a, q, { key_padding_mask = lyra.zeros(3, 2) })
  local stack = nn.TransformerEncoder(enc, 2, { norm = true })
  T.eq(stack(q, { is_causal = true }):size(), { 2, 3, 8 })
  T.ok(stack:named_parameters()['layers.1.linear1.weight'] and stack:named_parameters()['norm.bias'], 'PyTorch names')
  T.raises('nn.TransformerEncoderLayer', nn.TransformerEncoder, nn.Linear(2, 2), 2)
  T.raises('num_layers', nn.TransformerEncoder, enc, 0)
  T.eq(nn.build(stack:describe()):num_parameters(), stack:num_parameters())
  local desc = enc:describe()
  T.eq(desc.type, 'TransformerEncoderLayer'); T.eq(desc.dim_feedforward, 16)
  local rebuilt = nn.build(desc)
  T.eq(rebuilt:num_parameters(), enc:num_parameters())
end)

T.case('sequence: a tiny character-level LSTM learns to predict the next character', function()
  lyra.manual_seed(3)
  local text = string.rep('hello lyra ', 12)
  local chars, index = {}, {}
  for ch in text:gmatch('.') do
    if not index[ch] then chars[#chars + 1] = ch; index[ch] = #chars end
  end
  local V, L, N = #chars, 12, 8
  local xs, ys = {}, {}
  for b = 1, N do
    local row, next = {}, {}
    local start = (b - 1) * 5
    for t = 1, L do
      row[t] = index[text:sub(start + t, start + t)]
      next[t] = index[text:sub(start + t + 1, start + t + 1)]
    end
    xs[b], ys[b] = row, next
  end
  -- [N, L] character indices 1..V; the tables get V + 1 rows so the test holds whichever
  -- index base nn.Embedding uses (0-based on this branch's base, despite its help text).
  local x = lyra.tensor(xs, 'int')
  local y = lyra.tensor(ys, 'int'):view(N * L)
  local emb, lstm, head = nn.Embedding(V + 1, 8), nn.LSTM(8, 24, { batch_first = true }), nn.Linear(24, V)
  local opt = lyra.optim.Adam(parameters_of { emb, lstm, head }, { lr = 0.03 })
  local crit = nn.CrossEntropyLoss()
  local first, last = train(opt, 60, function() return crit(head(lstm(emb(x))):view(N * L, V), y) end)
  T.ok(last < 0.1 * first, string.format('loss %.3f -> %.3f', first, last))
  -- Greedy prediction: every next character of a fresh window is right.
  local probe = {}
  for t = 1, L do probe[t] = index[text:sub(3 + t, 3 + t)] end
  local logits = head(lstm(emb(lyra.tensor({ probe }, 'int'))))
  local _, best = logits:max(3)
  local hits = 0
  for t = 1, L do if best[1][t] == index[text:sub(4 + t, 4 + t)] then hits = hits + 1 end end
  T.ok(hits >= L - 1, hits .. ' of ' .. L .. ' next characters right')
end)

T.case('sequence: a tiny Transformer learns to reverse a sequence', function()
  lyra.manual_seed(4)
  local V, L, N, D = 5, 5, 32, 24
  local rand = lcg(7)
  local function batch()
    local xs, ys = {}, {}
    for b = 1, N do
      local row, rev = {}, {}
      for t = 1, L do row[t] = rand(V) end
      for t = 1, L do rev[t] = row[L + 1 - t] end
      xs[b], ys[b] = row, rev
    end
    return lyra.tensor(xs, 'int'), lyra.tensor(ys, 'int'):view(N * L)
  end
  local positions = lyra.tensor({ 1, 2, 3, 4, 5 }, 'int')
  local tok, pos = nn.Embedding(V + 1, D), nn.Embedding(L + 1, D)
  local enc = nn.TransformerEncoderLayer(D, 2, { dim_feedforward = 48, dropout = 0, batch_first = true })
  local head = nn.Linear(D, V)
  local opt = lyra.optim.Adam(parameters_of { tok, pos, enc, head }, { lr = 0.01 })
  local crit = nn.CrossEntropyLoss()
  local function logits(x) return head(enc(tok(x) + pos(positions))) end
  local first, last = train(opt, 150, function()
    local x, y = batch()
    return crit(logits(x):view(N * L, V), y)
  end)
  T.ok(last < 0.1 * first, string.format('loss %.3f -> %.3f', first, last))
  local x, y = batch()
  local _, best = logits(x):view(N * L, V):max(2)
  local hits = 0
  for i = 1, N * L do if best[i] == y[i] then hits = hits + 1 end end
  T.ok(hits >= 0.9 * N * L, hits .. ' of ' .. N * L .. ' reversed tokens right')
end)
