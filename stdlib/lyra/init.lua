-- lyra: the Lua side of the library, loaded at start by the host.
-- The native bindings are already in the global `lyra` table; this module adds
-- what reads better in Lua and returns the same table.
local lyra = lyra or {}

require 'lyra.help'      -- lyra.help, lyra.doc registry helpers
require 'lyra.pretty'    -- lyra.pretty, lyra.setprintlevel
require 'lyra.repl'      -- lyra.repl.show / complete / timing
require 'lyra.apidoc'    -- lyra.apidoc() for docs/lua-api.md

return lyra
