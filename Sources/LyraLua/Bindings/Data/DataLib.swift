import CLua
import LyraBase
import LyraData
import LyraTensor

/// `lyra.data`: datasets (Fashion-MNIST, MNIST, CIFAR-10, CSV), the native loader
/// (DataLoaderLua.swift) and transforms (DataTransforms.swift). `lyra.data.loader`
/// itself is Lua (stdlib/lyra/data.lua): it picks the native loader for Swift datasets
/// and a Lua one for datasets and transforms written in Lua.
enum DataLib {
  static func open(_ state: LuaState) {
    state.defineClass(DataLua.datasetClass, methods: datasetMethods, metamethods: [
      LuaMethod.returning("__len", help: "#ds: number of samples") { try DataLua.dataset($0, 1).dataset.count },
      LuaMethod("__tostring", help: "tostring(ds)") { call in
        let b = try DataLua.dataset(call, 1)
        call.push("lyra.data.Dataset \(b.name) (\(b.dataset.count) samples of \(ShapeText.format(b.sampleShape, .size)), \(b.classes.count) classes)")
        return 1
      },
    ])
    let s = state.stack
    s.pushTable(path: "lyra.data")
    state.setHelp(-1, name: "lyra.data", help: """
      lyra.data: datasets, loaders, transforms.
        fashion_mnist{split =}, mnist{split =, root =}, cifar10{files =} | {split =, root =}, csv(path, {label =})
        cifar100(split, {root =, label = 'fine'|'coarse'}), ImageFolder(root, {size = {h, w}}), TensorDataset(x, y)
        random_split(ds, {n1, n2} | {0.8, 0.2} [, seed])
        loader(ds, {batch_size =, shuffle =}) with `for x, y in loader:iter() do ... end`
        normalize(mean, std), augment{{'Rotate', 0.5, 7}, ...}, compose{t1, t2}, augment_ops()
      Labels are 1-based in Lua (1..C), as in Torch7.
      """)
    s.pop()

    state.register("lyra.data.fashion_mnist", help: """
      lyra.data.fashion_mnist([{split = 'train', root = '/usr/share/datasets/fashion-mnist', normalize = true}]) -> dataset
      Fashion-MNIST: 60000 train / 10000 test 1x28x28 images in 10 classes, normalised as
      (pixel/255 - 0.2860)/0.3530 (normalize = false gives raw 0..255 pixels).
      Example: local ds = lyra.data.fashion_mnist{split = 'test'}; local x, y = ds:get(1)
      """) { call in
      try idx(call, "fashion_mnist", root: FashionMNIST.defaultRoot) { try FashionMNIST(split: $0, root: $1, normalized: $2).data }
    }
    state.register("lyra.data.mnist", help: """
      lyra.data.mnist{split = 'train', root = DIR [, normalize = true]} -> dataset
      MNIST from the IDX files under root ({train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]),
      normalised as (pixel/255 - 0.1307)/0.3081 unless normalize = false.
      """) { call in
      try idx(call, "mnist", root: "/usr/share/datasets/mnist") { try MNIST(split: $0, root: $1, normalized: $2).data }
    }
    state.register("lyra.data.cifar10", help: """
      lyra.data.cifar10{files = {...}} | {split = 'train', root = DIR} [normalize = true] -> dataset
      CIFAR-10 binary batches (3x32x32 images, 10 classes), normalised per channel unless
      normalize = false. Example: lyra.data.cifar10{files = {'data_batch_1.bin'}}
      """) { call in
      guard let o = try call.options(1) else { throw call.expected(1, "table of options") }
      let files = try o.strings("files")
      let root = try o.string("root")
      let split = try DataLua.split(o)
      let norm = try o.bool("normalize") ?? true
      try o.finish()
      let ds: CIFAR10
      if let files {
        guard !files.isEmpty else { throw LuaFailure("files is empty") }
        ds = try CIFAR10(files: files, normalized: norm)
      } else if let root {
        ds = try CIFAR10(split: split, root: root, normalized: norm)
      } else {
        throw LuaFailure("give files = {...} or root = DIR")
      }
      DataLua.push(DatasetBox(images: ds.data, name: "cifar10"), call)
      return 1
    }
    state.register("lyra.data.csv", help: """
      lyra.data.csv(path, {label = 'column' [, categorical = {...}, ignore = {...}, missing = 0, delimiter = ',']}) -> dataset
      Rows of a CSV file as samples of shape [F]: numeric columns, then categorical codes.
      categorical omitted: a column is categorical when some value is not a number.
      Integer labels v become Lua labels v + 1; text labels become 1..C in sorted order.
      """) { call in
      let path = try call.string(1)
      guard let o = try call.options(2) else { throw call.expected(2, "table with label =") }
      guard let label = try o.string("label") else { throw LuaArgumentError(2, "option 'label' (the label column) is required") }
      let categorical = try o.strings("categorical"), ignore = try o.strings("ignore") ?? []
      let missing = try o.number("missing").map { Float($0) }
      let delim = try o.string("delimiter") ?? ","
      try o.finish()
      guard delim.utf8.count == 1, let d = delim.utf8.first else { throw LuaArgumentError(2, "delimiter must be one character") }
      let ds = try TabularDataset(contentsOf: path, label: label, categorical: categorical, ignore: ignore, missing: missing, delimiter: d)
      var classes = ds.classes
      if classes.isEmpty, let top = ds.labels.max() {
        if let low = ds.labels.min(), low < 0 {
          throw LuaFailure("\(path): integer labels must be >= 0 (they become Lua labels 1..C), found \(low)")
        }
        classes = (0...Int(top)).map(String.init)
      }
      DataLua.push(DatasetBox(ds, name: path, classes: classes), call)
      return 1
    }
    DataSources.open(state)
    CTRLua.open(state)  // lyra.data.criteo/avazu/synthetic_ctr, lyra.nn.FM, lyra.optim.LazyAdam
    DataTransforms.open(state)
    DataLoaderLua.open(state)
  }

