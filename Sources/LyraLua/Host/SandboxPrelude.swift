/// The Lua half of `lyra --sandbox`, run once in the state after Lyra is loaded.
///
/// It replaces the dangerous standard functions with refusals or checked wrappers. The
/// originals survive only as upvalues of those wrappers, and `debug` (the one library that
/// reads upvalues or the registry) is removed first, so nothing a script can reach gives
/// them back. Binary chunks are refused by every loader (`load`, `loadfile`, `dofile`,
/// `require`): crafted bytecode can break the VM's memory safety.
enum SandboxPrelude {
  static let source = #"""
  local check, registry, module_class, plot_class, plot_dir = ...
  local error, select, type, pairs, setmetatable = error, select, type, pairs, setmetatable
  local orig_load, orig_loadfile = load, loadfile

  -- debug reads upvalues, locals and the registry: it would hand back every original below.
  debug = nil
  package.loaded.debug = nil

  local function refuse(name, why)
    return function()
      error(name .. ' is disabled in the sandbox (lyra --sandbox): ' .. why, 2)
    end
  end
  os.execute = refuse('os.execute', 'it runs shell commands')
  io.popen = refuse('io.popen', 'it runs shell commands')
  os.remove = refuse('os.remove', 'it deletes files')
  os.rename = refuse('os.rename', 'it moves files')
  os.tmpname = refuse('os.tmpname', 'it creates files outside the working folder')
  io.tmpfile = refuse('io.tmpfile', 'it creates files outside the working folder')

  -- Writes: only inside the working folder. Reads are allowed anywhere (datasets, stdlib).
  local orig_open, orig_output = io.open, io.output
  io.open = function(path, mode, ...)
    if type(mode) == 'string' and mode:find('[wa+]') then check(path, 'io.open') end
    return orig_open(path, mode, ...)
  end
  io.output = function(file, ...)
    if type(file) == 'string' then check(file, 'io.output') end
    return orig_output(file, ...)
  end

  -- Text chunks only. The env argument is passed on only when given (nil is a value).
  load = function(chunk, name, mode, ...)
    if select('#', ...) > 0 then return orig_load(chunk, name, 't', ...) end
    return orig_load(chunk, name, 't')
  end
  loadfile = function(file, mode, ...)
    if select('#', ...) > 0 then return orig_loadfile(file, 't', ...) end
    return orig_loadfile(file, 't')
  end
  dofile = function(file)
    local f, err = orig_loadfile(file, 't')
    if not f then error(err, 2) end
    return f()
  end

  -- require: preloaded modules and Lua source files only; no C loaders, no bytecode.
  package.loadlib = refuse('package.loadlib', 'native libraries could do anything')
  package.cpath = ''
  local searchpath, preload = package.searchpath, package.preload
  local searchers = package.searchers
  for i = #searchers, 1, -1 do searchers[i] = nil end
  searchers[1] = function(name)
    local f = preload[name]
    if f then return f, ':preload:' end
    return '\n\tno field package.preload[\'' .. name .. '\']'
  end
  searchers[2] = function(name)
    local path, err = searchpath(name, package.path)
    if not path then return err end
    local f, lerr = orig_loadfile(path, 't')
    if not f then error('error loading module \'' .. name .. '\' from file \'' .. path .. '\':\n\t' .. lerr, 3) end
    return f, path
  end

  -- Lyra's own writers: the path is checked before the native function sees it.
  local function guard_first(t, key, name)
    local f = t[key]
    if f == nil then return end
    t[key] = function(path, ...)
      if path ~= nil then check(path, name) end
      return f(path, ...)
    end
  end
  local function guard_method(methods, key, name)
    local f = methods and methods[key]
    if f == nil then return end
    methods[key] = function(self, path, ...)
      if path ~= nil then check(path, name) end
      return f(self, path, ...)
    end
  end
  guard_first(lyra, 'save', 'lyra.save')
  if lyra.plot then
    lyra.plot.dir(plot_dir)
    guard_first(lyra.plot, 'dir', 'lyra.plot.dir')
  end
  local function methods_of(class)
    local mt = registry[class]
    return type(mt) == 'table' and type(mt.__methods) == 'table' and mt.__methods or nil
  end
  guard_method(methods_of(module_class), 'save', 'm:save')
  guard_method(methods_of(module_class), 'to_onnx', 'm:to_onnx')
  guard_method(methods_of(plot_class), 'save', 'p:save')
  guard_method(methods_of(plot_class), 'show', 'p:show')

  -- Pipelines run in this process only: a worker process would start unsandboxed.
  if lyra.pipeline and lyra.pipeline.run then
    local run = lyra.pipeline.run
    lyra.pipeline.run = function(config, opts)
      -- A config table's task folder is checked here; a YAML file's by the kernel fence.
      local general = type(config) == 'table' and type(config.general) == 'table' and config.general
      local task = general and type(general.task) == 'table' and general.task
      check(task and task.local_base_path or './tasks', 'lyra.pipeline.run')
      local o = {}
      if type(opts) == 'table' then for k, v in pairs(opts) do o[k] = v end end
      o.workers = 1
      return run(config, o)
    end
  end
  """#
}
