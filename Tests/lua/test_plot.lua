-- lyra.plot and display(): files written, chaining, errors, rich formats.
local T = require 'lyra.test'
local plot = lyra.plot

local dir = os.tmpname()
os.remove(dir)
local function path(name) return dir .. '/' .. name end
local function read(p)
  local f = assert(io.open(p, 'rb'))
  local s = f:read('a')
  f:close()
  return s
end

T.case('plot: every kind saves a well-formed-looking SVG file', function()
  local t = lyra.linspace and lyra.linspace(0, 1, 5) or lyra.tensor({0, 0.25, 0.5, 0.75, 1})
  local plots = {
    line = plot.line({1, 3, 2}, {label = 'a', title = 'line', xlabel = 'x', ylabel = 'y'}),
    line_xy = plot.line(t, t * 2, {markers = true}),
    scatter = plot.scatter({1, 2, 3}, {3, 1, 2}, {color = '#ff0000'}),
    step = plot.step({1, 2, 3}, {3, 2, 2}, {mode = 'pre'}),
    hist = plot.hist(lyra.randn(100), {bins = 7}),
    bar = plot.bar({'a', 'b'}, {1, 2}):bar({'a', 'b'}, {2, 1}, {label = 'second'}),
    image = plot.image(lyra.rand(4, 3, 8, 8), {columns = 2, captions = {'a', 'b'}}),
  }
  for name, p in pairs(plots) do
    local file = path(name .. '.svg')
    T.eq(p:save(file), file)
    local svg = read(file)
    T.ok(svg:match('^<svg ') and svg:match('</svg>\n$'), name .. ': an SVG document')
    T.eq(svg, p:svg(), name)
  end
  T.ok(read(path('scatter.svg')):find('#ff0000', 1, true), 'colour used')
  T.eq(select(2, read(path('hist.svg')):gsub('fill%-opacity="0.85"', '')), 7, 'one rect per bin')
  T.eq(select(2, read(path('image.svg')):gsub('data:image/png;base64,', '')), 4, 'one PNG per image')
end)

T.case('plot: configuring methods chain and return the plot', function()
  local p = plot.new({title = 'x'})
  T.eq(p:line({1, 2}):scatter({1, 2}, {2, 1}):title('t'):xlabel('a'):ylabel('b'):xlim(0, 3):ylim(0, 3)
    :logy(false):legend(true):size(300, 200), p)
  T.eq(tostring(p), 'lyra.plot.Plot: line/scatter chart, 2 series, "t", 300x200')
  local svg = p:svg()
  T.ok(svg:find('width="300" height="200"', 1, true))
  T.ok(svg:find('<title>t</title>', 1, true))
  T.eq(plot.histogram, plot.hist)
end)

T.case('plot: bad arguments are named errors', function()
  T.raises("bad argument #1 to 'lyra.plot.line' (y (table of numbers or lyra.Tensor) expected, got string)", plot.line, 'x')
  T.raises('y: item 2 is a string, expected a number', plot.line, {1, 'a'})
  T.raises('x has 2 values but y has 3', plot.line, {1, 2}, {1, 2, 3})
  T.raises("unknown option 'lable' (did you mean 'label'?)", plot.line, {1, 2}, {lable = 'x'})
  T.raises("option 'bins' must be in 1...10000", plot.hist, {1, 2}, {bins = 0})
  T.raises('2 categories but 1 values', plot.bar, {'a', 'b'}, {1})
  T.raises('expected an image tensor [H,W], [C,H,W] or [N,C,H,W] with C = 1 or 3, got [2, 8, 8]', plot.image, lyra.rand(2, 8, 8))
  T.raises("option 'normalize' must be 'auto', 'unit' or 'minmax'", plot.image, lyra.rand(8, 8), {normalize = 'x'})
  T.raises("option 'xlim' must be a pair", plot.line, {1, 2}, {xlim = {1}})
  T.raises('plots are saved as SVG', function() plot.line({1}):save(path('x.png')) end)
  T.raises('only a non-empty image plot has a PNG form', function() plot.line({1}):png() end)
  T.raises('an image grid has no axes', function() plot.image(lyra.rand(8, 8)):line({1}) end)
end)

T.case('plot: image PNG, preview and show', function()
  local b64, w, h = plot.image(lyra.rand(1, 8, 8)):png()
  T.eq(b64:sub(1, 8), 'iVBORw0K', 'base64 of the PNG signature')
  T.eq({w, h}, {64, 64}, 'scaled up 8 times at most')
  local sketch = plot.line({1, 2, 3}):preview(30, 5)
  T.ok(utf8.len(sketch) > 0 and sketch:find('┤', 1, true), sketch)
  local old = plot.dir()
  T.eq(plot.dir(dir), dir)
  local shown = plot.bar({'a'}, {1}):show()
  T.ok(shown:sub(1, #dir) == dir and shown:match('%.svg$'), shown)
  T.ok(read(shown):match('^<svg'))
  plot.dir(old)
end)

T.case('display: formats from lyra.mime', function()
  local b = lyra.mime(plot.line({1, 2}))
  T.ok(b['image/svg+xml']:match('^<svg'))
  T.eq(b['text/plain'], 'lyra.plot.Plot: line chart, 1 series, 640x400')
  T.ok(lyra.mime(lyra.rand(3, 8, 8))['image/png'] ~= nil, 'an image tensor is a picture')
  T.eq(lyra.mime(lyra.zeros(2, 2))['image/png'], nil, 'a matrix is not')
  local t = lyra.mime({{a = 1, b = 'x'}, {a = 2}})
  T.eq(t['text/markdown'], '| a | b |\n| --- | --- |\n| 1 | x |\n| 2 |  |')
  T.ok(t['text/html']:find('<td>x</td>', 1, true))
  T.eq(lyra.mime({k = '<v>'})['text/html'], '<table><thead><tr><th>key</th><th>value</th></tr></thead><tbody><tr><td>k</td><td>&lt;v&gt;</td></tr></tbody></table>')
  T.eq(lyra.mime({1, 2, 3}), {['text/plain'] = '{1, 2, 3}'})
  T.eq(lyra.mime(1, 'a'), {['text/plain'] = '1\t"a"'})
  local obj = setmetatable({}, {__repr_html = function() return '<b>hi</b>' end, __tostring = function() return 'obj' end})
  T.eq(lyra.mime(obj), {['text/html'] = '<b>hi</b>', ['text/plain'] = 'obj'})
  T.eq(display, lyra.display)
  local seen = {}
  lyra._display_sink = function(bundle) seen[#seen + 1] = bundle end
  display(1, 'two')
  lyra._display_sink = nil
  T.eq(seen, {{['text/plain'] = '1'}, {['text/plain'] = '"two"'}})
end)

T.case('plot: scatter with a Pareto front', function()
  local svg = plot.scatter({1, 2, 3, 4}, {4, 1, 3, 2}, {front = {2, 4}, front_label = 'front'}):svg()
  T.ok(svg:find('data-label="front"', 1, true), 'the front is a labelled series')
  T.eq(select(2, svg:gsub('<circle', '')), 4 + 2 + 1, 'all points, front markers, legend dot')
  T.raises("option 'front': item 1 is not an integer", plot.scatter, {1}, {1}, {front = {'a'}})
end)