  /// An IDX image dataset (MNIST, Fashion-MNIST) from the options both take,
  /// `{split = 'train', root = DIR, normalize = true}`, pushed as `name/split`.
  static func idx(_ call: LuaCall, _ name: String, root defaultRoot: String,
                  _ make: (Split, String, Bool) throws -> ImageDataset) throws -> Int {
    let o = try call.options(1)
    let split = try DataLua.split(o)
    let root = try o?.string("root") ?? defaultRoot
    let norm = try o?.bool("normalize") ?? true
    try o?.finish()
    DataLua.push(DatasetBox(images: try make(split, root, norm), name: "\(name)/\(split.rawValue)"), call)
    return 1
  }

  static var datasetMethods: [LuaMethod] {
    [
      LuaMethod.returning("size", help: "ds:size() -> integer\nNumber of samples (also #ds).") { try DataLua.dataset($0, 1).dataset.count },
      LuaMethod("get", help: """
        ds:get(i) -> x, y
        Sample i (1-based): x a float tensor (images [C, H, W], rows [F]), y the label in 1..C.
        """) { call in
        let b = try DataLua.dataset(call, 1)
        let i = try call.integer(2)
        guard i >= 1 && i <= b.dataset.count else {
          throw LuaArgumentError(2, "index \(i) out of range 1..\(b.dataset.count)")
        }
        DataLua.push(b.dataset.item(at: i - 1), call)
        return 2
      },
      LuaMethod.returning("classes", help: "ds:classes() -> {name, ...}\nClass names; label k is classes[k].") { try DataLua.dataset($0, 1).classes },
      LuaMethod("sample_shape", help: "ds:sample_shape() -> {sizes}\nShape of one sample x.") { call in
        call.stack.push(.table(array: try DataLua.dataset(call, 1).sampleShape.map { .integer($0) }, fields: [:]))
        return 1
      },
      LuaMethod("subset", help: """
        ds:subset(indices) -> dataset
        The samples at the given 1-based indices, in that order (a split, a fold).
        Example: local val = ds:subset(lyra.randperm(#ds):narrow(1, 1, 5000):totable())
        """) { call in
        let b = try DataLua.dataset(call, 1)
        var idx: [Int] = []
        if let t = call.stack.toObject(2, as: Tensor.self) { idx = t.toIntArray() } else {
          try call.table(2)
          idx = try call.stack.list(2, LuaItem.integer) { k in LuaArgumentError(2, "index \(k) is not an integer") }
        }
        if let bad = idx.first(where: { $0 < 1 || $0 > b.dataset.count }) {
          throw LuaArgumentError(2, "index \(bad) out of range 1..\(b.dataset.count)")
        }
        DataLua.push(b.subset(idx.map { $0 - 1 }), call)
        return 1
      },
    ]
  }
}

/// Some samples of another dataset, by 0-based index (LyraData's `Subset` is generic
/// over a concrete base; a Lua dataset is only known as `any Dataset`).
struct IndexedDataset: Dataset {
  let base: any Dataset
  let indices: [Int]
  var count: Int { indices.count }
  func item(at index: Int) -> Sample { base.item(at: indices[index]) }
}
