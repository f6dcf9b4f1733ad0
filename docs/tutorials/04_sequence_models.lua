-- %% [markdown]
-- # Tutorial 4: sequence models — a character-level LSTM and a tiny Transformer
--
-- ```sh
-- lyra notebook docs/tutorials/04_sequence_models.lua --to html,md -o docs/tutorials
-- ```
--
-- **What you will learn**
--
-- 1. the shapes `lyra.nn.LSTM` / `GRU` / `RNN` take and return, and how a call gives
--    back the output *and* the final states, as in PyTorch;
-- 2. how to train a next-character model on a short text;
-- 3. how `lyra.nn.MultiheadAttention` and `lyra.nn.TransformerEncoderLayer` work on a
--    batch, with a causal mask;
-- 4. how to train a one-block Transformer to reverse sequences, with a learning-rate
--    schedule (`OneCycleLR`) and how to pick another optimiser (`RMSprop`, `Adagrad`,
--    `Adadelta`) or scheduler (`ReduceLROnPlateau`, `LambdaLR`, ...).
--
-- Everything here runs in a few seconds on two CPU cores with the debug build.
--
-- ## 1. Recurrent layers: shapes and states
--
-- As in PyTorch, a recurrent layer reads a sequence laid out `[T, N, features]` (time
-- first) — or `[N, T, features]` with `{batch_first = true}` — and a call returns the
-- output at every step and the final states: `out, h, c = lstm(x)` for an LSTM,
-- `out, h = gru(x)` for a GRU or an RNN. The states are `[num_layers, N, hidden]`, and
-- passing them back in continues the sequence where it stopped. Parameter names are
-- PyTorch's (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`).

-- %%
lyra.manual_seed(0)
local nn, optim = lyra.nn, lyra.optim
local lstm = nn.LSTM(3, 5, {num_layers = 2, batch_first = true})
print(lstm)
local x = lyra.randn(4, 7, 3)                  -- 4 sequences of 7 steps, 3 features
local out, h, c = lstm(x)
print('out', out:size(), 'h', h:size(), 'c', c:size())
-- Two halves, the second started from the first's states, give the same output:
local o1, h1, c1 = lstm(x:narrow(2, 1, 4))
local o2 = lstm(x:narrow(2, 5, 3), h1, c1)
print('largest difference:', (o2 - out:narrow(2, 5, 3)):abs():max():item())

-- %% [markdown]
-- Inside `nn.Sequential` only the output is passed on, so `nn.Sequential(nn.GRU(3, 8),
-- nn.Linear(8, 2))` maps `[T, N, 3]` to `[T, N, 2]`.
--
-- ## 2. A character-level LSTM
--
-- The task: read a short text one character at a time and predict the next one. Each
-- character becomes an index; `nn.Embedding` turns indices into vectors, the LSTM reads
-- them, and a `Linear` layer scores every possible next character. The loss is the
-- cross-entropy of those scores against the true next characters (labels 1..V in Lua).

