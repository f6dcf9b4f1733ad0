-- The REPL's input side: how one entry becomes a function to run.
--
-- Top-level locals persist: each entry is a separate chunk, so a real `local` would die
-- at the end of its entry (trepl#28). Notebooks avoid that by compiling the whole notebook
-- as one chunk and running it again from the top; a REPL cannot re-run what was typed
-- before (its side effects already happened). So here a top-level `local` statement is
-- rewritten into an assignment to an entry of the REPL's environment `lyra.repl.env()`, the
-- `_ENV` of every entry: declared names resolve there, every other name is a global.
--
-- Continuation lines: a typed line that cannot stand alone and starts with `:`, `.`, a
-- binary operator, `and` or `or` continues the previous entry when that entry was
-- `[local] name = E` or a shown expression E, with E a prefix expression (a name, field,
-- index or call: no operator outside parentheses). Then `E <line>` is the same as
-- `value-of-E <line>`, so the line runs as `name = name <line>` (or `_LAST <line>`)
-- without running E again.
--
-- A multi-line entry (a bracketed paste) is one chunk; when it ends in an expression, its
-- last lines run as `return <expression>` so the value is shown.
local lyra = lyra
local repl = lyra.repl
-- Captured once: an entry that reassigns a global such as `load` must not break the REPL.
local G, load, rawset, select, setmetatable, ipairs = _G, load, rawset, select, setmetatable, ipairs
local concat, min, max = table.concat, math.min, math.max

local keywords = {}
for w in ([[and break do else elseif end false for function goto if in local nil not or
  repeat return then true until while]]):gmatch('%a+') do keywords[w] = true end

--- End of the long bracket `[==[ ... ]==]` opening at i, or nil when none opens there.
local function long_bracket(code, i)
  local eq = code:match('^%[(=*)%[', i)
  if not eq then return nil end
  local _, e = code:find(']' .. eq .. ']', i + #eq + 2, true)
  return e or #code
end

--- Lua tokens of `code` as {kind = 'name'|'kw'|'str'|'num'|'op', text, s, e} (comments
--- and blanks skipped). Enough to find statements' first words and nesting depth.
local function tokens(code)
  local out, i, n = {}, 1, #code
  local function add(kind, s, e) out[#out + 1] = { kind = kind, text = code:sub(s, e), s = s, e = e } end
  while i <= n do
    local c = code:sub(i, i)
    if c:match('%s') then
      i = i + 1
    elseif code:sub(i, i + 1) == '--' then
      i = (long_bracket(code, i + 2) or code:find('\n', i, true) or n) + 1
    elseif c == '"' or c == "'" then
      local j = i + 1
      while j <= n do
        local d = code:sub(j, j)
        if d == '\\' then j = j + 2 elseif d == c or d == '\n' then break else j = j + 1 end
      end
      j = min(j, n)
      add('str', i, j)
      i = j + 1
    elseif c == '[' and long_bracket(code, i) then
      local e = long_bracket(code, i)
      add('str', i, e)
      i = e + 1
    elseif c:match('[%a_]') then
      local _, e = code:find('^[%w_]+', i)
      add(keywords[code:sub(i, e)] and 'kw' or 'name', i, e)
      i = e + 1
    elseif c:match('%d') or (c == '.' and code:sub(i + 1, i + 1):match('%d')) then
      local j = i
      while j < n do
        local d, p = code:sub(j + 1, j + 1), code:sub(j, j)
        if d:match('[%w%.]') or (d:match('[+-]') and p:match('[eEpP]')) then j = j + 1 else break end
      end
      add('num', i, j)
      i = j + 1
    else
      local three, two = code:sub(i, i + 2), code:sub(i, i + 1)
      local len = (three == '...') and 3
        or (({ ['..'] = 1, ['=='] = 1, ['~='] = 1, ['<='] = 1, ['>='] = 1, ['//'] = 1, ['::'] = 1,
               ['<<'] = 1, ['>>'] = 1 })[two] and 2) or 1
      add('op', i, i + len - 1)
      i = i + len
    end
  end
  return out
end

--- Names declared as top-level locals in the REPL, and the environment entries run in.
local declared, env = {}, nil
local function declare(...)
  for i = 1, select('#', ...) do
    local k = select(i, ...)
    if not declared[k] then
      declared[k] = true
      rawset(env, k, G[k]) -- `local print = print` still reads the old value
    end
  end
end

env = setmetatable({}, {
  __index = function(_, k)
    if k == '__lyra_local' then return declare end
    if declared[k] then return nil end
    return G[k]
  end,
  __newindex = function(t, k, v)
    if declared[k] then rawset(t, k, v) else G[k] = v end
  end,
})
function repl.env() return env end
lyra.setdoc(repl.env, 'lyra.repl.env', [[
lyra.repl.env() -> table
The REPL's environment (the _ENV of every entry): its raw fields are the top-level
locals declared so far; any other name reads and writes the global.]])

--- Adds to `edits` the rewrite of the `local` statement whose keyword is toks[k].
local function hoist_local(toks, k, edits)
  local t, nxt = toks[k], toks[k + 1]
  if nxt and nxt.text == 'function' and toks[k + 2] and toks[k + 2].kind == 'name' then
    edits[#edits + 1] = { t.s, t.e, ';__lyra_local("' .. toks[k + 2].text .. '");' }
    return
  end
  local names, j = {}, k + 1
  while toks[j] and toks[j].kind == 'name' do
    names[#names + 1] = '"' .. toks[j].text .. '"'
    if toks[j + 1] and toks[j + 1].text == ',' then j = j + 2 else j = j + 1 break end
  end
  local after = toks[j]
  -- `<const>` / `<close>` locals stay real locals of the entry (they need the compiler), and
  -- so does `local _ENV` (a name the compiler resolves itself).
  if #names == 0 or (after and after.text == '<') or concat(names):find('"_ENV"', 1, true) then return end
  edits[#edits + 1] = { t.s, t.e, ';__lyra_local(' .. concat(names, ',') .. ');' }
  if not (after and after.text == '=') then
    edits[#edits + 1] = { toks[j - 1].e + 1, toks[j - 1].e, ' = nil' } -- `local a` means nil
  end
end

local opens = { ['function'] = 1, ['do'] = 1, ['if'] = 1, ['repeat'] = 1, ['end'] = -1, ['until'] = -1 }

--- `code` with its top-level `local` statements turned into assignments to `env`.
function repl.hoist(code)
  local toks = tokens(code)
  local depth, edits = 0, {}
  for k, t in ipairs(toks) do
    if t.kind == 'kw' then
      depth = depth + (opens[t.text] or 0)
      if t.text == 'local' and depth == 0 then hoist_local(toks, k, edits) end
    end
  end
  for i = #edits, 1, -1 do
    local s, e, text = edits[i][1], edits[i][2], edits[i][3]
    code = code:sub(1, s - 1) .. text .. code:sub(e + 1)
  end
  return code
end
lyra.setdoc(repl.hoist, 'lyra.repl.hoist', [[
lyra.repl.hoist(code) -> code
The REPL's rewrite of an entry: each top-level `local a, b = ...` / `local function f`
becomes an assignment to the REPL's environment (lyra.repl.env()), so the names live on in
later entries. Line numbers are kept; `<const>` and `<close>` locals are left alone.]])

local function compiles(code) return load(code, '=stdin', 't', env) ~= nil end

--- True when `e` is one prefix expression (name, field, index, call): `e <more>` then
--- means `(value of e) <more>`.
local function is_prefix(e)
  return compiles('return ' .. e .. '\n;') and compiles(e .. '\n.__lyra_probe = 1')
end

local continues = {}
for w in ([[: . .. + - * / // % ^ == ~= < <= > >= & | ~ << >> and or]]):gmatch('%S+') do continues[w] = true end

--- What a successful run of the entry leaves to continue: {target = name} or nil.
local pending, candidate = nil, nil

--- The entry rewritten as a continuation of the pending one, or nil.
local function continuation(code)
  local first = tokens(code)[1]
  if not (pending and first and continues[first.text]) then return nil end
  if compiles('return ' .. code .. ';') or compiles(code) then return nil end
  local t = pending.target
  local joined = t == '_LAST' and ('return _LAST ' .. code) or (t .. ' = ' .. t .. ' ' .. code)
  if not compiles(joined) then return nil end
  return joined, is_prefix('_LAST ' .. code)
end

--- The target a later continuation line would extend after `code` ran as `kind`.
local function target_of(code, kind)
  if kind == 'expr' then return is_prefix(code) and '_LAST' or nil end
  local toks = tokens(code)
  local k = (toks[1] and toks[1].text == 'local') and 2 or 1
  if not (toks[k] and toks[k].kind == 'name' and toks[k + 1] and toks[k + 1].text == '='
    and toks[k + 2]) then return nil end
  return is_prefix(code:sub(toks[k + 2].s)) and toks[k].text or nil
end

--- A multi-line entry ending in an expression (a pasted block's last lines) as statements
--- followed by `return <expression>`, so its value is shown; nil when it does not end in one.
--- Lines keep their numbers; only the last 20 lines are tried as the expression.
local function with_trailing_value(code)
  local lines = {}
  for l in (code .. '\n'):gmatch('([^\n]*)\n') do lines[#lines + 1] = l end
  for i = #lines, max(2, #lines - 19), -1 do
    local head = concat(lines, '\n', 1, i - 1)
    local f = load(repl.hoist(head) .. '\nreturn ' .. concat(lines, '\n', i), '=stdin', 't', env)
    if f then return f end
  end
  return nil
end

--- Compiles one entry: the function and 'expr' or 'stmt', or nil and Lua's message.
function repl.compile(code)
  local joined, keeps = continuation(code)
  local target = pending and pending.target
  pending, candidate = nil, nil
  if joined then
    local f, err = load(joined, '=stdin', 't', env)
    if not f then return nil, err end
    candidate = keeps and { target = target, any = target ~= '_LAST' } or nil
    return f, target == '_LAST' and 'expr' or 'stmt'
  end
  local f = load('return ' .. code .. (code:sub(-1) == ';' and '' or ';'), '=stdin', 't', env)
  if f then
    local t = target_of(code, 'expr')
    candidate = t and { target = t } or nil
    return f, 'expr'
  end
  local g = load(repl.hoist(code), '=stdin', 't', env)
  if not g then
    local h = with_trailing_value(code)
    if h then return h, 'expr' end
    local _, err = load(code, '=stdin', 't', env) -- the message names the user's text
    return nil, err
  end
  local t = target_of(code, 'stmt')
  candidate = t and { target = t, any = true } or nil
  return g, 'stmt'
end
lyra.setdoc(repl.compile, 'lyra.repl.compile', [[
lyra.repl.compile(code) -> function, 'expr'|'stmt' | nil, message
Compiles one REPL entry in lyra.repl.env(): as `return code` when it is an expression, else
as statements with top-level locals kept (lyra.repl.hoist), showing the value of a
multi-line entry's trailing expression; a line starting with `:`, `.`,
an operator, `and` or `or` that cannot stand alone continues the previous
`[local] name = E` or shown expression E (E a name, field, index or call).]])

--- Called by the REPL after an entry ran without error and gave `n` values.
--- True when an entry's last token is `;` (comments and blanks ignored): the REPL then
--- does not show its values. `sq(12);   -- note` is silent too, as in the README.
function repl.silent(code)
  local t = tokens(code)
  local last = t[#t]
  return last ~= nil and last.kind == 'op' and last.text == ';'
end
lyra.setdoc(repl.silent, 'lyra.repl.silent', [[
lyra.repl.silent(code) -> boolean
True when the entry ends in `;` (a trailing comment does not count): the REPL runs it
without showing its values, which stay in _LAST.]])

function repl.ran(n)
  if candidate and (candidate.any or (n or 0) > 0) then pending = candidate end
  candidate = nil
end
lyra.setdoc(repl.ran, 'lyra.repl.ran', [[
lyra.repl.ran(n)
The REPL reports that the entry it compiled last ran and gave n values (a continuation
line may then extend it).]])

return repl
