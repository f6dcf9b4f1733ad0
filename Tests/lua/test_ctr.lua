-- CTR from Lua (issue 23): the Criteo/Avazu readers, synthetic data with planted pairs,
-- sparse embeddings with lazy Adam, the FM layer.
local T = require 'lyra.test'

local function tmpfile(text)
  local p = os.tmpname()
  local f = assert(io.open(p, 'wb'))
  f:write(text)
  f:close()
  return p
end

local function criteo_line(label, i1, c1)
  local cols = { label, i1 }
  for _ = 1, 12 do cols[#cols + 1] = '1' end
  cols[#cols + 1] = c1
  for _ = 1, 25 do cols[#cols + 1] = 'ab' end
  return table.concat(cols, '\t')
end

T.case('ctr: lyra.data.criteo reads, skips a malformed line by file:line, and reuses its cache', function()
  local p = tmpfile(table.concat({ criteo_line('1', '100', 'aa'), 'x\ty', criteo_line('0', '', 'aa') }, '\n') .. '\n')
  local ds, r = lyra.data.criteo{ path = p }
  T.eq(#ds, 2)
  T.eq(r.samples, 2)
  T.eq(r.skipped, 1)
  T.ok(r.errors[1]:find(p .. ':2: ', 1, true), r.errors[1])
  T.eq(r.fields, 39)
  local x, y = ds:get(1)
  T.eq(x:size(1), 39)
  T.eq(y, 2)                                   -- a click is label 2
  T.ok(x:min():item() >= 1 and x:max():item() <= r.input_dim, 'ids are 1-based rows of one table')
  local _, again = lyra.data.criteo{ path = p }
  T.ok(again.from_cache)
  T.raises('refuse', function() lyra.data.criteo{ path = p, on_error = 'refuse', cache_path = p .. '.2' } end)
  T.raises("on_error must be 'skip' or 'refuse'", function() lyra.data.criteo{ path = p, on_error = 'maybe' } end)
  os.remove(p); os.remove(p .. '.lyractr')
end)

T.case('ctr: synthetic_ctr is deterministic and names its planted pairs 1-based', function()
  local a, pairs, n = lyra.data.synthetic_ctr{ samples = 50, fields = 4, cardinality = 3, pairs = { { 1, 3 } }, seed = 2 }
  local b = lyra.data.synthetic_ctr{ samples = 50, fields = 4, cardinality = 3, pairs = { { 1, 3 } }, seed = 2 }
  T.eq(#a, 50)
  T.eq(pairs, { { 1, 3 } })
  T.eq(n, 16)                                  -- 4 fields x (3 values + 1 OOV id)
  T.eq(a:get(7):totable(), b:get(7):totable())
  T.raises('planted pair', function() lyra.data.synthetic_ctr{ fields = 3, pairs = { { 2, 2 } } } end)
end)

T.case('ctr: a sparse Embedding + LazyAdam updates only the rows looked up; FM is the pair sum', function()
  local emb = lyra.nn.Embedding(5, 2, { sparse = true })
  local before = emb.weight:clone()
  local opt = lyra.optim.LazyAdam(emb, { lr = 0.1 })
  local e = emb:forward(lyra.tensor({ { 2, 4 } }):int())        -- [1, 2 fields, 2]
  local fm = lyra.nn.FM():forward(e)                           -- <e_2, e_4>
  local w = before:totable()
  T.near(fm:item(), w[2][1] * w[4][1] + w[2][2] * w[4][2], 1e-5)
  fm:sum():backward()
  opt:step()
  local after = emb.weight:totable()
  for _, r in ipairs({ 1, 3, 5 }) do T.eq(after[r], w[r], 'row ' .. r .. ' untouched') end
  for _, r in ipairs({ 2, 4 }) do T.ok(after[r][1] ~= w[r][1], 'row ' .. r .. ' updated') end
  T.raises('sparse embedding', function() lyra.optim.LazyAdam(lyra.nn.Linear(2, 2)) end)
  T.raises('requested', function() lyra.nn.Embedding(2^40, 2^20, { sparse = true }) end)
  T.raises("option 'sparse'", function() lyra.nn.Embedding(4, 2, { sparse = 1 }) end)
end)
