import CLua
import LyraBase
import LyraData
import LyraNets
import LyraNN
import LyraPipeline
import LyraTensor

/// `lyra.pipeline.register_dataset / register_network / register_metric /
/// register_callback`: Lua code adds types that a YAML config names (VEGA's
/// ClassFactory, docs/architecture.md#descriptions-are-data). A config loads such code with `general.plugins`.
///
/// Thread rule: every Lua function registered here runs on the thread that runs the
/// trial, which is the Lua thread (in-process trials and `lyra worker` processes both
/// run trials on their main thread). A Lua dataset is read into memory when it is built,
/// so the loader's prefetch thread never calls Lua. Lua errors come back as Swift errors
/// (protected calls), so a broken plugin fails its trial, not the process.
enum PipelineRegistryLua {
  static func open(_ state: LuaState) {
    state.register("lyra.pipeline.register_dataset", help: """
      lyra.pipeline.register_dataset(name, function(params, split) -> dataset)
      Adds a dataset type for configs (`dataset: {type: name, common: {...}}`). The function gets
      the section's keys (common merged with the split's) and the split ('train' or 'test') and
      returns a lyra.data dataset (lyra.data.csv{...}, ...), a Lua dataset (a table with size()
      and get(i) -> x, y with labels 1..C) or {x = tensor [N, ...], y = labels 1..C}.
      Lua datasets are read into memory once per trial, on the Lua thread.
      """) { call in
      let name = try call.string(1)
      let fn = try call.function(2)
      DatasetRegistry.register(name) { reader, split in
        let params = reader.remaining()
        return try fn.call(nresults: 1, pushArgs: { s in
          s.push(LuaJSON.lua(.object(params)))
          s.push(split == .train ? "train" : "test")
          return 2
        }, readResults: { s in try dataset(s, name: name) })
      }
      return 0
    }
    state.register("lyra.pipeline.register_network", help: """
      lyra.pipeline.register_network(name, function(params) -> module)
      Adds a network type for model descriptions (`model_desc: {type: name, ...}` or a part of
      `modules`). The function gets the description's keys (without type) and returns a lyra.nn
      module. Search keys `network.<part>.<key>` reach its parameters like any network's.
      """) { call in
      let name = try call.string(1)
      let fn = try call.function(2)
      NetworkRegistry.register(name) { reader in
        var params: [String: JSON] = [:]
        for k in reader.object.keys where k != "type" { params[k] = reader.raw(k) }
        return try fn.call(nresults: 1, pushArgs: { s in
          s.push(LuaJSON.lua(.object(params)))
          return 1
        }, readResults: { s in
          guard let m = s.toObject(-1, as: Module.self) else {
            throw DescriptionError("\(reader.path): network '\(name)' must return a lyra.nn module, got \(s.typeName(-1))")
          }
          return m
        })
      }
      return 0
    }
    state.register("lyra.pipeline.register_metric", help: """
      lyra.pipeline.register_metric(name, function(params) -> metric)
      Adds a metric for `trainer.metric: {type: name, params: {...}}`. The function returns a table
      with update(self, output, target) per validation batch (labels 1..C), summary(self) -> number
      or {name = number, ...}, and optionally reset(self) and objective = 'max' (default) or 'min'.
      Example:
        lyra.pipeline.register_metric('error_rate', function()
          return {objective = 'min', n = 0, wrong = 0,
            reset = function(m) m.n, m.wrong = 0, 0 end,
            update = function(m, out, y) ... end,
            summary = function(m) return m.wrong / m.n end}
        end)
      """) { call in
      let name = try call.string(1)
      let fn = try call.function(2)
      MetricRegistry.register(name) { reader in
        let params = reader.remaining()
        return try fn.call(nresults: 1, pushArgs: { s in
          s.push(LuaJSON.lua(.object(params)))
          return 1
        }, readResults: { s in try LuaMetric(name: name, stack: s, state: call.state) })
      }
      return 0
    }
    state.register("lyra.pipeline.register_callback", help: """
      lyra.pipeline.register_callback(name, function() -> callback)
      Adds a trainer callback for `trainer.callbacks: [name]`. The function makes one callback
      per trained model: a table with any of the hooks init_trainer, before_train, before_epoch,
      after_epoch, before_train_step, after_train_step, before_valid, after_valid, after_train,
      each called as hook(self, info, model) with info = {trial, epoch (1-based), epochs, step, loss,
      lr, train_loss, valid_loss, perfs = {...}, best = {...}} and the lyra.nn model; and optionally priority
      (default 100: before the built-in callbacks, 200 and up). An error in a hook fails the trial.
      """) { call in
      let name = try call.string(1)
      let fn = try call.function(2)
      CallbackRegistry.register(name) {
        try fn.call(nresults: 1, pushArgs: { _ in 0 }, readResults: { s in try LuaTrainerCallback(name: name, stack: s, state: call.state) })
      }
      return 0
    }
    state.register("lyra.pipeline.registered", help: """
      lyra.pipeline.registered() -> {datasets = {...}, networks = {...}, metrics = {...}, callbacks = {...}}
      The type names configs can use, built-in and registered from Lua.
      """) { call in
      let lists: [String: [String]] = ["datasets": DatasetRegistry.names, "networks": NetworkRegistry.types,
                                       "metrics": MetricRegistry.names, "callbacks": CallbackRegistry.names]
      call.stack.push(.table(array: [], fields: lists.mapValues { .table(array: $0.map { .string($0) }, fields: [:]) }))
      return 1
    }
  }

