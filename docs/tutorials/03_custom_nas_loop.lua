-- %% [markdown]
-- # Tutorial 3: a custom NAS loop in Lua
--
-- ```sh
-- lyra notebook docs/tutorials/03_custom_nas_loop.lua --to html,md -o docs/tutorials
-- ```
--
-- Neural architecture search (NAS) searches the *shape* of a network rather than its
-- training settings. It is usually a trade-off: a bigger network is more accurate and
-- slower. So instead of one best architecture we want the **Pareto front**: the
-- architectures that no other one beats on both accuracy and latency at once.
--
-- **What you will learn**
--
-- 1. how a *codec* (`lyra.search.codec`) samples and mutates architectures as
--    encoding strings — here VEGA's DNet blocks;
-- 2. how `lyra.nn.build` turns an encoding into a network, and how to measure its
--    parameters and its CPU latency (`m:latency`);
-- 3. how to write an evolutionary search loop yourself with NSGA-II's non-dominated
--    sort (`lyra.search.nondominated`);
-- 4. how to plot accuracy against latency with the Pareto front.
--
-- The same loop as a script is `docs/examples/custom_nas.lua`; the same search as a
-- pipeline step is `DblockNas` ([its page](../algorithms/pareto_ea.md),
-- `docs/examples/dnet_nas.yml`). To keep this notebook to seconds, every architecture
-- trains for one epoch on only 600 images: the scores are rough *proxies*, far below
-- what the same networks reach with real training, enough to show the method but not to
-- rank architectures seriously.

