-- %% [markdown]
-- # Tutorial 1: tensors, autograd and a first model
--
-- This notebook is a plain Lua file with jupytext "percent" cells. Run it, or render it
-- with its outputs:
--
-- ```sh
-- lyra notebook docs/tutorials/01_tensors_and_a_first_model.lua --to html,md -o docs/tutorials
-- ```
--
-- **What you will learn**
--
-- 1. how Lyra's tensors look from Lua: creating, indexing, the difference between the
--    matrix product `*` and the element-wise `x:mul(y)`, in-place operations;
-- 2. how autograd works: `requires_grad_()`, `backward()`, `.grad`, and a gradient
--    descent written by hand;
-- 3. how to load a Fashion-MNIST subset, look at its images, build a small network with
--    `lyra.nn`, train it with a loop of your own and measure its test accuracy;
-- 4. how to draw a learning curve and an image grid with `lyra.plot`.
--
-- Everything here runs in a few seconds on a laptop CPU: the model is a small
-- multi-layer perceptron (MLP) and it sees 6,000 of the 60,000 training images.

-- %% [markdown]
-- ## 1. Tensors
--
-- A tensor is an n-dimensional array of numbers. Lyra follows Torch7 at the Lua
-- boundary: dimensions and positions are **1-based**, sizes come from `x:size()`, and
-- every function has help (`? lyra.tensor` in the REPL, or `lyra.help(f)`).

-- %%
lyra.manual_seed(0)                       -- every random number below is reproducible
local x = lyra.tensor{{1, 2, 3}, {4, 5, 6}}
print('x has size', table.concat(x:size(), 'x'), 'and', x:numel(), 'elements')
print('row 2:', x[2])                      -- one index selects along the first dimension
print('column 3:', x[{ {}, 3 }])           -- {} keeps a whole dimension
print('sum of each column:', x:sum(1))
x:t()                                      -- the last expression of a cell is shown

-- %% [markdown]
-- `*` between two tensors is the **matrix product** (as in Torch7); the element-wise
-- product is `x:mul(y)` (or `x:cmul(y)`). Operations return new tensors; the in-place
-- forms end in `_` (`x:add_(y)`, `x:mul_(2)`).

-- %%
local a = lyra.tensor{{1, 2}, {3, 4}}
local b = lyra.tensor{{10, 20}, {30, 40}}
print('matrix product a * b:'); print(a * b)
print('element-wise a:mul(b):'); print(a:mul(b))
local r = lyra.randn(2, 3)               -- normal random numbers
r:mul_(0):add_(1)                          -- in place: now all ones
r

-- %% [markdown]
-- ## 2. Autograd
--
-- A tensor made with `requires_grad_()` records the operations applied to it. Calling
-- `backward()` on a scalar result fills `.grad` of every such tensor with the derivative
-- of that scalar. For `loss = sum(w * w)` the gradient is `2 w`:

-- %%
local w = lyra.randn(3):requires_grad_()
local loss = w:mul(w):sum()
loss:backward()
print('w      =', w:view(1, 3))
print('w.grad =', w.grad:view(1, 3))
local err = (w.grad - w:detach() * 2):abs():max():item()
print('largest |grad - 2w| =', err)
assert(err < 1e-5, 'the gradient of sum(w*w) is 2w')

-- %% [markdown]
-- The same machinery trains any model. Here is gradient descent by hand: fit a line
-- `y = 3x + 1` to 100 noisy points by moving the slope and the intercept against their
-- gradients. `lyra.no_grad` keeps the updates themselves out of the recorded graph.

-- %%
local xs = lyra.rand(100, 1) * 4 - 2                         -- 100 points in [-2, 2]
local ys = xs * 3 + 1 + lyra.randn(100, 1) * 0.1
local slope = lyra.zeros(1):requires_grad_()
local intercept = lyra.zeros(1):requires_grad_()
for step = 1, 100 do
  local pred = xs:mul(slope:expand(100, 1)) + intercept:expand(100, 1)
  local mse = (pred - ys):pow(2):mean()
  slope.grad, intercept.grad = nil, nil
  mse:backward()
  lyra.no_grad(function()
    slope:add_(slope.grad * -0.1)
    intercept:add_(intercept.grad * -0.1)
  end)
  if step == 1 or step == 5 or step == 10 or step % 50 == 0 then
    print(('step %3d  mse %.4f  slope %.3f  intercept %.3f'):format(
      step, mse:item(), slope:item(), intercept:item()))
  end
