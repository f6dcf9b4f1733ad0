-- The REPL's input side: top-level locals kept across entries, continuation lines.
local T = require 'lyra.test'
local repl = lyra.repl

--- Runs one entry as the REPL does; returns its values packed (error on failure).
local function enter(code)
  local f, kind = repl.compile(code)
  assert(f, kind)
  local r = table.pack(f())
  if r.n > 0 then rawset(_G, "_LAST", r[1]) end -- as the REPL does
  repl.ran(r.n)
  return r, kind
end

T.case('repl.hoist rewrites only top-level locals and keeps line numbers', function()
  local code = 'local a, b = 1, 2\nlocal function f() local c = 3 return c end\nlocal d\nlocal k <const> = 4\nfor i = 1, 2 do local e = i end'
  local h = repl.hoist(code)
  T.eq(select(2, h:gsub('\n', '')), select(2, code:gsub('\n', '')))
  T.ok(h:find('__lyra_local("a","b"); a, b = 1, 2', 1, true), h)
  T.ok(h:find('__lyra_local("f"); function f() local c = 3', 1, true), h)
  T.ok(h:find('__lyra_local("d"); d = nil', 1, true), h)
  T.ok(h:find('local k <const> = 4', 1, true), h)
  T.ok(h:find('do local e = i end', 1, true), h)
  T.eq(repl.hoist('local _ENV = {}'), 'local _ENV = {}')
  -- `local` inside strings and comments is not code
  local s = 'x = "local y = 1" -- local z = 2\n--[[ local w ]] y = [==[local q]==]'
  T.eq(repl.hoist(s), s)
end)

T.case('repl: a top-level local lives on in later entries and shadows a global', function()
  _G.__ri_a = 'global'
  enter('local __ri_a = 5')
  T.eq(enter('__ri_a')[1], 5)
  T.eq(_G.__ri_a, 'global') -- the global is untouched
  T.eq(rawget(repl.env(), '__ri_a'), 5) -- the local is an entry of the REPL's environment
  enter('local __ri_a = __ri_a + 1') -- the old value is visible on the right
  T.eq(enter('__ri_a')[1], 6)
  enter('__ri_a = 10') -- plain assignment updates the local
  T.eq(enter('__ri_a')[1], 10)
  T.eq(_G.__ri_a, 'global')
  enter('local __ri_a') -- `local x` alone means nil, not the global
  T.eq(enter('__ri_a').n, 1)
  T.eq(enter('__ri_a')[1], nil)
  enter('local function __ri_f(n) if n == 0 then return 1 end return n * __ri_f(n - 1) end')
  T.eq(enter('__ri_f(5)')[1], 120)
  T.eq(rawget(_G, '__ri_f'), nil)
  enter('local __ri_n = 0\nfunction __ri_inc() __ri_n = __ri_n + 1 end')
  enter('__ri_inc()'); enter('__ri_inc()')
  T.eq(enter('__ri_n')[1], 2) -- closures and the REPL see one variable
  enter('local __ri_print = print')
  T.eq(enter('__ri_print')[1], print)
  _G.__ri_a, _G.__ri_inc = nil, nil
end)

T.case('repl: a syntax error names the line within a multi-line entry', function()
  local f, err = repl.compile('local a = 1\nlocal b = 2\nlocal c = = 3')
  T.eq(f, nil)
  T.ok(err:find('^stdin:3:'), err)
  T.ok(not err:find('__lyra_local'), err)
end)

T.case('repl: continuation lines extend `local name = E` without running E again', function()
  local calls = 0
  _G.__ri_mk = function() calls = calls + 1; return { items = {}, add = function(self, v) self.items[#self.items + 1] = v; return self end } end
  enter('local __ri_m = __ri_mk()')
  local r, kind = enter('  :add(1):add(2)')
  T.eq(kind, 'stmt')
  enter(':add(3)')
  T.eq(enter('__ri_m.items')[1], { 1, 2, 3 })
  T.eq(calls, 1)
  -- an operator line continues a shown prefix expression through _LAST
  enter('__ri_m.items[3]')
  T.eq(enter('.. "x"')[1], '3x')
  -- after an operator the value is no longer a prefix expression: no further continuation
  local f = repl.compile('* 2')
  T.eq(f, nil)
  -- E with an operator outside parentheses is not continued (precedence would change)
  enter('local __ri_s = 1 + 2')
  T.eq(repl.compile('* 3'), nil)
  -- a line that stands alone is never a continuation
  enter('local __ri_t = __ri_mk()')
  T.eq(enter('-1')[1], -1)
  -- a failed entry leaves nothing to continue
  enter('local __ri_u = __ri_mk()')
  local g = repl.compile('error("boom")'); T.ok(not pcall(g))
  T.eq(repl.compile(':add(1)'), nil)
  _G.__ri_mk = nil
end)

T.case('completion sees REPL locals', function()
  enter('local __ri_tbl = {alpha = 1}')
  T.eq(repl.complete('__ri_tb', '__ri_tb'), { '__ri_tbl.' })
  T.eq(repl.complete('__ri_tbl.al', '__ri_tbl.al'), { '__ri_tbl.alpha' })
end)

T.case('repl: a multi-line entry ending in an expression shows its value', function()
  local r, kind = enter('local __ri_p = 20\n__ri_q = 1\n__ri_p +\n  __ri_q * 2')
  T.eq(kind, 'expr')
  T.eq(r[1], 22)
  T.eq(_G.__ri_q, 1)
  T.eq(rawget(repl.env(), '__ri_p'), 20) -- the head's locals are kept too
  -- a real syntax error is still reported, at its line
  local f, err = repl.compile('__ri_q = 1\n__ri_q = = 2\n__ri_q')
  T.eq(f, nil)
  T.ok(err:find('^stdin:2:'), err)
  _G.__ri_q = nil
end)

T.case('repl.silent: a trailing ; hides the values, comments and strings do not count', function()
  T.eq(repl.silent('sq(12);'), true)
  T.eq(repl.silent('sq(12);   -- comment'), true)
  T.eq(repl.silent('sq(12);  --[[ long\ncomment ]]'), true)
  T.eq(repl.silent('sq(12)'), false)
  T.eq(repl.silent('sq(12)  -- ends with ;'), false)
  T.eq(repl.silent("print(';')"), false)
  T.eq(repl.silent("x = ';'"), false)
  T.eq(repl.silent(''), false)
end)