-- %% [markdown]
-- ## 1. Architectures as strings
--
-- A DNet encoding reads `<block>_<C>_<macro>`:
--
-- - **block**: the layers of one block, alternating an operation digit (0–6: conv3,
--   conv1, conv3_grp2, conv3_grp4, conv3_base1, conv3_base32, conv3_sep) and a channel
--   code (0–4: a layer's width is in·mult·2^c/4), then optionally `-` and extra
--   connections `a01` (add output 0 into output 1) or `c12` (concatenate);
-- - **C**: the stem width;
-- - **macro**: one digit per block, its channel multiplier; a `-` makes the next block
--   halve the image (stride 2).
--
-- A codec is built from a search space over the block's size: `op_num` layers per
-- block, `skip_num` extra connections, `base_channel` C. We keep the macro fixed and
-- short (`1-2`: two blocks, the second strided and twice as wide) and the widths tiny.

-- %%
lyra.manual_seed(0)
math.randomseed(0)                         -- the loop below picks parents with math.random
local nn, data, search = lyra.nn, lyra.data, lyra.search
local space = lyra.space{hyperparameters = {
  {key = 'network.backbone.op_num', type = 'CATEGORY', range = {2, 3}},
  {key = 'network.backbone.skip_num', type = 'CATEGORY', range = {0, 1}},
  {key = 'network.backbone.base_channel', type = 'CATEGORY', range = {4, 8}},
}}
local codec = search.codec{kind = 'dnet_block', macro = '1-2', space = space, seed = 0}
local a = codec:sample()
print('a sample:  ', a['network.backbone.encoding'])
print('a mutation:', codec:mutate(a)['network.backbone.encoding'])
print('another:   ', codec:sample()['network.backbone.encoding'])
print('valid?', codec:validate(a))

-- %% [markdown]
-- `sample` draws a random architecture; `mutate` changes one thing (an operation, a
-- channel code, or a connection) and keeps the block size, C and the macro. DNet codecs
-- only hand out encodings that build (a grouped convolution needs widths its group
-- count divides).
--
-- ## 2. From encoding to network
--
-- `lyra.nn.build` takes a description and the shape of one input sample, here one
-- 28x28 greyscale image. `small_input = true` keeps the stem's first convolution at
-- stride 1, so a small image is halved once by the stem instead of twice.

-- %%
local model = nn.build({type = 'DNet', small_input = true, encoding = a['network.backbone.encoding']}, {1, 28, 28})
local prof = model:profile{1, 1, 28, 28}
print(('%d parameters, %.2f M multiply-adds per image'):format(prof.parameters, prof.macs / 1e6))
print(('latency of one image: %.3f ms (median of 10 warm runs on this CPU)'):format(model:latency({1, 1, 28, 28}) * 1e3))

-- %% [markdown]
-- ## 3. Scoring an architecture
--
-- Every candidate trains one epoch with Adam (learning rate 0.01) on 600 training images in batches of 16 and
-- is scored on 300 test images. Its second objective is the latency of one image. The
-- latency is measured by this process on this CPU, so it is only comparable within one
-- run (and a debug build is much slower than a release build).

-- %%
local function first(ds, n)
  local idx = {}
  for i = 1, n do idx[i] = i end
  return ds:subset(idx)
end
local train = first(data.fashion_mnist{split = 'train'}, 600)
local test = first(data.fashion_mnist{split = 'test'}, 300)

local function evaluate(config)              -- -> {accuracy, latency in ms}
  lyra.manual_seed(0)                          -- the same initial weights for the same architecture
  local m = nn.build({type = 'DNet', small_input = true, encoding = config['network.backbone.encoding']}, {1, 28, 28})
  local opt = lyra.optim.Adam(m:parameters(), {lr = 0.01})
  local crit = nn.CrossEntropyLoss()
  for x, y in data.loader(train, {batch_size = 16, shuffle = true, seed = 0}):iter() do
    local l = crit(m(x), y)
    opt:zero_grad(); l:backward(); opt:step()
  end
  m:eval()
  local correct = 0
  lyra.no_grad(function()
    for x, y in data.loader(test, {batch_size = 300}):iter() do
      local _, p = m(x):max(2)
      correct = correct + p:eq(y):sum():item()
    end
  end)
  return {correct / #test, m:latency({1, 1, 28, 28}) * 1e3}
end

-- %% [markdown]
-- ## 4. The evolution loop
--
-- A population starts with 4 random architectures. Each of the next 4 steps:
--
-- 1. sort the population into fronts with `lyra.search.nondominated(scores,
--    {'max', 'min'})` — accuracy is maximised, latency minimised; `fronts[1]` is the
--    Pareto front;
-- 2. pick a parent on the front at random and add its mutation, scored (a mutation
--    that repeats an architecture already seen is drawn again);
-- 3. sort again and remove the member of the *worst* front with the smallest crowding
--    distance (the one with the closest neighbours), so the front stays spread out.
--
-- That is NSGA-II's survival rule (Deb et al. 2002), one child at a time. Every
-- evaluation is kept in `history` for the plot.

-- %%
local history, pop, seen = {}, {}, {}
local function add(config, parent)
  seen[config['network.backbone.encoding']] = true
  local s = evaluate(config)
  local member = {config = config, score = s, id = #history + 1, parent = parent}
  history[#history + 1] = member
  pop[#pop + 1] = member
  print(('#%d %-22s accuracy %.3f  latency %.3f ms%s'):format(member.id, config['network.backbone.encoding'],
    s[1], s[2], parent and ('  (child of #' .. parent .. ')') or ''))
end
local function scores(list)
  local out = {}
  for i, m in ipairs(list) do out[i] = m.score end
  return out
end

local t0 = lyra.clock()
for _ = 1, 4 do add(codec:sample()) end
for _ = 1, 4 do
  local fronts = search.nondominated(scores(pop), {'max', 'min'})
  local parent = pop[fronts[1][math.random(#fronts[1])]]
  local child = codec:mutate(parent.config)
  for _ = 1, 20 do                             -- avoid evaluating an architecture twice
    if not seen[child['network.backbone.encoding']] then break end
    child = codec:mutate(parent.config)
  end
  add(child, parent.id)
  local crowd
  fronts, crowd = search.nondominated(scores(pop), {'max', 'min'})
  local last, worst = fronts[#fronts], nil
  for _, i in ipairs(last) do
    if not worst or crowd[i] < crowd[worst] then worst = i end
  end
  print(('   removed #%d'):format(pop[worst].id))
  table.remove(pop, worst)
end
print(('%d architectures in %.1f s'):format(#history, lyra.clock() - t0))

-- %% [markdown]
-- ## 5. The Pareto front
--
-- Over everything evaluated (not only the final population), the non-dominated
-- architectures:

-- %%
local fronts = search.nondominated(scores(history), {'max', 'min'})
local front = fronts[1]
table.sort(front, function(i, j) return history[i].score[2] < history[j].score[2] end)
for _, i in ipairs(front) do                    -- a check: no member of the front beats another on both
  for _, j in ipairs(front) do
    local a, b = history[i].score, history[j].score
    assert(not (a[1] >= b[1] and a[2] <= b[2] and (a[1] > b[1] or a[2] < b[2])), 'front members are non-dominated')
  end
end
local rows = {}
for _, i in ipairs(front) do
  local m = history[i]
  rows[#rows + 1] = {['#'] = m.id, encoding = m.config['network.backbone.encoding'],
                     accuracy = ('%.3f'):format(m.score[1]), latency_ms = ('%.3f'):format(m.score[2])}
end
display(rows)

-- %% [markdown]
-- Each point below is one evaluated architecture; the step line joins the Pareto
-- front. A point to the upper left of another beats it on both objectives.

-- %%
local lat, acc = {}, {}
for i, m in ipairs(history) do lat[i], acc[i] = m.score[2], m.score[1] end
lyra.plot.scatter(lat, acc, {label = 'architecture', front = front, front_label = 'Pareto front',
                             title = 'Accuracy vs latency', xlabel = 'latency of one image (ms)',
                             ylabel = 'test accuracy (1 epoch on 600 images)'})

-- %% [markdown]
-- ## What you learned
--
-- - A codec turns a small search space into architecture encodings and moves between
--   them (`sample`, `mutate`, `crossover`, `validate`).
-- - `lyra.nn.build(description, input_shape)` builds any network type Lyra knows;
--   `m:profile` and `m:latency` measure it.
-- - `lyra.search.nondominated` gives the fronts and crowding distances that a
--   multi-objective evolution needs; twenty lines of Lua make an NSGA-II-style search.
-- - With real budgets (more images, more epochs, a release build) the same loop is
--   `docs/examples/custom_nas.lua`. `lyra.search.pareto{kind = 'dnet_block', ...}` is the
--   same evolution behind `ask`/`tell`, and the `DblockNas` / `DnetNas` pipeline steps run
--   it with checkpoints, a trial store and a report (`docs/examples/dnet_nas.yml`).