-- %%
local text = string.rep('the quick brown fox jumps over the lazy dog. ', 4)
local chars, index = {}, {}
for ch in text:gmatch('.') do
  if not index[ch] then chars[#chars + 1] = ch; index[ch] = #chars end
end
local V, L, N = #chars, 16, 24                 -- vocabulary, window length, windows per batch
print(V .. ' distinct characters')

-- Every window of L characters and the L characters that follow each of them.
local function windows(starts)
  local xs, ys = {}, {}
  for b, s in ipairs(starts) do
    xs[b], ys[b] = {}, {}
    for t = 1, L do
      xs[b][t] = index[text:sub(s + t - 1, s + t - 1)]
      ys[b][t] = index[text:sub(s + t, s + t)]
    end
  end
  return lyra.tensor(xs, 'int'), lyra.tensor(ys, 'int'):view(#starts * L)
end

local embed = nn.Embedding(V + 1, 16)          -- indices 1..V
local rnn = nn.LSTM(16, 64, {batch_first = true})
local head = nn.Linear(64, V)
local params = {}
for _, m in ipairs {embed, rnn, head} do
  for _, p in ipairs(m:parameters()) do params[#params + 1] = p end
end
local opt = optim.Adam(params, {lr = 0.01})
local loss_fn = nn.CrossEntropyLoss()
local first, last
for step = 1, 120 do
  local starts = {}
  for b = 1, N do starts[b] = (step * 7 + b * 13) % (#text - L - 1) + 1 end
  local xb, yb = windows(starts)
  opt:zero_grad()
  local loss = loss_fn(head(rnn(embed(xb))):view(N * L, V), yb)
  loss:backward()
  opt:step()
  first = first or loss:item()
  last = loss:item()
  if step % 30 == 0 then print(('step %3d  loss %.3f'):format(step, last)) end
end
if last > first / 4 then error('the loss did not fall') end

-- %% [markdown]
-- Now let the model write: start from a prompt and repeatedly feed the most likely next
-- character back in, carrying the LSTM's states `h, c` from one call to the next so each
-- step costs one character.

-- %%
lyra.no_grad(function()
  local prompt = 'the quick'
  local ids = {}
  for i = 1, #prompt do ids[i] = index[prompt:sub(i, i)] end
  local o, hs, cs = rnn(embed(lyra.tensor({ids}, 'int')))
  local written = {prompt}
  for _ = 1, 40 do
    local _, best = head(o:select(2, o:size(2))):max(2)   -- the last step's scores
    local id = best[1]
    written[#written + 1] = chars[id]
    o, hs, cs = rnn(embed(lyra.tensor({{id}}, 'int')), hs, cs)
  end
  print(table.concat(written))
end)

-- %% [markdown]
-- ## 3. Attention
--
-- `nn.MultiheadAttention(embed_dim, num_heads)` computes softmax(Q Kᵀ / √d) V in every
-- head. Called with one tensor it is self-attention; `attn(query, key, value)` attends a
-- query over another sequence. It returns the output and the attention weights averaged
-- over heads. `{is_causal = true}` (or an additive `attn_mask`, `-math.huge` where a
-- position may not look) stops position i from seeing positions after i.

-- %%
local attn = nn.MultiheadAttention(8, 2, {batch_first = true})
local seq = lyra.randn(1, 4, 8)
local _, weights = attn(seq, {is_causal = true})
print('causal attention weights (row i: what position i looks at):')
print(weights[1])

-- %% [markdown]
-- ## 4. A tiny Transformer that reverses sequences
--
-- `nn.TransformerEncoderLayer(d_model, nhead, {...})` is one block of self-attention and
-- a feed-forward network, each with a residual connection and layer normalisation,
-- exactly as PyTorch's (post-norm by default, `norm_first = true` for pre-norm). Attention
-- does not know the order of its inputs, so we add a learned position embedding. The
-- task: output the input sequence reversed. One block suffices: each position must look
-- at its mirror position, which is exactly what attention does. For deeper models,
-- `nn.TransformerEncoder(layer, num_layers [, {norm = true}])` stacks copies of a block;
-- `{src_key_padding_mask = p}` (an additive `[N, T]` mask) hides padding in batches of
-- sequences of different lengths.
--
-- `OneCycleLR` raises the rate for the first 30 % of the steps and anneals it after;
-- `s:step()` after each batch.

-- %%
lyra.manual_seed(1)
local K, T, B, D = 6, 6, 32, 32                -- tokens, length, batch, model width
local seed = 7
local function rand(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n + 1 end
local function batch()
  local xs, ys = {}, {}
  for b = 1, B do
    xs[b], ys[b] = {}, {}
    for t = 1, T do xs[b][t] = rand(K) end
    for t = 1, T do ys[b][t] = xs[b][T + 1 - t] end
  end
  return lyra.tensor(xs, 'int'), lyra.tensor(ys, 'int'):view(B * T)
end
local positions = lyra.range(1, T):int()
local tok, pos = nn.Embedding(K + 1, D), nn.Embedding(T + 1, D)
local block = nn.TransformerEncoderLayer(D, 4, {dim_feedforward = 64, dropout = 0, batch_first = true})
local out_layer = nn.Linear(D, K)
local tparams = {}
for _, m in ipairs {tok, pos, block, out_layer} do
  for _, p in ipairs(m:parameters()) do tparams[#tparams + 1] = p end
end
local function logits(xb) return out_layer(block(tok(xb) + pos(positions))) end
local steps = 200
local topt = optim.Adam(tparams, {lr = 0.01})
local sched = optim.lr_scheduler.OneCycleLR(topt, {max_lr = 0.01, total_steps = steps})
for step = 1, steps do
  local xb, yb = batch()
  topt:zero_grad()
  local loss = loss_fn(logits(xb):view(B * T, K), yb)
  loss:backward()
  topt:step()
  sched:step()
  if step % 50 == 0 then print(('step %3d  loss %.3f  lr %.4f'):format(step, loss:item(), sched:get_lr())) end
end
local xb, yb = batch()
local _, guess = logits(xb):view(B * T, K):max(2)
local right = 0
for i = 1, B * T do if guess[i] == yb[i] then right = right + 1 end end
print(('%d of %d tokens of fresh sequences reversed correctly'):format(right, B * T))
if right < 0.9 * B * T then error('the Transformer did not learn to reverse') end

-- %% [markdown]
-- ## 5. Other optimisers and schedulers
--
-- Every optimiser takes a list of tensors and PyTorch's option names and defaults:
-- `optim.SGD`, `optim.Adam`, `optim.AdamW`, `optim.RMSprop(params, {lr = 1e-2, alpha =
-- 0.99, momentum = 0, centered = false})`, `optim.Adagrad(params, {lr = 1e-2, lr_decay =
-- 0})`, `optim.Adadelta(params, {lr = 1, rho = 0.9})`. Schedulers live in
-- `optim.lr_scheduler`: `StepLR`, `MultiStepLR`, `ExponentialLR`, `CosineAnnealingLR`,
-- `CosineAnnealingWarmRestarts`, `OneCycleLR`, `WarmupLR`, `LambdaLR` (a Lua function of
-- the step) and `ReduceLROnPlateau`, which is stepped with a metric. Below, 0.69999 is
-- no improvement on 0.7 (by default a metric must fall by a relative 1e-4), so after
-- two such epochs (patience 1) the rate halves:

-- %%
local w = lyra.zeros(1):requires_grad_()
local o = optim.RMSprop({w}, {lr = 0.1})
local plateau = optim.lr_scheduler.ReduceLROnPlateau(o, {patience = 1, factor = 0.5})
for epoch, val_loss in ipairs {1.0, 0.7, 0.69999, 0.7, 0.71} do
  plateau:step(val_loss)
  print(('epoch %d  val_loss %.5f  lr %.3f'):format(epoch, val_loss, plateau:get_lr()))
end
local decay = optim.lr_scheduler.LambdaLR(optim.Adagrad({w}, {lr = 0.1}), {lr_lambda = function(e) return 1 / (1 + e) end})
decay:step(); decay:step()
print('LambdaLR after two steps:', decay:get_lr())

-- %% [markdown]
-- `? lyra.nn.LSTM`, `? lyra.optim.lr_scheduler.OneCycleLR` (or `lyra.help(...)`) in the
-- REPL show every option; `docs/lua-api.md` lists them all.
