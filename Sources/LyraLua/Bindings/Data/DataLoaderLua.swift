import CLua
import LyraBase
import LyraData
import LyraTensor

/// A loader over a Swift dataset (`lyra.data.native_loader`, reached through
/// `lyra.data.loader`), and the iterator object of one epoch.
final class LoaderBox {
  let loader: DataLoader
  let datasetBox: DatasetBox
  init(_ loader: DataLoader, datasetBox: DatasetBox) {
    self.loader = loader
    self.datasetBox = datasetBox
  }
}

/// One epoch's batches. Held by the generic `for` as its to-be-closed value, so a
/// `break` (or an error) closes it at once: `__close` drops the Swift iterator, whose
/// deinit cancels the prefetch thread. `__gc` does the same for iterators used by hand.
final class EpochBox {
  var iterator: DataLoader.Iterator?
  init(_ iterator: DataLoader.Iterator) { self.iterator = iterator }
}

enum DataLoaderLua {
  static let loaderClass = "lyra.data.Loader"
  static let iteratorClass = "lyra.data.Iterator"

  static func loader(_ call: LuaCall, _ i: Int) throws -> LoaderBox { try call.object(i, LoaderBox.self, what: loaderClass) }

  static func open(_ state: LuaState) {
    state.defineClass(iteratorClass, methods: [
      LuaMethod("next", help: "it:next() -> x, y | nil\nThe next batch of the epoch, or nil at its end (then the iterator is spent).") { call in
        let e = try call.object(1, EpochBox.self, what: iteratorClass)
        try Interruption.check()
        guard let b = e.iterator?.next() else {
          e.iterator?.stop()
          e.iterator = nil
          call.pushNil()
          return 1
        }
        DataLua.push(b, call)
        return 2
      },
    ])
    state.defineClass(loaderClass, methods: methods, metamethods: [
      LuaMethod.returning("__len", help: "#loader: batches per epoch") { try loader($0, 1).loader.batchCount },
      LuaMethod("__tostring", help: "tostring(loader)") { call in
        let l = try loader(call, 1)
        call.push("lyra.data.Loader (\(l.datasetBox.name), \(l.loader.batchCount) batches of \(l.loader.batchSize)\(l.loader.shuffle ? ", shuffled" : ""))")
        return 1
      },
    ])
    state.register("lyra.data.native_loader", help: """
      lyra.data.native_loader(ds, {batch_size = 1, shuffle = false, drop_last = false, seed = 0, prefetch = 2, transform = t}) -> loader
      The loader lyra.data.loader uses for Swift datasets with Swift transforms: batches are
      built (and transformed) on a background thread, `prefetch` ahead.
      """) { call in
      let ds = try DataLua.dataset(call, 1)
      let o = try call.options(2)
      let batchSize = try o?.int("batch_size") ?? 1
      let shuffle = try o?.bool("shuffle") ?? false
      let dropLast = try o?.bool("drop_last") ?? false
      let seed = try o?.seed("seed") ?? 0
      let prefetch = try o?.int("prefetch") ?? 2
      let transform = try o?.object("transform", TransformBox.self, what: DataTransforms.className)
      try o?.finish()
      guard batchSize > 0 else { throw LuaFailure("batch_size must be positive, got \(batchSize)") }
      // A batch is one tensor of batch_size samples: its size passes CheckedSize here,
      // before the loader's thread allocates it (capped at the dataset's size).
      let sampleCount = try CheckedSize.count(ds.sampleShape, "sample")
      try call.checkedAllocation([min(batchSize, max(ds.dataset.count, 1)), sampleCount], "batch of \(batchSize) samples")
      guard prefetch >= 0 && prefetch <= 1024 else { throw LuaFailure("prefetch must be in 0..1024, got \(prefetch)") }
      var dataset = ds.dataset
      var t = transform
      if let tr = transform {
        if tr.augments, let raw = ds.raw, let norm = ds.normalization {
          // Augmentation ops take raw pixels: read those and normalise after the ops
          // (unless the transform brings its own normalize).
          dataset = raw
          if !tr.normalizes {
            t = DataTransforms.compose([tr, TransformBox(Normalize(norm), text: "normalize", augments: false, normalizes: true) { _ in }])
          }
        } else if tr.normalizes && ds.normalization != nil {
          throw LuaFailure("\(ds.name) is already normalised; lyra.data.normalize takes raw 0..255 pixels (make the dataset with normalize = false)")
        }
        try tr.accepts(ds.sampleShape)
      }
      let l = DataLoader(dataset, batchSize: batchSize, shuffle: shuffle, seed: seed,
                         dropLast: dropLast, transform: t?.transform, prefetch: prefetch)
      call.push(object: LoaderBox(l, datasetBox: ds), className: loaderClass)
      return 1
    }
    state.register("lyra.data.epoch_order", help: """
      lyra.data.epoch_order(n, seed, epoch) -> {indices}
      The shuffled order (1-based) of epoch `epoch` (0-based count) for n samples: the same
      permutation the native loader uses, so Lua-side loaders repeat it.
      """) { call in
      let n = try call.integer(1), seed = try call.seed(2), epoch = try call.integer(3)
      guard n >= 0 && n <= 1 << 28 else { throw LuaArgumentError(1, "n must be in 0..2^28, got \(n)") }
      guard epoch >= 0 else { throw LuaArgumentError(3, "epoch must be >= 0") }
      let l = DataLoader(CountOnly(count: n), batchSize: 1, shuffle: true, seed: seed, prefetch: 0)
      call.stack.push(.table(array: l.order(epoch: epoch).map { .integer($0 + 1) }, fields: [:]))
      return 1
    }
  }

  /// Only the count matters: the loader derives its epoch orders from it.
  struct CountOnly: Dataset {
    let count: Int
    func item(at index: Int) -> Sample { Sample(features: [], shape: [0], label: 0) }
  }

  static var methods: [LuaMethod] {
    [
      LuaMethod("iter", help: """
        loader:iter() -> iterator for a generic for
        The next epoch's batches: `for x, y in loader:iter() do ... end`, x [N, ...] float,
        y [N] int labels in 1..C. Each call starts a new epoch (a new order when shuffling);
        leaving the loop early stops the prefetch thread at once.
        """) { call in
        let l = try loader(call, 1)
        let e = EpochBox(l.loader.makeIterator())
        let s = call.stack
        s.rawGet(lyra_registryindex(), iteratorClass)
        s.rawGet(-1, "__methods")
        s.rawGet(-1, "next")
        lyra_replace(call.L, -3)
        s.pop()
        call.push(object: e, className: iteratorClass)
        s.pushNil()
        s.pushValue(-2)
        return 4
      },
      LuaMethod.returning("size", help: "loader:size() -> integer\nBatches per epoch (also #loader).") { try loader($0, 1).loader.batchCount },
      LuaMethod.returning("epoch", help: "loader:epoch() -> integer\nEpochs started so far (the next iter() runs epoch + 1).") { try loader($0, 1).loader.epoch },
      LuaMethod("set_epoch", help: "loader:set_epoch(n) -> loader\nSets the epochs-started counter (resuming); the order of an epoch depends only on seed and n.") { call in
        let l = try loader(call, 1)
        let n = try call.integer(2)
        guard n >= 0 else { throw LuaArgumentError(2, "epoch must be >= 0") }
        l.loader.setEpoch(n)
        call.stack.setTop(1)
        return 1
      },
      LuaMethod("dataset", help: "loader:dataset() -> dataset") { call in
        DataLua.push(try loader(call, 1).datasetBox, call)
        return 1
      },
    ]
  }
}
