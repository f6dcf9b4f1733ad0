-- lyra: the Lua side of the library, loaded at start by the host.
-- The native bindings are already in the global `lyra` table; this module adds
-- what reads better in Lua and returns the same table.
local lyra = lyra or {}

require 'lyra.help'      -- lyra.help, lyra.doc registry helpers
require 'lyra.pretty'    -- lyra.pretty, lyra.setprintlevel
require 'lyra.repl'      -- lyra.repl.show / complete / timing
require 'lyra.optim'     -- lyra.optim.sgd/adam (Torch7 functional forms)
require 'lyra.data'      -- lyra.data.loader (native and Lua datasets)
require 'lyra.timer'     -- lyra.Timer
require 'lyra.progress'  -- lyra.progress (bar on a TTY, plain lines in logs)
require 'lyra.search'    -- lyra.search.minimize
require 'lyra.display'   -- lyra.mime, display() (rich output in notebooks)
require 'lyra.nn_tables' -- lyra.nn.ConcatTable, lyra.nn.CAddTable (Lua table modules)
require 'lyra.apidoc'    -- lyra.apidoc() for docs/lua-api.md

return lyra
