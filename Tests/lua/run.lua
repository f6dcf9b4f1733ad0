-- Runs every Tests/lua/test_*.lua with lyra.test; exits non-zero on any failure.
-- Usage: lyra Tests/lua/run.lua [filter]
local T = require 'lyra.test'
local here = arg[0]:match('^(.*)/[^/]*$') or '.'
local p = io.popen('ls "' .. here .. '"')
local files = {}
for f in p:lines() do
  if f:match('^test_.*%.lua$') then files[#files + 1] = here .. '/' .. f end
end
p:close()
table.sort(files)
for _, f in ipairs(files) do dofile(f) end
local ok = T.run(arg[1])
os.exit(ok and 0 or 1)