  /// The dataset at the top of `s`: a native one, a Lua one read into memory, or {x, y}.
  static func dataset(_ s: LuaStack, name: String) throws -> any Dataset {
    if let box = s.toObject(-1, as: DatasetBox.self) { return box.dataset }
    guard s.type(-1) == .table else { throw LuaFailure("dataset '\(name)' must return a dataset, got \(s.typeName(-1))") }
    let t = s.absIndex(-1)
    if s.rawGet(t, "x") == .userdata, let x = s.toObject(-1, as: Tensor.self) {
      s.pop()
      s.rawGet(t, "y")
      defer { s.pop() }
      let labels: [Int]
      if let y = s.toObject(-1, as: Tensor.self) { labels = y.dtype == .int32 ? y.toIntArray() : y.toArray().map { Int($0) } } else if s.type(-1) == .table {
        labels = (0..<s.rawLength(-1)).map { i in s.rawGet(-1, index: i + 1); defer { s.pop() }; return s.toInteger(-1) ?? 0 }
      } else { throw LuaFailure("dataset '\(name)': y must be a tensor or a list of labels 1..C") }
      guard x.rank >= 2, x.shape[0] == labels.count else {
        throw LuaFailure("dataset '\(name)': x must be [N, ...] with N = #y (\(labels.count)), got \(x.shape)")
      }
      return InMemoryDataset(features: x.toArray(), sampleShape: Array(x.shape.dropFirst()), labels: try zeroBased(labels, name))
    }
    s.pop()
    // A Lua dataset: size() and get(i) -> x, y.
    guard try s.field(t, "size") == .function else { s.pop(); throw LuaFailure("dataset '\(name)': a Lua dataset needs size() and get(i)") }
    s.pushValue(t)
    guard lyra_pcall(s.L, 1, 1) == LUA_OK, let n = s.toInteger(-1), n >= 0 else {
      let m = s.toString(-1) ?? "size() must return an integer >= 0"; s.pop()
      throw LuaFailure("dataset '\(name)': \(m)")
    }
    s.pop()
    var samples: [Sample] = []
    samples.reserveCapacity(n)
    for i in stride(from: 1, through: n, by: 1) {
      guard try s.field(t, "get") == .function else { s.pop(); throw LuaFailure("dataset '\(name)': a Lua dataset needs get(i)") }
      s.pushValue(t)
      s.push(i)
      guard lyra_pcall(s.L, 2, 2) == LUA_OK else {
        let m = s.toString(-1) ?? "error"; s.pop()
        throw LuaFailure("dataset '\(name)': get(\(i)): \(m)")
      }
      defer { s.pop(2) }
      guard let x = s.toObject(-2, as: Tensor.self), let y = s.toInteger(-1) else {
        throw LuaFailure("dataset '\(name)': get(\(i)) must return a tensor and an integer label, got \(s.typeName(-2)), \(s.typeName(-1))")
      }
      if let first = samples.first, first.shape != x.shape {
        throw LuaFailure("dataset '\(name)': get(\(i)) returned shape \(x.shape), earlier samples \(first.shape)")
      }
      samples.append(Sample(features: x.toArray(), shape: x.shape, label: Int32(try zeroBased([y], name)[0])))
    }
    return InMemoryDataset(samples: samples)
  }

  /// Lua labels are 1..C (Torch7); Swift's are 0..C-1.
  static func zeroBased(_ labels: [Int], _ name: String) throws -> [Int32] {
    try labels.map { y in
      guard y >= 1 && y <= Int(Int32.max) else { throw LuaFailure("dataset '\(name)': labels must be 1..C, got \(y)") }
      return Int32(y - 1)
    }
  }
}

extension ParamReader {
  /// Every key no reader has asked for yet, marked as read (a Lua factory takes them all).
  func remaining() -> [String: JSON] {
    var out: [String: JSON] = [:]
    for (k, v) in values where !isKnown(k) { out[k] = v }
    accept(Array(values.keys))
    return out
  }
}
