-- Quickstart: the main job of a fresh checkout (`scripts/lyra run docs/examples/quickstart.lua`).
-- It grows with Lyra: today it checks the host; with the tensor engine it trains the
-- reference CNN on Fashion-MNIST.
local t0 = lyra.clock()
print(string.format('Lyra %s on %s', lyra.version, _VERSION))
print('stdlib:', package.path:match('^([^;]*)/%?%.lua'))
lyra.help('lyra')
print(string.format('ready in %.1f ms', (lyra.clock() - t0) * 1000))
