-- HPO benchmark: our lyra.search algorithms on the anchors' problems, with the anchors'
-- protocol (/work/shared/anchors/hpo.md §1–2), our figures printed beside the reference
-- libraries' (Optuna 5.0.0, HpBandSter 0.7.4) per-seed results from anchors/hpo_runs.csv.
--
--   lyra scripts/bench/hpo.lua [--seeds N] [--quick] [--problems a,b] [--algs a,b]
--                              [--data DIR] [--anchors DIR] [--csv FILE] [--tables FILE]
--
-- Driven by scripts/bench/hpo (builds the release binary, unpacks the HPOLib table).
-- Problems are written here, in Lua, from their definitions in anchors/hpo.md §2; the
-- noise comes from Lua's math.random (xoshiro256**) seeded per (problem, seed), so our
-- noise streams differ from numpy's PCG64: distributions over seeds are compared.

local opts = { seeds = 20, data = '../shared/data', anchors = '../shared/anchors' }
do
  local a, i = { ... }, 1
  while i <= #a do
    local k = a[i]
    local function val() i = i + 1; return (assert(a[i], k .. ' needs a value')) end
    if k == '--seeds' then opts.seeds = tonumber(val()); opts.seeds_given = true
    elseif k == '--quick' then opts.quick = true
    elseif k == '--problems' then opts.problems = val()
    elseif k == '--algs' then opts.algs = val()
    elseif k == '--data' then opts.data = val()
    elseif k == '--anchors' then opts.anchors = val()
    elseif k == '--csv' then opts.csv = val()
    elseif k == '--tables' then opts.tables = val()
    elseif k == '--hpolib' then opts.hpolib = val()
    else error('unknown option ' .. k) end
    i = i + 1
  end
  if opts.quick and not opts.seeds_given then opts.seeds = math.min(opts.seeds, 5) end
end
local function set_of(csv)
  if not csv then return nil end
  local s = {}
  for w in csv:gmatch('[^,]+') do s[w] = true end
  return s
end
local only_problems, only_algs = set_of(opts.problems), set_of(opts.algs)

-- ── noise ────────────────────────────────────────────────────────────────────────────
local rnd = math.random
local function normal()
  local u1, u2 = rnd(), rnd()
  if u1 < 1e-300 then u1 = 1e-300 end
  return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
end
-- Binomial(n, p) as the count of n Bernoulli(p) draws (exact; n ≤ 729 here).
local function binomial(n, p)
  local k = 0
  for _ = 1, n do if rnd() < p then k = k + 1 end end
  return k
end

-- ── problems (anchors/hpo.md §2) ─────────────────────────────────────────────────────
local problems = {}

local function branin(x1, x2)
  local b, c, t = 5.1 / (4 * math.pi ^ 2), 5 / math.pi, 1 / (8 * math.pi)
  return (x2 - b * x1 * x1 + c * x1 - 6) ^ 2 + 10 * (1 - t) * math.cos(x1) + 10
end
problems.branin = {
  anchor = 'branin', kind = 'sf', eps = 1e-8, optimum = 0.3978873577297384,
  space = function() return lyra.space{ x1 = { type = 'FLOAT', range = { -5, 10 } }, x2 = { type = 'FLOAT', range = { 0, 15 } } } end,
  observe = function(c) return branin(c.x1, c.x2) end,
  true_loss = function(c) return branin(c.x1, c.x2) end,
}

local H_ALPHA = { 1.0, 1.2, 3.0, 3.2 }
local H_A = { { 10, 3, 17, 3.5, 1.7, 8 }, { 0.05, 10, 17, 0.1, 8, 14 }, { 3, 3.5, 1.7, 10, 17, 8 }, { 17, 8, 0.05, 10, 0.1, 14 } }
local H_P = { { 1312, 1696, 5569, 124, 8283, 5886 }, { 2329, 4135, 8307, 3736, 1004, 9991 },
              { 2348, 1451, 3522, 2883, 3047, 6650 }, { 4047, 8828, 8732, 5743, 1091, 381 } }
local function hartmann6(c, z)
  z = z or 1
  local s = 0
  for i = 1, 4 do
    local e = 0
    for j = 1, 6 do
      local d = c['x' .. (j - 1)] - H_P[i][j] * 1e-4
      e = e + H_A[i][j] * d * d
    end
    s = s + (H_ALPHA[i] - 0.1 * (1 - z)) * math.exp(-e)
  end
  return -s
