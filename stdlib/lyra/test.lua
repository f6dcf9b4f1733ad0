-- lyra.test: a small test runner in the spirit of torch.Tester, used by Lyra's own
-- Lua tests and available to users:
--
--   local T = require 'lyra.test'
--   T.case('adds', function() T.eq(1 + 1, 2) end)
--   os.exit(T.run() and 0 or 1)
local lyra = lyra
local T = { cases = {} }

local function fail(msg, level)
  error(msg, (level or 1) + 2)
end

--- Registers a test case.
function T.case(name, fn)
  assert(type(name) == 'string' and type(fn) == 'function', 'lyra.test.case(name, fn)')
  T.cases[#T.cases + 1] = { name = name, fn = fn, file = debug.getinfo(2, 'S').short_src }
end

--- Asserts a == b (tables compared deeply).
function T.eq(a, b, msg)
  local function same(x, y)
    if type(x) ~= 'table' or type(y) ~= 'table' then return x == y end
    for k, v in pairs(x) do if not same(v, y[k]) then return false end end
    for k in pairs(y) do if x[k] == nil then return false end end
    return true
  end
  if not same(a, b) then
    fail(string.format('%sexpected %s, got %s', msg and (msg .. ': ') or '', lyra.pretty(b), lyra.pretty(a)))
  end
end

--- Asserts |a - b| <= tol.
function T.near(a, b, tol, msg)
  tol = tol or 1e-6
  if type(a) ~= 'number' or type(b) ~= 'number' or math.abs(a - b) > tol then
    fail(string.format('%sexpected %s within %g, got %s', msg and (msg .. ': ') or '', tostring(b), tol, tostring(a)))
  end
end

--- Asserts a truthy value.
function T.ok(v, msg)
  if not v then fail(msg or 'expected a true value') end
end

--- Asserts that fn(...) raises an error whose message contains `pattern` (plain text).
function T.raises(pattern, fn, ...)
  local ok, err = pcall(fn, ...)
  if ok then fail('expected an error containing "' .. pattern .. '", got none') end
  if not tostring(err):find(pattern, 1, true) then
    fail('expected an error containing "' .. pattern .. '", got: ' .. tostring(err))
  end
end

--- Runs every registered case (those whose name contains `filter`, if given),
--- prints one line per failure and the closing line "N passed, N failed".
function T.run(filter)
  local passed, failed = 0, 0
  for _, c in ipairs(T.cases) do
    if not filter or c.name:find(filter, 1, true) then
      local ok, err = xpcall(c.fn, debug.traceback)
      if ok then
        passed = passed + 1
      else
        failed = failed + 1
        io.stderr:write(string.format('FAIL %s (%s)\n%s\n', c.name, c.file, tostring(err)))
      end
    end
  end
  print(string.format('lua: %d passed, %d failed', passed, failed))
  return failed == 0, passed, failed
end

for name, text in pairs({
  case = 'lyra.test.case(name, fn)\nRegisters a test case.',
  eq = 'lyra.test.eq(a, b [, msg])\nFails unless a equals b (tables compared deeply).',
  near = 'lyra.test.near(a, b [, tol [, msg]])\nFails unless |a - b| <= tol (default 1e-6).',
  ok = 'lyra.test.ok(v [, msg])\nFails unless v is true-ish.',
  raises = 'lyra.test.raises(text, fn, ...)\nFails unless fn(...) raises an error containing text.',
  run = 'lyra.test.run([filter]) -> ok, passed, failed\nRuns the cases and prints "N passed, N failed".',
}) do lyra.setdoc(T[name], 'lyra.test.' .. name, text) end

lyra.test = T
return T