end
assert(math.abs(slope:item() - 3) < 0.1 and math.abs(intercept:item() - 1) < 0.1, 'the fit finds y = 3x + 1')

-- %% [markdown]
-- The slope and intercept end close to 3 and 1. Nothing else is needed to train a
-- neural network: a model is a function with many such parameters, and `lyra.optim`
-- provides the update rules (SGD with momentum, Adam, AdamW) so you do not write them
-- by hand.
--
-- ## 3. The data
--
-- `lyra.data.fashion_mnist` reads the Fashion-MNIST images that `scripts/setup`
-- installed (Debian's `dataset-fashion-mnist`): 28x28 greyscale pictures of clothes in
-- 10 classes, already normalised. Labels are 1..10 in Lua. We keep the first 6,000
-- training images and the first 1,000 test images so the notebook stays quick.

-- %%
local data, nn = lyra.data, lyra.nn
local function first(ds, n)
  local idx = {}
  for i = 1, n do idx[i] = i end
  return ds:subset(idx)
end
local full_train = data.fashion_mnist{split = 'train'}
local classes = full_train:classes()
local train = first(full_train, 6000)
local test = first(data.fashion_mnist{split = 'test'}, 1000)
print(('%d training images, %d test images, %d classes'):format(#train, #test, #classes))
print('classes: ' .. table.concat(classes, ', '))
assert(#train == 6000 and #test == 1000 and #classes == 10)

-- %% [markdown]
-- A loader cuts a dataset into mini-batches: `x` is a float tensor `[N, 1, 28, 28]` and
-- `y` an integer tensor of `N` labels. `lyra.plot.image` draws a batch as a grid (values
-- are stretched per image, so the normalisation does not matter for the picture).

-- %%
local x16, y16
for bx, by in data.loader(train, {batch_size = 16, shuffle = true, seed = 1}):iter() do
  x16, y16 = bx, by
  break
end
local captions = {}
for i = 1, 16 do captions[i] = classes[y16[i]] end
lyra.plot.image(x16, {columns = 8, captions = captions, title = '16 training images'})

-- %% [markdown]
-- ## 4. A first model
--
-- A multi-layer perceptron: flatten the 784 pixels, two hidden layers with ReLU, and 10
-- outputs (one score, or *logit*, per class). `nn.Sequential` applies its modules in
-- order; printing a model lists its layers and parameters.

-- %%
local model = nn.Sequential()
  :add(nn.Flatten())
  :add(nn.Linear(784, 128)):add(nn.ReLU())
  :add(nn.Linear(128, 64)):add(nn.ReLU())
  :add(nn.Linear(64, 10))
model

-- %% [markdown]
-- ## 5. The training loop
--
-- One *epoch* shows the model every training image once, in shuffled mini-batches of 64
-- images. For each batch: compute the logits, the cross-entropy loss against the labels,
-- clear the old gradients, `backward()`, and let the optimiser (SGD with momentum) take
-- a step. After each epoch we measure the accuracy on the test images in evaluation
-- mode and without recording gradients.

-- %%
local criterion = nn.CrossEntropyLoss()
local opt = lyra.optim.SGD(model:parameters(), {lr = 0.05, momentum = 0.9})
local loader = data.loader(train, {batch_size = 64, shuffle = true, seed = 0})
local test_loader = data.loader(test, {batch_size = 500})

local function accuracy()
  model:eval()
  local correct = 0
  lyra.no_grad(function()
    for tx, ty in test_loader:iter() do
      local _, pred = model(tx):max(2)                     -- the class with the largest logit
      correct = correct + pred:eq(ty):sum():item()
    end
  end)
  model:train()
  return correct / #test
end

local epochs, step_losses, epoch_acc = 8, {}, {}
local t0 = lyra.clock()
for epoch = 1, epochs do
  local sum, n = 0, 0
  for bx, by in loader:iter() do
    local l = criterion(model(bx), by)
    opt:zero_grad()
    l:backward()
    opt:step()
    step_losses[#step_losses + 1] = l:item()
    sum, n = sum + l:item(), n + 1
  end
  epoch_acc[epoch] = accuracy()
  print(('epoch %d: mean training loss %.4f, test accuracy %.4f'):format(epoch, sum / n, epoch_acc[epoch]))
end
print(('%d steps in %.1f s'):format(#step_losses, lyra.clock() - t0))
assert(epoch_acc[epochs] > 0.75, 'the MLP learns: over 75% test accuracy after 8 epochs')

-- %% [markdown]
-- ## 6. Learning curves
--
-- The loss of every mini-batch is noisy; a running mean over 20 steps shows the trend.
-- The second chart is the test accuracy after each epoch.

-- %%
local steps, smooth = {}, {}
local window = 20
for i = 1, #step_losses do
  local s, k = 0, 0
  for j = math.max(1, i - window + 1), i do s, k = s + step_losses[j], k + 1 end
  steps[i], smooth[i] = i, s / k
end
local curve = lyra.plot.line(steps, step_losses, {label = 'batch loss', color = '#b0c4de'})
  :line(steps, smooth, {label = 'running mean (20 steps)'})
  :title('Training loss'):xlabel('step'):ylabel('cross-entropy')
display(curve)
local e = {}
for i = 1, epochs do e[i] = i end
lyra.plot.line(e, epoch_acc, {label = 'test accuracy', markers = true})
  :title('Test accuracy after each epoch'):xlabel('epoch'):ylabel('accuracy')

-- %% [markdown]
-- ## 7. Looking at predictions
--
-- The first 16 test images, each captioned with the model's guess; a wrong guess is
-- marked with an ✗ and listed with the true class.

-- %%
model:eval()
local tx, ty
for bx, by in test_loader:iter() do tx, ty = bx, by; break end   -- the first batch
local guesses
lyra.no_grad(function() local _, p = model(tx):max(2); guesses = p end)
local labels = {}
for i = 1, 16 do
  labels[i] = classes[guesses[i]]
  if guesses[i] ~= ty[i] then
    labels[i] = '✗ ' .. labels[i]
    print(('image %d: guessed %s, truly %s'):format(i, classes[guesses[i]], classes[ty[i]]))
  end
end
lyra.plot.image(tx[{ {1, 16} }], {columns = 8, size = 80, captions = labels, title = "the model's guesses"})

-- %% [markdown]
-- ## What you learned
--
-- - Tensors are 1-based at the Lua boundary; `*` is the matrix product, `x:mul(y)` the
--   element-wise one; functions ending in `_` work in place.
-- - Autograd records operations on tensors that require gradients; `backward()` fills
--   `.grad`, and an optimiser turns gradients into updates.
-- - A training loop is five lines: forward, loss, `zero_grad`, `backward`, `step`.
-- - `lyra.plot` draws line charts and image grids; a notebook embeds them.
--
-- **Try next:** replace the MLP with the small CNN of the README
-- (`nn.Conv2d(1, 32, 3, {padding = 1})`, `nn.MaxPool2d(2)`, ...) or run
-- `docs/examples/train_cnn.lua`, which trains the reference CNN on all 60,000 images.
-- The cell below is tagged `skip`: it shows such a CNN without running it here. Save a
-- trained model with `model:save('mlp.safetensors')` (weights plus a `.json`
-- description) and rebuild it with `lyra.nn.load`.
--
-- [Tutorial 2](02_hpo_with_asha.md) searches the hyperparameters of such a model with ASHA.

-- %% tags=["skip"]
local cnn = nn.Sequential()
  :add(nn.Conv2d(1, 32, 3, {padding = 1})):add(nn.ReLU()):add(nn.MaxPool2d(2))
  :add(nn.Conv2d(32, 64, 3, {padding = 1})):add(nn.ReLU()):add(nn.MaxPool2d(2))
  :add(nn.Flatten()):add(nn.Linear(64 * 7 * 7, 128)):add(nn.ReLU()):add(nn.Linear(128, 10))
print(cnn)