end
local function unit_floats(n, prefix, t)
  t = t or {}
  for j = 0, n - 1 do t[prefix .. j] = { type = 'FLOAT', range = { 0, 1 } } end
  return t
end
problems.hartmann6 = {
  anchor = 'hartmann6', kind = 'sf', eps = 1e-8, optimum = -3.3223680114155147,
  space = function() return lyra.space(unit_floats(6, 'x')) end,
  observe = function(c) return hartmann6(c) end,
  true_loss = function(c) return hartmann6(c) end,
}

local function counting_ones_space()
  local t = unit_floats(8, 'x')
  for i = 0, 7 do t['c' .. i] = { type = 'CATEGORY', range = { 0, 1 } } end
  return lyra.space(t)
end
local function counting_ones_observed(c, b)
  local s = 0
  for i = 0, 7 do s = s + c['c' .. i] end
  for j = 0, 7 do s = s + binomial(b, c['x' .. j]) / b end
  return -s
end
local function counting_ones_true(c)
  local s = 0
  for i = 0, 7 do s = s + c['c' .. i] + c['x' .. i] end
  return -s
end
problems.counting_ones = {
  anchor = 'counting_ones_8+8', kind = 'sf', eps = 1e-8, optimum = -16,
  space = counting_ones_space,
  observe = function(c) return counting_ones_observed(c, 729) end,
  true_loss = counting_ones_true,
}

