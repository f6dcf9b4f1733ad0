-- What the REPL shows for a value (lyra.pretty at the top level) and what `? name` finds.
local T = require 'lyra.test'

--- The lines lyra.help prints for `topic`, captured from print.
local function help_text(topic)
  local lines = {}
  local saved = print
  print = function(...)
    local parts = {}
    for i = 1, select('#', ...) do parts[i] = tostring((select(i, ...))) end
    lines[#lines + 1] = table.concat(parts, '\t')
  end
  local ok, err = pcall(lyra.help, topic)
  print = saved
  assert(ok, err)
  return table.concat(lines, '\n')
end

T.case('a tensor at the top level shows its values; inside a table one line', function()
  local x = lyra.tensor{{1, 2}, {3, 4}}
  local shown = lyra.pretty(x)
  T.eq(shown, tostring(x))
  T.ok(shown:find(' 1 2\n 3 4\n', 1, true), shown)
  T.ok(shown:find('[lyra.FloatTensor of size 2x2]', 1, true), shown)
  T.eq(lyra.pretty({x = x}), '{x = lyra.FloatTensor - size: 2x2}')
  T.eq(lyra.pretty({x}), '{lyra.FloatTensor - size: 2x2}')
end)

T.case('a 0-d tensor shows its value', function()
  local s = lyra.pretty(lyra.tensor{{1, 2}, {3, 4}}:sum())
  T.ok(s:match('^10\n'), s)
  T.ok(not s:find(' - size:', 1, true), s)
end)

T.case('a big tensor is summarised: first and last 3 per dimension', function()
  local x = lyra.arange and lyra.arange(1, 1601):reshape(40, 40) or nil
  if not x then
    local rows = {}
    for i = 1, 40 do rows[i] = {} for j = 1, 40 do rows[i][j] = (i - 1) * 40 + j end end
    x = lyra.tensor(rows)
  end
  local s = lyra.pretty(x)
  local lines = {}
  for l in s:gmatch('[^\n]+') do lines[#lines + 1] = l end
  -- 3 rows, '...', 3 rows, the footer.
  T.eq(#lines, 8, s)
  T.eq(lines[4], ' ...')
  T.ok(lines[1]:match('^%s*1%s+2%s+3 %.%.%.%s+38%s+39%s+40$'), lines[1])
  T.ok(lines[7]:match('^%s*1561%s+1562%s+1563 %.%.%.%s+1598%s+1599%s+1600$'), lines[7])
  T.ok(not s:find('%s4%s'), 'the 4th column is elided')
  -- At the threshold (1000 elements) nothing is elided.
  local small = lyra.pretty(lyra.zeros(10, 100))
  T.ok(not small:find('...', 1, true), 'no elision at 1000 elements')
end)

T.case('a module shows its tree at the top level, one line inside a table', function()
  local m = lyra.nn.Sequential(lyra.nn.Linear(2, 3), lyra.nn.ReLU())
  T.eq(lyra.pretty(m), tostring(m))
  T.ok(lyra.pretty(m):find('(1): nn.Linear(2 -> 3)', 1, true), lyra.pretty(m))
  T.eq(lyra.pretty({m}), '{nn.Sequential - 9 parameters}')
end)

T.case('x:size() prints as 2x3 and stays a plain indexable table', function()
  local x = lyra.zeros(2, 3)
  local s = x:size()
  T.eq(tostring(s), '2x3')
  T.eq(#s, 2)
  T.eq(s[1], 2)
  T.eq(s[2], 3)
  T.eq({table.unpack(s)}, {2, 3})
  local n = 0
  for _ in ipairs(s) do n = n + 1 end
  T.eq(n, 2)
  T.eq(tostring(#x), '2x3')                 -- #x is the same table
  T.eq(tostring(lyra.zeros(4):sum():size()), '()')
  T.eq(lyra.pretty(s), '2x3')
  T.eq(lyra.pretty({size = s}), '{size = 2x3}')
  s[2] = 7                                   -- the text follows the table's contents
  T.eq(tostring(s), '2x7')
  T.eq(x:size(2), 3)                         -- one dimension is still a number
  T.raises('size table', getmetatable(s).__tostring, 'abc')
end)

T.case('help finds a method of a value, the documented class name, a module', function()
  x_help_probe = lyra.zeros(2)
  local ok, err = pcall(function()
    T.ok(help_text('x_help_probe:sum'):find('x:sum(', 1, true), help_text('x_help_probe:sum'))
  end)
  x_help_probe = nil
  assert(ok, err)
  T.ok(help_text('lyra.Tensor:sum'):find('x:sum(', 1, true))
  T.ok(help_text('lyra.Tensor.sum'):find('x:sum(', 1, true))
  local class = help_text('lyra.Tensor')
  T.ok(class:find('lyra.Tensor methods:', 1, true), class)
  T.ok(class:find('\n  reshape ', 1, true), class)
  local m = help_text(lyra.nn.Sequential(lyra.nn.Linear(2, 3)))
  T.ok(m:find('nn.Sequential(', 1, true), m)   -- the constructor's help
  T.ok(m:find('\n  forward ', 1, true), m)      -- and the methods
  T.ok(help_text(lyra.zeros(1)):find('\n  sum ', 1, true))
end)

T.case('help says a missing name does not exist and offers the nearest', function()
  T.eq(help_text('lyra.sine'), "lyra.sine does not exist (did you mean 'lyra.sin'?)")
  T.eq(help_text('lyra.nn.Conv2D'), "lyra.nn.Conv2D does not exist (did you mean 'lyra.nn.Conv2d'?)")
  T.eq(help_text('lyra.zzzzzzzzzz'), 'lyra.zzzzzzzzzz does not exist')
  T.eq(help_text('lyra.Tensor:summ'), "lyra.Tensor:summ does not exist (did you mean 'lyra.Tensor:sum'?)")
end)

T.case('lyra.suggest uses the same cut-off as every error hint', function()
  T.eq(lyra.suggest('lerning_rate', {'batch_size', 'learning_rate'}), 'learning_rate')
  T.eq(lyra.suggest('CONV2D', {'Conv2d'}), 'Conv2d')        -- case-insensitive
  T.eq(lyra.suggest('abcdef', {'abcxyz'}), nil)              -- distance 3 > max(2, 6 / 3)
  T.eq(lyra.suggest('abcdefghi', {'abxdeyghz'}), 'abxdeyghz') -- distance 3 <= 9 / 3, slips spread out
  T.eq(lyra.suggest('abcdefghi', {'abcxyzghi'}), nil)        -- one pattern, another name in its middle
  T.eq(lyra.suggest('ab', {'ba', 'xy'}), 'ba')               -- short words still allow 2
  T.raises("bad argument #2 to 'lyra.suggest'", lyra.suggest, 'x', 'not a table')
end)

T.case('help() and help(x) are global', function()
  T.eq(help, lyra.help)
  T.ok(help_text(lyra.clock):find('lyra.clock() -> seconds', 1, true))
  T.ok(lyra.docnames()['lyra.Tensor:sum'] ~= nil)
  T.eq(lyra.docnames()['lyra.clock'], lyra.clock)
end)
