-- Issue 17's indexing and linear algebra from Lua: mask indexing, scatter/index ops, reordering,
-- matrix helpers and lyra.linalg over LAPACK. Values are checked against naive Lua loops or the
-- identities the results must satisfy; gradients against central differences; bad arguments
-- against their error messages.
local T = require 'lyra.test'

-- Deterministic values away from ties: v_k = sin(k * seed) * 2.
local function values(n, seed)
  local t = {}
  for k = 1, n do t[k] = math.sin(k * seed) * 2 end
  return t
end
local function matrix(r, c, seed)
  local v, m = values(r * c, seed), {}
  for i = 1, r do m[i] = {} for j = 1, c do m[i][j] = v[(i - 1) * c + j] end end
  return m
end
local function close(a, b, tol, what)
  T.eq(#a, #b, what .. ' length')
  for i = 1, #a do
    if type(a[i]) == 'table' then close(a[i], b[i], tol, what .. '[' .. i .. ']')
    else T.ok(math.abs(a[i] - b[i]) <= tol * math.max(1, math.abs(b[i])), what .. '[' .. i .. ']: ' .. a[i] .. ' vs ' .. b[i]) end
  end
end
local function matmul(a, b)
  local c = {}
  for i = 1, #a do c[i] = {} for j = 1, #b[1] do
    local s = 0
    for k = 1, #b do s = s + a[i][k] * b[k][j] end
    c[i][j] = s
  end end
  return c
end
local function eye(n)
  local m = {}
  for i = 1, n do m[i] = {} for j = 1, n do m[i][j] = i == j and 1 or 0 end end
  return m
end

-- The tape's gradient of sum(f(x) * w) against central differences (eps 1e-2 in float32).
local function gradcheck(what, x, f, tol)
  tol = tol or 2e-2
  x = x:clone():detach():requires_grad_()
  local y = f(x)
  local w = lyra.tensor(values(y:numel(), 0.7)):view(y:size())
  y:backward(w)
  local g = x.grad:reshape(-1):totable()
  local flat = x:detach():reshape(-1)
  for i = 1, flat:numel() do
    local function loss(d)
      local p = flat:clone()
      p[i] = p[i] + d
      return lyra.no_grad(function() return f(p:view(x:size())):mul(w):sum():item() end)
    end
    local numeric = (loss(1e-2) - loss(-1e-2)) / 2e-2
    T.ok(math.abs(numeric - g[i]) <= tol * math.max(1, math.abs(numeric)), what .. ' element ' .. i .. ': tape ' .. g[i] .. ', numeric ' .. numeric)
  end
end

T.case('x[mask] selects row-major, x[mask] = v assigns, masks are 0/1 only', function()
  local m = matrix(3, 4, 1.3)
  local x = lyra.tensor(m)
  local want = {}
  for i = 1, 3 do for j = 1, 4 do if m[i][j] > 0 then want[#want + 1] = m[i][j] end end end
  close(x[x:gt(0)]:totable(), want, 1e-6, 'x[x:gt(0)]')
  close(x:masked_select(x:gt(0)):totable(), want, 1e-6, 'masked_select')
  close(lyra.masked_select(x, x:gt(0)):totable(), want, 1e-6, 'lyra.masked_select')
  -- a [4] mask broadcasts over the rows
  local cols = x[lyra.tensor{0, 1, 0, 0}]:totable()
  close(cols, {m[1][2], m[2][2], m[3][2]}, 1e-6, 'broadcast mask')
  local y = x:clone()
  y[y:lt(0)] = 0
  for i = 1, 3 do for j = 1, 4 do T.eq(y[i][j], m[i][j] < 0 and 0 or y[i][j]) T.ok(y[i][j] >= 0) end end
  local z = lyra.tensor{1, -2, 3, -4}
  z[z:lt(0)] = lyra.tensor{20, 40}
  T.eq(z:totable(), {1, 20, 3, 40})
  z[lyra.tensor{1, 0, 0, 0}] = lyra.tensor{7}
  T.eq(z:totable(), {7, 20, 3, 40})
  T.raises('a mask holds only 0 and 1', function() return z[lyra.tensor{1, 3, 2, 0}] end)
  T.raises('does not broadcast', function() return z[lyra.tensor{1, 0}] end)
  T.raises('2 values for 1 selected positions', function() z[z:gt(30)] = lyra.tensor{1, 2} end)
  local p = lyra.tensor{1, 2}:requires_grad_()
  T.raises('requires grad', function() p[p:gt(1)] = 0 end)
  gradcheck('x[mask]', x, function(t) return t[x:gt(0)]:mul(2) end)
end)

T.case('masked_fill: out of place (differentiable) and in place', function()
  local x = lyra.tensor(matrix(2, 3, 0.9))
  local mask = lyra.tensor{1, 0, 1}
  local r = x:masked_fill(mask, -5):totable()
  for i = 1, 2 do for j = 1, 3 do T.eq(r[i][j], j ~= 2 and -5 or x[i][j]) end end
  local y = x:clone()
  T.ok(rawequal(y:masked_fill_(mask, 9), y), 'masked_fill_ returns x')
  T.eq(y[1][1], 9)
  gradcheck('masked_fill', x, function(t) return t:masked_fill(mask, 3):mul(t) end)
  T.raises('mask holds only 0 and 1', function() x:masked_fill(lyra.tensor{0.5, 0, 0}, 1) end)
end)

T.case('scatter, scatter_add, index_add, index_fill against naive loops', function()
  local base = matrix(3, 4, 0.4)
  local src = matrix(2, 3, 0.6)
  local idx = {{4, 1, 3}, {2, 2, 1}}  -- 1-based, repeated 2 in row 2
  local x, s, ix = lyra.tensor(base), lyra.tensor(src), lyra.tensor(idx)
  local want, wantAdd = matrix(3, 4, 0.4), matrix(3, 4, 0.4)
  for i = 1, 2 do for j = 1, 3 do
    want[i][idx[i][j]] = src[i][j]
    wantAdd[i][idx[i][j]] = wantAdd[i][idx[i][j]] + src[i][j]
  end end
  close(x:scatter(2, ix, s):totable(), want, 1e-6, 'scatter')
  close(x:scatter_add(2, ix, s):totable(), wantAdd, 1e-6, 'scatter_add')
  close(lyra.scatter(x, 2, ix, s):totable(), want, 1e-6, 'lyra.scatter')
  local y = x:clone()
  y:scatter_(2, ix, 0.5)
  for i = 1, 2 do for j = 1, 3 do T.eq(y[i][idx[i][j]], 0.5) end end
  y = x:clone()
  y:scatter_add_(2, ix, s)
  close(y:totable(), wantAdd, 1e-6, 'scatter_add_')
  gradcheck('scatter (x)', x, function(t) return t:scatter(2, ix, s):mul(t) end)
  gradcheck('scatter (src)', s, function(t) return x:scatter(2, ix, t) end)
  gradcheck('scatter_add (src)', s, function(t) return x:scatter_add(2, ix, t) end)
  T.raises('out of range 1..4', function() x:scatter(2, lyra.tensor{{5}}, s) end)
  T.raises('index must have 2 dimensions', function() x:scatter(2, lyra.tensor{1}, s) end)
  T.raises('src [2, 3] must have 2 dimensions, each at least', function() x:scatter(2, lyra.tensor{{1, 2, 3, 4}}, s) end)

  local source = lyra.tensor(matrix(4, 2, 0.8))
  local rows = {3, 1, 3, 2}
  local wantIA = matrix(3, 2, 0.3)
  local xa = lyra.tensor(wantIA)
  for j, r in ipairs(rows) do for c = 1, 2 do wantIA[r][c] = wantIA[r][c] + 0.5 * source[j][c] end end
  close(xa:index_add(1, lyra.tensor(rows), source, 0.5):totable(), wantIA, 1e-5, 'index_add')
  local xb = xa:clone()
  xb:index_add_(1, rows, source, 0.5)
  close(xb:totable(), wantIA, 1e-5, 'index_add_ with a table index')
  gradcheck('index_add (source)', source, function(t) return xa:index_add(1, lyra.tensor(rows), t, 0.5) end)
  T.raises('source must have shape [2, 2]', function() xa:index_add(1, lyra.tensor{1, 2}, source) end)
  local f = xa:index_fill(2, lyra.tensor{2}, -1):totable()
  for r = 1, 3 do T.eq(f[r][2], -1) T.eq(f[r][1], xa[r][1]) end
  T.raises('index 3 out of range 1..2', function() xa:index_fill(2, {3}, 0) end)
  gradcheck('index_fill', xa, function(t) return t:index_fill(2, lyra.tensor{1}, 0):mul(t) end)
end)

T.case('chunk, split, flip, roll, unfold, repeat, expand_as, view_as', function()
  local x = lyra.tensor(matrix(3, 5, 1.1))
  local parts = x:chunk(2, 2)
  T.eq(#parts, 2)
  T.eq(parts[1]:size(2), 3)
  T.eq(parts[2]:size(2), 2)
  local sizes = {}
  for _, p in ipairs(x:split({1, 4}, 2)) do sizes[#sizes + 1] = p:size(2) end
  T.eq(sizes, {1, 4})
  T.eq(#x:split(2), 2)
  T.raises('must be non-negative and add up to 5', function() x:split({1, 2}, 2) end)
  local f = x:flip(2):totable()
  for i = 1, 3 do for j = 1, 5 do T.eq(f[i][j], x[i][6 - j]) end end
  local r = x:roll(2, 2):totable()
  for i = 1, 3 do for j = 1, 5 do T.eq(r[i][j], x[i][(j - 3) % 5 + 1]) end end
  local rf = x:roll(1):totable()  -- flattened: the last element comes first
  T.eq(rf[1][1], x[3][5])
  T.eq(rf[2][1], x[1][5])
  T.raises('at least one shift', function() x:roll({}, {}) end) -- once a trap (fuzz finding)
  local seq = lyra.tensor(values(7, 0.5))
  local u = seq:unfold(1, 3, 2)
  T.eq(u:size(), {3, 3})
  for w = 1, 3 do for k = 1, 3 do T.eq(u[w][k], seq[(w - 1) * 2 + k]) end end
  local small = lyra.tensor{{1, 2}, {3, 4}}
  local rep = small['repeat'](small, 2, 1, 2)
  T.eq(rep:size(), {2, 2, 4})
  T.eq(rep:totable(), small:repeatTensor(2, 1, 2):totable())
  T.eq(rep[2]:totable(), {{1, 2, 1, 2}, {3, 4, 3, 4}})
  T.raises('1 repeat for a 2-D tensor', function() small:repeatTensor(1) end)
  T.eq(lyra.tensor{1, 2}:view(2, 1):expand_as(small):totable(), {{1, 1}, {2, 2}})
  T.eq(lyra.arange(1, 5):view_as(small):totable(), {{1, 2}, {3, 4}})
  T.raises('has 3 elements', function() small:view_as(lyra.zeros(3)) end)
  gradcheck('flip', x, function(t) return t:flip(1, 2) end)
  gradcheck('roll', x, function(t) return t:roll({1, -2}, {1, 2}) end)
  gradcheck('unfold', seq, function(t) return t:unfold(1, 3, 2) end)
  gradcheck('repeat', small, function(t) return t:repeatTensor(2, 3) end)
  gradcheck('chunk', x, function(t) return t:chunk(2, 2)[2]:mul(3) end)
end)

T.case('diag, trace, tril, triu, bmm, addmm, mv, outer/ger', function()
  local m = matrix(3, 4, 0.35)
  local x = lyra.tensor(m)
  T.eq(x:diag():totable(), lyra.tensor{m[1][1], m[2][2], m[3][3]}:totable())
  T.eq(x:diag(1):totable(), lyra.tensor{m[1][2], m[2][3], m[3][4]}:totable())
  T.eq(x:diag(-2):totable(), lyra.tensor{m[3][1]}:totable())
  T.eq(lyra.tensor{1, 2}:diag(-1):totable(), {{0, 0, 0}, {1, 0, 0}, {0, 2, 0}})
  local sq = lyra.tensor(matrix(3, 3, 0.2))
  T.near(sq:trace():item(), sq[1][1] + sq[2][2] + sq[3][3], 1e-5)
  for k = -2, 2 do
    local lo, up = x:tril(k):totable(), x:triu(k):totable()
    for i = 1, 3 do for j = 1, 4 do
      T.eq(lo[i][j], j - i <= k and x[i][j] or 0)
      T.eq(up[i][j], j - i >= k and x[i][j] or 0)
    end end
  end
  local a, b = matrix(2, 3, 0.15), matrix(3, 2, 0.25)
  local ta, tb = lyra.tensor(a), lyra.tensor(b)
  local c = lyra.tensor(matrix(2, 2, 0.45))
  local ab = matmul(a, b)
  local want = {}
  for i = 1, 2 do want[i] = {} for j = 1, 2 do want[i][j] = 0.5 * c[i][j] + 2 * ab[i][j] end end
  close(c:addmm(ta, tb, {beta = 0.5, alpha = 2}):totable(), want, 1e-5, 'addmm')
  close(ta:mv(lyra.tensor{1, -1, 2}):totable(), {a[1][1] - a[1][2] + 2 * a[1][3], a[2][1] - a[2][2] + 2 * a[2][3]}, 1e-5, 'mv')
  T.eq(lyra.tensor{1, 2}:outer(lyra.tensor{3, 4, 5}):totable(), {{3, 4, 5}, {6, 8, 10}})
  T.eq(lyra.ger(lyra.tensor{1, 2}, lyra.tensor{3}):totable(), {{3}, {6}})
  local bb = lyra.stack({ta, ta:mul(2)}):bmm(lyra.stack({tb, tb}))
  close(bb[2]:totable(), matmul(lyra.tensor(a):mul(2):totable(), b), 1e-5, 'bmm')
  T.raises('expected [b, n, m] and [b, m, p]', function() ta:bmm(tb) end)
  gradcheck('diag', x, function(t) return t:diag(1) end)
  gradcheck('tril', x, function(t) return t:tril(-1):mul(t) end)
  gradcheck('addmm', ta, function(t) return c:addmm(t, tb, {alpha = 2}) end)
  gradcheck('trace', sq, function(t) return t:matmul(t):trace() end)
end)

T.case('lyra.linalg: inverse, solve, det and their gradients', function()
  local n = 4
  local m = matrix(n, n, 0.55)
  for i = 1, n do m[i][i] = m[i][i] + n end  -- well conditioned
  local A = lyra.tensor(m)
  close(matmul(m, lyra.linalg.inv(A):totable()), eye(n), 1e-5, 'A * inv(A)')
  close(A:inverse():totable(), lyra.linalg.inv(A):totable(), 0, 'x:inverse()')
  local B = lyra.tensor(matrix(n, 2, 0.65))
  local X = lyra.linalg.solve(A, B)
  close(matmul(m, X:totable()), B:totable(), 1e-4, 'solve residual')
  local xv = lyra.linalg.solve(A, lyra.tensor{1, 2, 3, 4})
  T.eq(xv:dim(), 1)
  -- det against a cofactor expansion in double
  local function det(a)
    if #a == 1 then return a[1][1] end
    local d = 0
    for j = 1, #a do
      local minor = {}
      for r = 2, #a do local row = {} for c2 = 1, #a do if c2 ~= j then row[#row + 1] = a[r][c2] end end minor[#minor + 1] = row end
      d = d + (j % 2 == 1 and 1 or -1) * a[1][j] * det(minor)
    end
    return d
  end
  local d = det(m)
  T.ok(math.abs(lyra.linalg.det(A):item() - d) <= 1e-4 * math.abs(d), 'det ' .. lyra.linalg.det(A):item() .. ' vs ' .. d)
  T.eq(A:det():item(), lyra.linalg.det(A):item())
  T.eq(lyra.linalg.det(lyra.tensor{{1, 2}, {2, 4}}):item(), 0)
  gradcheck('inv', A, function(t) return lyra.linalg.inv(t) end)
  gradcheck('solve (A)', A, function(t) return lyra.linalg.solve(t, B) end)
  gradcheck('solve (B)', B, function(t) return lyra.linalg.solve(A, t) end)
  gradcheck('det', lyra.tensor{{2, 0.5}, {0.3, 1.5}}, function(t) return t:det() end)
  -- a batch [2, n, n]: each matrix on its own
  local batch = lyra.stack({A, A:t()})
  local binv, bdet = lyra.linalg.inv(batch), lyra.linalg.det(batch)
  T.eq(binv:size(), {2, n, n})
  close(binv[2]:totable(), lyra.linalg.inv(A:t()):totable(), 1e-6, 'batched inv')
  T.eq(bdet:size(), {2})
  T.near(bdet[2], lyra.linalg.det(A:t()):item(), 1e-3)
  local BB = lyra.stack({B, B:mul(-1)})
  local bx = lyra.linalg.solve(batch, BB)
  close(bx[2]:totable(), lyra.linalg.solve(A:t(), B:mul(-1)):totable(), 1e-5, 'batched solve')
  T.raises('B must be [..., 4, k] with the same batch', function() lyra.linalg.solve(batch, B) end)
  gradcheck('batched solve (B)', BB, function(t) return lyra.linalg.solve(batch, t) end)
  gradcheck('batched det', lyra.stack({lyra.tensor{{2, 0.5}, {0.3, 1.5}}, lyra.tensor{{1, 2}, {2, 4}}}), function(t) return t:det() end)
end)

T.case('lyra.linalg: svd, qr, eigh, eig, cholesky satisfy their identities', function()
  local a = matrix(4, 3, 0.75)
  local A = lyra.tensor(a)
  local U, S, Vh = lyra.linalg.svd(A, false)
  T.eq(U:size(), {4, 3})
  T.eq(Vh:size(), {3, 3})
  close(matmul(matmul(U:totable(), S:diag():totable()), Vh:totable()), a, 1e-4, 'U diag(S) Vh')
  local s = S:totable()
  T.ok(s[1] >= s[2] and s[2] >= s[3], 'S descending')
  local Uf = lyra.linalg.svd(A)
  T.eq(Uf:size(), {4, 4})
  close(matmul(Uf:t():totable(), Uf:totable()), eye(4), 1e-5, 'full U orthogonal')
  local Q, R = lyra.linalg.qr(A)
  close(matmul(Q:totable(), R:totable()), a, 1e-4, 'Q R')
  close(matmul(Q:t():totable(), Q:totable()), eye(3), 1e-5, 'QᵀQ')
  T.eq(R:tril(-1):abs():sum():item(), 0)
  local spd = A:t():matmul(A) + lyra.eye(3)
  local w, V = lyra.linalg.eigh(spd)
  local wt = w:totable()
  T.ok(wt[1] <= wt[2] and wt[2] <= wt[3], 'eigh ascending')
  close(spd:matmul(V):totable(), V:mul(w:view(1, 3)):totable(), 1e-4, 'A V = V diag(w)')
  local L = lyra.linalg.cholesky(spd)
  close(L:matmul(L:t()):totable(), spd:totable(), 1e-4, 'L Lᵀ')
  T.eq(L:triu(1):abs():sum():item(), 0)
  close(lyra.linalg.cholesky(spd, true):totable(), L:t():totable(), 0, 'upper')
  local G = lyra.tensor{{4, 1}, {-2, 1}}  -- eigenvalues 2 and 3
  local re, vec, im = lyra.linalg.eig(G)
  T.eq(im:totable(), {0, 0})
  close(G:matmul(vec):totable(), vec:mul(re:view(1, 2)):totable(), 1e-4, 'A v = λ v')
  local r2, _, i2 = lyra.linalg.eig(lyra.tensor{{0, -1}, {1, 0}})
  close(r2:totable(), {0, 0}, 1e-6, 'rotation real parts')
  T.eq(i2:abs():totable(), {1, 1})
  T.ok(not U.requires_grad, 'decompositions are off the tape')
end)

T.case('lyra.linalg: singular, non-square, NaN and non-positive-definite input are errors', function()
  local sing = lyra.tensor{{1, 2}, {2, 4}}
  T.raises('the matrix is singular', function() lyra.linalg.inv(sing) end)
  T.raises('the matrix is singular', function() sing:inverse() end)
  T.raises('the matrix A is singular', function() lyra.linalg.solve(sing, lyra.tensor{1, 1}) end)
  T.raises('expected a square matrix or a batch of them [..., n, n], got shape [2, 3]', function() lyra.linalg.inv(lyra.zeros(2, 3)) end)
  T.raises('expected a square matrix or a batch', function() lyra.linalg.det(lyra.zeros(2)) end)
  T.raises('expected a 2-D matrix', function() lyra.linalg.qr(lyra.zeros(2)) end)
  T.raises('expected a square matrix, got [2, 3]', function() lyra.linalg.eigh(lyra.zeros(2, 3)) end)
  T.raises('B must be [2] or [2, k]', function() lyra.linalg.solve(lyra.eye(2), lyra.ones(3)) end)
  T.raises('contains NaN', function() lyra.linalg.svd(lyra.tensor{{0 / 0, 1}, {1, 1}}) end)
  T.raises('contains an infinity', function() lyra.linalg.eigh(lyra.tensor{{math.huge, 1}, {1, 1}}) end)
  T.raises('not positive definite', function() lyra.linalg.cholesky(lyra.tensor{{1, 2}, {2, 1}}) end)
  T.raises('diagonal offset', function() lyra.tensor{1, 2}:diag(math.mininteger) end)
  T.raises('out of range', function() lyra.eye(2):flip(3) end)
end)

T.case('help text: every new function documents itself', function()
  for _, name in ipairs{'masked_fill', 'masked_fill_', 'masked_select', 'scatter', 'scatter_', 'scatter_add', 'scatter_add_',
      'index_add', 'index_add_', 'index_fill', 'index_fill_', 'chunk', 'split', 'flip', 'roll', 'unfold', 'repeatTensor',
      'expand_as', 'view_as', 'bmm', 'addmm', 'mv', 'outer', 'ger', 'diag', 'trace', 'tril', 'triu', 'inverse', 'det'} do
    local h = lyra.doc(lyra[name])
    T.ok(h and h:find('lyra.' .. name .. '(x', 1, true), name .. ' has help: ' .. tostring(h))
  end
  for _, name in ipairs{'inv', 'solve', 'det', 'svd', 'eigh', 'eig', 'qr', 'cholesky'} do
    local h = lyra.doc(lyra.linalg[name])
    T.ok(h and h:find('lyra.linalg.' .. name, 1, true), 'lyra.linalg.' .. name .. ' has help')
  end
end)