-- Tables: rows sorted by key, so a configuration's row is its mixed-radix index.
local function split_csv(line)
  local f = {}
  for v in (line .. ','):gmatch('([^,]*),') do f[#f + 1] = v end
  return f
end
local function load_table(path, seed_prefix, mean_col)
  local fh = assert(io.open(path, 'r'), 'cannot open ' .. path)
  local header = split_csv(fh:read('l'))
  local col = {}
  for i, h in ipairs(header) do col[h] = i end
  local seed_cols = {}
  for k = 0, 9 do if col[seed_prefix .. k] then seed_cols[#seed_cols + 1] = col[seed_prefix .. k] end end
  local rows = { mean = {}, seeds = {}, key = {} }
  for line in fh:lines() do
    local f = split_csv(line)
    local r = #rows.mean + 1
    rows.key[r] = f[1]
    rows.mean[r] = tonumber(f[col[mean_col]])
    local s = {}
    for _, ci in ipairs(seed_cols) do local v = tonumber(f[ci]); if v then s[#s + 1] = v end end
    rows.seeds[r] = s
  end
  fh:close()
  return rows
end

local NB_OPS = { 'none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3' }
local NB_INDEX = {}
for i, o in ipairs(NB_OPS) do NB_INDEX[o] = i - 1 end
local nb201
local function nb_row(c)
  local r = 0
  for i = 0, 5 do r = r * 5 + NB_INDEX[c['Op' .. i]] end
  return r + 1
end
problems.nb201 = {
  anchor = 'nb201_cifar10', kind = 'sf', eps = 1e-6, optimum = -91.60666665039064,
  load = function()
    nb201 = nb201 or load_table(opts.data .. '/nb201_cifar10.csv', 'val_acc_seed', 'val_acc_mean')
    assert(#nb201.mean == 15625 and nb201.key[334] == '002313', 'unexpected NB201 table layout')
  end,
  space = function()
    local t = {}
    for i = 0, 5 do t['Op' .. i] = { type = 'CATEGORY', range = NB_OPS } end
    return lyra.space(t)
  end,
  -- k = a uniform draw among the seeds the row has; loss = −val_acc_seed{k}.
  observe = function(c) local s = nb201.seeds[nb_row(c)]; return -s[rnd(#s)] end,
  true_loss = function(c) return -nb201.mean[nb_row(c)] end,
}

-- HPOLib: categorical activations and schedule, ordinal numbers as integer indices.
local HP_PARAMS = { { 'activation_fn_1', { 'relu', 'tanh' } }, { 'activation_fn_2', { 'relu', 'tanh' } },
                    { 'batch_size_index', 4 }, { 'dropout_1_index', 3 }, { 'dropout_2_index', 3 },
                    { 'init_lr_index', 6 }, { 'lr_schedule', { 'cosine', 'const' } },
                    { 'n_units_1_index', 6 }, { 'n_units_2_index', 6 } }
local hpolib
local function hp_row(c)
  local r = 0
  for _, p in ipairs(HP_PARAMS) do
    local name, dom = p[1], p[2]
    local n, idx
    if type(dom) == 'table' then
      n = #dom
      for i, v in ipairs(dom) do if v == c[name] then idx = i - 1 end end
    else n, idx = dom, math.tointeger(c[name]) end
    r = r * n + idx
  end
  return r + 1
end
problems.hpolib = {
  anchor = 'hpolib_protein_structure', kind = 'sf', eps = 1e-6, optimum = 0.221378855407238,
  load = function()
    hpolib = hpolib or load_table(opts.hpolib or (opts.data .. '/hpolib_protein_structure.csv'), 'val_loss_seed', 'val_loss_mean')
    assert(#hpolib.mean == 62208 and hpolib.key[62208] == '113225155', 'unexpected HPOLib table layout')
  end,
  space = function()
    local t = {}
    for _, p in ipairs(HP_PARAMS) do
      if type(p[2]) == 'table' then t[p[1]] = { type = 'CATEGORY', range = p[2] }
      else t[p[1]] = { type = 'INT', range = { 0, p[2] - 1 } } end
    end
    return lyra.space(t)
  end,
  observe = function(c) local s = hpolib.seeds[hp_row(c)]; return s[rnd(#s)] end,
  true_loss = function(c) return hpolib.mean[hp_row(c)] end,
}

-- P6: ε ~ N(0, 0.05) at every evaluation, z = b/81.
problems.mf_hartmann6 = {
  anchor = 'mf_hartmann6', kind = 'mf', optimum = -3.3223680114155147, b_max = 81,
  space = function() return lyra.space(unit_floats(6, 'x')) end,
  observe = function(c, b) return hartmann6(c, b / 81) + math.sqrt(0.05) * normal() end,
  true_loss = function(c) return hartmann6(c) end,
}
problems.mf_counting_ones = {
  anchor = 'mf_counting_ones_8+8', kind = 'mf', optimum = -16, b_max = 729,
  space = counting_ones_space,
  observe = function(c, b) return counting_ones_observed(c, math.floor(b + 0.5)) end,
  true_loss = counting_ones_true,
}

local PROBLEM_ORDER = { 'branin', 'hartmann6', 'counting_ones', 'nb201', 'hpolib', 'mf_hartmann6', 'mf_counting_ones' }

-- ── algorithms ───────────────────────────────────────────────────────────────────────
-- Single fidelity: 200 sequential evaluations. Multi-fidelity: η = 3, budgets
-- b_max·3^−k (k = 4..0), run until 100 FFE are spent.
local SF_N, SF_CK = 200, { 25, 50, 100, 200 }
local MF_FFE, MF_CK = 100, { 10, 25, 50, 100 }

-- anchor: the alg name in hpo_runs.csv this row is compared with (same algorithm).
local SF_ALGS = {
  { name = 'random', anchor = 'random', make = function(sp, s) return lyra.search.random{ space = sp, seed = s, max_trials = SF_N } end },
  { name = 'tpe', anchor = 'tpe', model = true, make = function(sp, s) return lyra.search.tpe{ space = sp, seed = s, max_trials = SF_N } end },
  { name = 'evolution', model = true, make = function(sp, s) return lyra.search.evolution{ space = sp, seed = s, max_trials = SF_N } end },
}
local function mf_budgets(p) return p.b_max / 81, p.b_max end
local MF_ALGS = {
  -- HpBandSter's RandomSearch: every config at b_max.
  { name = 'random', anchor = 'rs', make = function(sp, s, p) return lyra.search.random{ space = sp, seed = s, max_trials = 1000000, budget = p.b_max } end },
  { name = 'hyperband', anchor = 'hb', model = true, make = function(sp, s, p)
      local lo, hi = mf_budgets(p)
      return lyra.search.hyperband{ space = sp, seed = s, min_budget = lo, max_budget = hi, eta = 3, variant = 'hpbandster', iterations = 1000 } end },
  { name = 'bohb', anchor = 'bohb', model = true, make = function(sp, s, p)
      local lo, hi = mf_budgets(p)
      return lyra.search.bohb{ space = sp, seed = s, min_budget = lo, max_budget = hi, eta = 3, iterations = 1000 } end },
  { name = 'asha', model = true, make = function(sp, s, p)
      local lo, hi = mf_budgets(p)
      return lyra.search.asha{ space = sp, seed = s, min_budget = lo, max_budget = hi, eta = 3, max_trials = 1000000 } end },
  { name = 'boss', model = true, make = function(sp, s, p)
      local lo, hi = mf_budgets(p)
      -- VEGA's defaults, num_samples = 40 and repeat_times = 2, spend only 3.6 FFE here
      -- (sub-brackets of 9, 7, 3, 1 configs starting at b_max/81·{1, 3, 9, 27}; no rung
      -- reaches b_max). The same 20-config repeats, 55 times, spend the 100 FFE.
      return lyra.search.boss{ space = sp, seed = s, min_budget = lo, max_budget = hi, eta = 3, num_samples = 1100, repeat_times = 55 } end },
}

-- ── runs ─────────────────────────────────────────────────────────────────────────────
local function seed_stream(pname, s)
  local h = 0
  for i = 1, #pname do h = (h * 31 + pname:byte(i)) % 2147483647 end
  math.randomseed(s, h)
end

-- Single fidelity: the incumbent after t is the lowest observed loss among the first t
-- (ties: the earlier); r_t = true(incumbent) − f*.
local function run_sf(p, alg, s)
  seed_stream(p.anchor, s)
  local search = alg.make(p.space(), s)
  local r, best_obs, best_true = {}, math.huge, nil
  for t = 1, SF_N do
    local trial = assert(search:ask(), 'search stopped early')
    local obs = p.observe(trial.config)
    search:tell(trial, obs)
    if obs < best_obs then best_obs, best_true = obs, p.true_loss(trial.config) end
    r[t] = best_true - p.optimum
  end
  search:free()
  local ck, aulr = {}, 0
  for i, c in ipairs(SF_CK) do ck[i] = r[c] end
  for t = 1, SF_N do aulr = aulr + math.log(math.max(r[t], p.eps), 10) end
  return ck, aulr / SF_N
end

-- Multi-fidelity: FFE = Σ b/b_max over all evaluations (no credit for resuming). At a
-- checkpoint c, over the evaluations with cumulative FFE ≤ c: the incumbent is the lowest
-- observed loss on the largest budget evaluated so far; scored by its true loss.
local function run_mf(p, alg, s)
  seed_stream(p.anchor, s)
  local search = alg.make(p.space(), s, p)
  local ffe, evals = 0, {}
  while true do
    local trial = search:ask()
    if not trial then break end
    local b = trial.budget or p.b_max
    if ffe + b / p.b_max > MF_FFE + 1e-9 then break end
    ffe = ffe + b / p.b_max
    local obs = p.observe(trial.config, b)
    search:tell(trial, obs)
    evals[#evals + 1] = { ffe = ffe, b = b, obs = obs, config = trial.config }
  end
  search:free()
  local ck = {}
  for i, c in ipairs(MF_CK) do
    local top, best = -math.huge, nil
    for _, e in ipairs(evals) do
      if e.ffe > c + 1e-9 then break end
      if e.b > top then top, best = e.b, e
      elseif e.b == top and e.obs < best.obs then best = e end
    end
    ck[i] = best and (p.true_loss(best.config) - p.optimum) or 0 / 0
  end
  return ck, nil, #evals, ffe
end

-- ── statistics ───────────────────────────────────────────────────────────────────────
local function mean(x) local s = 0; for _, v in ipairs(x) do s = s + v end; return s / #x end
local function se(x)
  if #x < 2 then return 0 / 0 end
  local m, s = mean(x), 0
  for _, v in ipairs(x) do s = s + (v - m) ^ 2 end
  return math.sqrt(s / (#x - 1)) / math.sqrt(#x)
end
local function median(x)
  local y = {}
  for i, v in ipairs(x) do y[i] = v end
  table.sort(y)
  local n = #y
  return n % 2 == 1 and y[(n + 1) // 2] or (y[n // 2] + y[n // 2 + 1]) / 2
end
local function erfc(x) -- Numerical Recipes' erfcc, relative error < 1.2e-7
  local z = math.abs(x)
  local t = 1 / (1 + 0.5 * z)
  local r = t * math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
  return x >= 0 and r or 2 - r
end
-- Two-sided Mann–Whitney U (normal approximation with tie correction, continuity
-- correction 0.5); returns p and the common-language effect P(a < b) + ½P(a = b).
local function mann_whitney(a, b)
  local all = {}
  for _, v in ipairs(a) do all[#all + 1] = { v, 1 } end
  for _, v in ipairs(b) do all[#all + 1] = { v, 2 } end
  table.sort(all, function(x, y) return x[1] < y[1] end)
  local n1, n2, N = #a, #b, #all
  local ranks, tie = {}, 0
  local i = 1
  while i <= N do
    local j = i
    while j < N and all[j + 1][1] == all[i][1] do j = j + 1 end
    local rk = (i + j) / 2
    for k = i, j do ranks[k] = rk end
    local t = j - i + 1
    tie = tie + t ^ 3 - t
    i = j + 1
  end
  local r1 = 0
  for k = 1, N do if all[k][2] == 1 then r1 = r1 + ranks[k] end end
  local u1 = r1 - n1 * (n1 + 1) / 2
  local mu = n1 * n2 / 2
  local sigma = math.sqrt(n1 * n2 / 12 * ((N + 1) - tie / (N * (N - 1))))
  local p = 1
  if sigma > 0 then
    local z = (math.abs(u1 - mu) - 0.5) / sigma
    p = math.min(1, erfc(math.max(z, 0) / math.sqrt(2)))
  end
  return p, 1 - u1 / (n1 * n2) -- P(a < b): a's values are lower (better) more often
end

-- ── anchors ──────────────────────────────────────────────────────────────────────────
local anchors = {}
do
  local fh = io.open(opts.anchors .. '/hpo_runs.csv', 'r')
  if fh then
    fh:read('l')
    for line in fh:lines() do
      local f = split_csv(line)
      local key = f[1] .. '/' .. f[2]
      local a = anchors[key] or { ck = { {}, {}, {}, {} }, aulr = {} }
      anchors[key] = a
      local seed = tonumber(f[3])
      if seed < opts.seeds then
        for i = 1, 4 do a.ck[i][#a.ck[i] + 1] = tonumber(f[3 + i]) end
        if f[8] ~= '' then a.aulr[#a.aulr + 1] = tonumber(f[8]) end
      end
    end
    fh:close()
  else
    io.stderr:write('hpo.lua: no ' .. opts.anchors .. '/hpo_runs.csv; printing our figures only\n')
  end
end

-- ── report ───────────────────────────────────────────────────────────────────────────
local function fmt(v)
  if v ~= v then return 'nan' end
  if v == 0 then return '0' end
  local a = math.abs(v)
  if a >= 100 or a < 1e-3 then return string.format('%.2e', v) end
  return string.format('%.3g', v)
end
local function cell(x) return fmt(mean(x)) .. ' ± ' .. fmt(se(x)) end

local csv_out = opts.csv and assert(io.open(opts.csv, 'w'))
if csv_out then csv_out:write('problem,alg,seed,r_ck1,r_ck2,r_ck3,r_ck4,aulr_log10,evals,wall_s\n') end
local md = {}
local function emit(line) print(line); md[#md + 1] = line end

local verdicts = {}
local t_start = lyra.clock()
for _, pname in ipairs(PROBLEM_ORDER) do
  local p = problems[pname]
  if (not only_problems or only_problems[pname]) and not (opts.quick and pname == 'hpolib' and not only_problems) then
    if p.load then p.load() end
    local algs = p.kind == 'sf' and SF_ALGS or MF_ALGS
    local cks = p.kind == 'sf' and SF_CK or MF_CK
    local unit = p.kind == 'sf' and '' or ' FFE'
    emit('')
    emit(string.format('### %s (%d seeds; %s)', pname, opts.seeds,
      p.kind == 'sf' and '200 evaluations, incumbent = best observed' or '100 FFE, η = 3, incumbent = best observed on the largest budget'))
    emit('')
    local head = '| algorithm | evals |'
    for _, c in ipairs(cks) do head = head .. ' r@' .. c .. unit .. ' |' end
    head = head .. ' median r@' .. cks[4] .. unit .. ' |' .. (p.kind == 'sf' and ' AULR |' or '') .. ' vs reference (MWU p) | vs our random (MWU p) |'
    emit(head)
    emit('|' .. string.rep('---|', p.kind == 'sf' and 10 or 9))
    local results = {}
    for _, alg in ipairs(algs) do
      if not only_algs or only_algs[alg.name] then
        local res = { ck = { {}, {}, {}, {} }, aulr = {}, evals = {}, ffe = {} }
        local t0 = lyra.clock()
        for s = 0, opts.seeds - 1 do
          local ts = lyra.clock()
          local ck, aulr, nev
          local spent
          if p.kind == 'sf' then ck, aulr = run_sf(p, alg, s); nev = SF_N else ck, aulr, nev, spent = run_mf(p, alg, s) end
          res.ffe[#res.ffe + 1] = spent
          for i = 1, 4 do res.ck[i][#res.ck[i] + 1] = ck[i] end
          if aulr then res.aulr[#res.aulr + 1] = aulr end
          res.evals[#res.evals + 1] = nev
          if csv_out then
            csv_out:write(string.format('%s,%s,%d,%.17g,%.17g,%.17g,%.17g,%s,%d,%.3f\n', p.anchor, alg.name, s, ck[1], ck[2], ck[3], ck[4],
              aulr and string.format('%.17g', aulr) or '', nev, lyra.clock() - ts))
            csv_out:flush()
          end
        end
        res.wall = lyra.clock() - t0
        results[alg.name] = res
        local ref = alg.anchor and anchors[p.anchor .. '/' .. alg.anchor]
        local final = res.ck[4]
        local vs_ref, vs_rand = '—', '—'
        if ref and #ref.ck[4] > 0 then
          local pv, better = mann_whitney(final, ref.ck[4])
          local tag = pv >= 0.05 and 'no sig. difference' or (better > 0.5 and 'ours better' or 'ours WORSE')
          vs_ref = string.format('%s (p=%.2g)', tag, pv)
          verdicts[#verdicts + 1] = { pname, alg.name, 'vs ' .. alg.anchor .. ' (reference)', tag, pv }
        end
        if alg.name ~= 'random' and results.random then
          local pv, better = mann_whitney(final, results.random.ck[4])
          local tag = better > 0.5 and (pv < 0.05 and 'beats random' or 'better, n.s.') or (pv < 0.05 and 'LOSES to random' or 'not better, n.s.')
          vs_rand = string.format('%s (p=%.2g)', tag, pv)
          verdicts[#verdicts + 1] = { pname, alg.name, 'vs our random', tag, pv }
        end
        local row = string.format('| lyra %s | %.0f%s |', alg.name, mean(res.evals),
          #res.ffe > 0 and string.format(' (%.1f FFE)', mean(res.ffe)) or '')
        for i = 1, 4 do row = row .. ' ' .. cell(res.ck[i]) .. ' |' end
        row = row .. ' ' .. fmt(median(final)) .. ' |' .. (p.kind == 'sf' and (' ' .. cell(res.aulr) .. ' |') or '')
        emit(row .. ' ' .. vs_ref .. ' | ' .. vs_rand .. ' |')
        if ref and #ref.ck[4] > 0 then
          local rrow = string.format('| *ref %s* | |', alg.anchor)
          for i = 1, 4 do rrow = rrow .. ' ' .. cell(ref.ck[i]) .. ' |' end
          rrow = rrow .. ' ' .. fmt(median(ref.ck[4])) .. ' |' .. (p.kind == 'sf' and (' ' .. (#ref.aulr > 0 and cell(ref.aulr) or '') .. ' |') or '')
          emit(rrow .. ' | |')
        end
        io.stderr:write(string.format('hpo: %-16s %-10s %6.1f s\n', pname, alg.name, res.wall))
      end
    end
  end
end

emit('')
emit('### Verdicts on the final checkpoint (two-sided Mann–Whitney U, α = 0.05)')
emit('')
local bad = 0
for _, v in ipairs(verdicts) do
  if v[4]:find('WORSE') or v[4]:find('LOSES') or v[4]:find('not better') then
    bad = bad + 1
    emit(string.format('- %s / %s %s: %s (p=%.2g)', v[1], v[2], v[3], v[4], v[5]))
  end
end
if bad == 0 then emit('- none worse than its reference; every model-based algorithm at least as good as random') end
emit(string.format('\ntotal %.0f s', lyra.clock() - t_start))
if csv_out then csv_out:close() end
if opts.tables then
  local fh = assert(io.open(opts.tables, 'w'))
  fh:write(table.concat(md, '\n'), '\n')
  fh:close()
end
