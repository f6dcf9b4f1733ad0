-- %% [markdown]
-- # A first Lyra notebook
--
-- Run it with `lyra notebook docs/examples/notebook_demo.lua --to html`. Cells start
-- at `-- %%` lines; this one is **markdown** (its lines are Lua comments).

-- %%
-- A code cell. Its locals stay visible in the cells below.
lyra.manual_seed(1)
local x = lyra.randn(4, 3)
print('a random matrix of size ' .. table.concat(x:size(), 'x'))
x:abs() -- a cell's last expression is shown, as in the REPL

-- %% [markdown]
-- ## A plot
-- `display(p)` (or a plot left as the cell's value) embeds the chart as SVG.

-- %%
local steps, loss = {}, {}
for i = 1, 30 do
  steps[i] = i
  loss[i] = 2 * math.exp(-i / 8) + 0.05 * math.sin(i)
end
lyra.plot.line(steps, loss, {label = 'train loss', markers = true})
  :title('Loss'):xlabel('epoch'):ylabel('loss')

-- %% tags=["hide"]
-- A hidden cell: it runs and its output is shown, but not its code.
display({{name = 'resnet18', params = 11.7}, {name = 'mobilenet_v2', params = 3.5}})

-- %%
local h = lyra.plot.hist(x:view(-1), {bins = 6, title = 'values of x'})
display(h)
print(('x has %d values'):format(x:numel()))

-- %% [markdown]
-- An image tensor `[N,C,H,W]` (or `[C,H,W]`) is shown as a picture.

-- %%
local checker = lyra.zeros(4, 1, 16, 16)
for n = 1, 4 do
  for i = 1, 16 do
    for j = 1, 16 do
      if ((i - 1) // (2 * n) + (j - 1) // (2 * n)) % 2 == 0 then checker[n][1][i][j] = 1 end
    end
  end
end
display(checker)
