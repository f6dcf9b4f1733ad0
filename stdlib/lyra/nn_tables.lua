-- lyra.nn.ConcatTable and lyra.nn.CAddTable: Torch7's table modules, written in Lua.
-- Why in Lua: engine modules map one tensor to one tensor (what nn.Sequential chains),
-- while these take or return a Lua table of tensors. Call them from Lua code
-- (outs = ct(x); y = nn.CAddTable()(outs)); inside nn.Sequential use nn.Add (the same as
-- ConcatTable followed by CAddTable) or nn.Concat.
local nn = lyra.nn

local function is_module(m)
  local t = type(m)
  return (t == 'userdata' or t == 'table') and m.forward ~= nil
end

local ConcatTable = {name = 'ConcatTable'}
ConcatTable.__index = ConcatTable

function ConcatTable:add(m)
  if not is_module(m) then
    error(('ConcatTable:add: expected a module (lyra.nn.Module or a table with forward), got %s'):format(type(m)), 2)
  end
  self.modules[#self.modules + 1] = m
  return self
end

function ConcatTable:forward(x)
  local out = {}
  for i, m in ipairs(self.modules) do out[i] = m:forward(x) end
  self.output = out
  return out
end
ConcatTable.__call = ConcatTable.forward

function ConcatTable:parameters()
  local ps = {}
  for _, m in ipairs(self.modules) do
    if m.parameters then for _, p in ipairs(m:parameters()) do ps[#ps + 1] = p end end
  end
  return ps
end

function ConcatTable:size() return #self.modules end
function ConcatTable:get(i) return self.modules[i] end
function ConcatTable:type() return 'nn.ConcatTable' end

function ConcatTable.__tostring(self)
  local lines = {'nn.ConcatTable {'}
  for i, m in ipairs(self.modules) do lines[#lines + 1] = ('  (%d): %s'):format(i, tostring(m):gsub('\n', '\n  ')) end
  lines[#lines + 1] = '}'
  return table.concat(lines, '\n')
end

function nn.ConcatTable(...)
  local self = setmetatable({modules = {}}, ConcatTable)
  for i = 1, select('#', ...) do self:add((select(i, ...))) end
  return self
end

local CAddTable = {name = 'CAddTable'}
CAddTable.__index = CAddTable

function CAddTable:forward(t)
  if type(t) ~= 'table' or #t == 0 then
    error(('CAddTable: expected a non-empty table of tensors, got %s'):format(type(t) == 'table' and 'an empty table' or type(t)), 2)
  end
  local sum = t[1]
  for i = 1, #t do
    if not lyra.is_tensor(t[i]) then error(('CAddTable: item %d is not a tensor (%s)'):format(i, type(t[i])), 2) end
    local a, b = t[1]:size(), t[i]:size()
    local same = #a == #b
    for k = 1, #a do same = same and a[k] == b[k] end
    if not same then
      error(('CAddTable: item %d has size %s, item 1 has %s (all must match)'):format(i, table.concat(b, 'x'), table.concat(a, 'x')), 2)
    end
    if i > 1 then sum = sum + t[i] end
  end
  self.output = sum
  return sum
end
CAddTable.__call = CAddTable.forward
function CAddTable:parameters() return {} end
function CAddTable:type() return 'nn.CAddTable' end
CAddTable.__tostring = function() return 'nn.CAddTable' end

function nn.CAddTable()
  return setmetatable({}, CAddTable)
end

-- ONNX export works on engine modules (one tensor in, one out); these two take or give a
-- Lua table, so they say where the exportable form is instead of failing on a nil method.
local function no_onnx(kind, instead)
  return function()
    error(('%s is a Lua table module and has no ONNX form; build the model with %s inside nn.Sequential, which exports (m:to_onnx(path))'):format(kind, instead), 2)
  end
end
ConcatTable.to_onnx = no_onnx('nn.ConcatTable', 'nn.Add (ConcatTable then CAddTable) or nn.Concat')
CAddTable.to_onnx = no_onnx('nn.CAddTable', 'nn.Add')

lyra.setdoc(nn.ConcatTable, 'lyra.nn.ConcatTable', [[
nn.ConcatTable([m1, m2, ...]) -> module
Torch7's ConcatTable, written in Lua: applies every branch to the same input and returns a Lua
table of their outputs; add branches with :add(m); :parameters() gathers the branches'.
It returns a table, so it is called from Lua code, not inside nn.Sequential (use nn.Add there,
which is ConcatTable followed by CAddTable, or nn.Concat).
Example: local outs = nn.ConcatTable(nn.Linear(4, 2), nn.Identity())(x)]])
lyra.setdoc(nn.CAddTable, 'lyra.nn.CAddTable', [[
nn.CAddTable() -> module
Torch7's CAddTable, written in Lua: sums a table of tensors of one size (gradients flow to each).
Example: local y = nn.CAddTable()(nn.ConcatTable(body, nn.Identity())(x))]])

return nn
