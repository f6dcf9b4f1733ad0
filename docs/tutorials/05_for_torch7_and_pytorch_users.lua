-- %% [markdown]
-- # Tutorial 5: Lyra for Torch7 and PyTorch users
--
-- You know `torch.Tensor` and `nn.Sequential` from Torch7, or `torch.tensor` and
-- `nn.Module` from PyTorch. This notebook maps the names you reach for to Lyra's, runs each
-- of them, and ends with the two models of a first hour: a character-level LSTM and a tiny
-- Transformer. Run it, or render it with its outputs:
--
-- ```sh
-- lyra notebook docs/tutorials/05_for_torch7_and_pytorch_users.lua --to html,md -o docs/tutorials
-- ```
--
-- **The rules in one paragraph.** Lyra is Lua, like Torch7: positions and dimensions are
-- **1-based** (`x[1]` is the first row, `x:sum(2)` sums along the second dimension, `argmax`
-- and `sort` return 1-based positions, class targets run from 1). The names and the
-- semantics of the operations follow PyTorch where Torch7 and PyTorch differ: `x:sub(y)`
-- subtracts (Torch7's `sub` sliced; use `narrow` or indexing), `topk` returns the largest,
-- optimisers are objects with `zero_grad` and `step`. `*` between two tensors is the matrix
-- product, as in Torch7. Every function has help: `? x:topk` in the REPL, or
-- `lyra.help(f)`.
--
-- | you write in Torch7 | in PyTorch | in Lyra |
-- |---|---|---|
-- | `torch.Tensor{{1,2},{3,4}}` | `torch.tensor([[1,2],[3,4]])` | `lyra.tensor{{1,2},{3,4}}` |
-- | `torch.range(1, 5)` (inclusive) | `torch.arange(1, 6)` | `lyra.range(1, 5)`, `lyra.arange(1, 6)` |
-- | `x:size()`, `x:nElement()` | `x.shape`, `x.numel()` | `x:size()`, `x:numel()` |
-- | `x:narrow(1, 2, 3)`, `x[{{2,4}}]` | `x[1:4]` | `x:narrow(1, 2, 3)`, `x[{{2, 4}}]` |
-- | `x:maskedSelect(m)` | `x[m]` | `x[m]`, `x:masked_select(m)` |
-- | `x:repeatTensor(2, 1)` | `x.repeat(2, 1)` | `x:repeatTensor(2, 1)` (`repeat` is a Lua keyword) |
-- | `torch.mm(a, b)`, `a * b` | `a @ b` | `a * b`, `a:mm(b)` |
-- | `torch.inverse(a)` | `torch.linalg.inv(a)` | `a:inverse()`, `lyra.linalg.inv(a)` |
-- | `nn.LookupTable(n, d)` | `nn.Embedding(n, d)` | `nn.Embedding(n, d)` (1-based indices) |
-- | `nn.ClassNLLCriterion()` | `nn.NLLLoss()` | `nn.NLLLoss()` |
-- | `nn.CrossEntropyCriterion()` | `nn.CrossEntropyLoss()` | `nn.CrossEntropyLoss()` |
-- | `nn.Linear(4, 2)` + `nn.LogSoftMax()` | `nn.Linear(4, 2)`, `nn.LogSoftmax(dim=1)` | `nn.Linear(4, 2)`, `nn.LogSoftmax(2)` (1-based dims) |
-- | `nn.ConcatTable()`, `nn.CAddTable()` | a `forward` that sums branches | `nn.ConcatTable`, `nn.CAddTable` (Lua), or `nn.Add{a, b}` inside a Sequential |
-- | `nn.View(-1)` | `x.view(n, -1)`, `nn.Unflatten` | `nn.View(-1)`, `nn.Unflatten(dim, sizes)` |
-- | `nn.LSTM` (rnn package) | `nn.LSTM(10, 20)` | `nn.LSTM(10, 20)`: `out, h, c = lstm(x)` ([tutorial 4](04_sequence_models.lua)) |
-- | — | `nn.TransformerEncoderLayer(d, h)` | `nn.TransformerEncoderLayer(d, h, {batch_first = true})` |
-- | `model:getParameters()` | `model.state_dict()` | `model:parameters()`, `model:state_dict()`, `model:load_state_dict(sd)` |
-- | `optim.rmsprop(...)` | `torch.optim.RMSprop(...)` | `lyra.optim.RMSprop(params, {lr = ...})` |
-- | `optim.sgd(feval, x, config)` | `torch.optim.SGD(params, lr=...)` | `lyra.optim.SGD(params, {lr = ...})` |
-- | `torch.manualSeed(0)` | `torch.manual_seed(0)` | `lyra.manual_seed(0)` |
-- | `torch.setnumthreads(2)` | `torch.set_num_threads(2)` | `lyra.set_num_threads(2)` |

-- %% [markdown]
-- ## 1. Tensors: values on screen, 1-based positions, masks
--
-- A tensor shows its values (the REPL and notebooks summarise big ones). Indexing with a
-- number selects along the first dimension; a table of ranges slices (`{}` keeps a whole
-- dimension); a 0/1 mask of the same shape selects elements, as in PyTorch.

-- %%
lyra.manual_seed(0)
local x = lyra.tensor{{3, 1, 2}, {9, 7, 8}}
print('second row:', x[2])
print('column 2:', x[{ {}, 2 }])
print('elements above 2:', x[x:gt(2)])
local y = x:clone()
y[y:gt(2)] = 0                                -- masked assignment
y

-- %% [markdown]
-- Sorting and searching return values and **1-based** positions, like every position that
-- crosses from Lyra to Lua:

-- %%
local values, positions = x:sort(2, true)     -- descending along dimension 2
print(values); print(positions)
local top, where = x:topk(2, 2)               -- the two largest of each row
print(top); print(where)
print('cumulative sums:', x:cumsum(2))
print('median of each row:', (x:median(2)))

-- %% [markdown]
-- Linear algebra runs through LAPACK (OpenBLAS ships it); `inverse`, `solve` and `det`
-- have gradients.

-- %%
local A = lyra.tensor{{4, 1}, {1, 3}}
local b = lyra.tensor{{1}, {2}}
local sol = lyra.linalg.solve(A, b)
print('A x = b gives x =', sol:t())
print('residual:', (A * sol - b):abs():max():item())
local U, S, Vh = lyra.linalg.svd(A)
print('singular values:', S)
print('det:', lyra.linalg.det(A):item(), 'trace:', A:trace():item())

-- %% [markdown]
-- ## 2. Autograd, as in PyTorch
--
-- `requires_grad_()` on a leaf, operations on it are recorded, `backward()` on a scalar
-- fills `.grad`. Here the gradient of log-sum-exp is the softmax:

-- %%
local z = lyra.tensor{1, 2, 3}:requires_grad_()
local lse = z:logsumexp(1)
lse:backward()
print('d logsumexp / dz =', z.grad)
print('softmax(z)       =', z:detach():softmax(1))

-- %% [markdown]
-- ## 3. Modules, criteria, optimisers
--
-- `nn.Sequential` takes its modules as arguments (PyTorch) or through `:add` (Torch7). A
-- module prints its tree and calls like a function. The training step is PyTorch's:
-- `zero_grad`, forward, loss, `backward`, `step`.

-- %%
local nn = lyra.nn
local model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
model

-- %%
-- A planted problem: the class is the position of the largest of the first three inputs.
local X = lyra.randn(256, 4)
local _, Y = X:narrow(2, 1, 3):max(2)         -- 1-based classes 1..3
local crit = nn.CrossEntropyLoss()
local opt = lyra.optim.Adam(model:parameters(), {lr = 0.02})
local first
for step = 1, 150 do
  opt:zero_grad()
  local loss = crit(model(X), Y)
  loss:backward()
  opt:step()
  first = first or loss:item()
  if step % 50 == 0 then print(string.format('step %3d  loss %.4f', step, loss:item())) end
end
local _, pred = model(X):max(2)
print(string.format('loss %.3f -> training accuracy %.3f', first, pred:eq(Y):float():mean():item()))

-- %% [markdown]
-- ## 4. Where Lyra differs, on purpose
--
-- - `x == 2` compares the Lua objects, never the values, and Lua cannot change that: use
--   `x:eq(2)` (a 0/1 tensor) or `x:item() == 2`.
-- - `x:sub(y)` is PyTorch's subtraction; slice with `narrow`, `select` or indexing.
-- - `lyra.range(a, b)` includes `b` (Torch7); `lyra.arange(a, b)` excludes it (PyTorch).
-- - `topk` returns the largest by default (PyTorch; Torch7's returned the smallest).
-- - Tensors are float32, with int32 for indices and labels (`lyra.tensor(t, 'int')`).

-- %%
local t = lyra.tensor{1, 2, 3}
print('t == 2 ->', t == 2, '  t:eq(2) ->', t:eq(2))
print('range(1, 3):', lyra.range(1, 3), 'arange(1, 3):', lyra.arange(1, 3))

-- %% [markdown]
-- ## 5. Torch7's table modules, and a model's state
--
-- Engine modules map one tensor to one tensor. Torch7's `ConcatTable` (every branch on the
-- same input, a Lua table of outputs) and `CAddTable` (their sum) are Lua modules, for code
-- written the Torch7 way; inside an `nn.Sequential`, `nn.Add{a, b}` is the same residual
-- join. `state_dict` and `load_state_dict` copy weights between models of one shape.

-- %%
local a, b2 = nn.Linear(3, 2), nn.Linear(3, 2)
local branches = nn.ConcatTable():add(a):add(b2)
local input = lyra.randn(4, 3)
local outs = branches(input)
print('branches give', #outs, 'outputs; summed:', nn.CAddTable()(outs):size())
local twin = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
twin:load_state_dict(model:state_dict())
print('same weights, same outputs:', (twin(X) - model(X)):abs():max():item())

-- %% [markdown]
-- The first-hour sequence models — a character-level LSTM and a tiny Transformer — are in
-- [tutorial 4](04_sequence_models.lua); the full list of functions is in the
-- [Lua API reference](../lua-api.md).
