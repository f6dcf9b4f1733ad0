import LyraBase
import LyraData
import LyraTensor

/// `lyra.data` datasets added for PyTorch users: TensorDataset, random_split, ImageFolder
/// and CIFAR-100 (DataLib.swift holds the original readers and the dataset methods).
enum DataSources {
  static func open(_ state: LuaState) {
    state.register("lyra.data.TensorDataset", help: """
      lyra.data.TensorDataset(x, y) -> dataset
      Samples from tensors, as torch.utils.data.TensorDataset: sample i is x[i], y[i].
      x is [N, ...] (any shape after the first dimension); y holds N integer class labels 1..C
      (an int or float tensor of whole numbers). Works with ds:get, #ds, ds:subset and lyra.data.loader.
      Example: local ds = lyra.data.TensorDataset(lyra.randn(100, 4), lyra.randint(1, 5, {100}))
      """) { call in
      let x = try TensorLua.check(call, 1), y = try TensorLua.check(call, 2)
      guard x.shape.count >= 1 else { throw LuaArgumentError(1, "x must have a sample dimension [N, ...], got a 0-d tensor") }
      let n = x.shape[0]
      guard y.shape == [n] else {
        throw LuaArgumentError(2, "y must be a 1-D tensor of \(n) labels (x has \(n) samples), got shape \(ShapeText.format(y.shape, .size))")
      }
      let values = y.toArray()
      // 2^24: the largest whole number every float label holds exactly; it also bounds the class list.
      if let k = values.firstIndex(where: { $0 < 1 || $0 != $0.rounded() || $0 > 16_777_216 }) {
        throw LuaArgumentError(2, "y[\(k + 1)] = \(values[k]) is not a class label; labels are whole numbers 1..C (C at most 16777216)")
      }
      let labels = values.map { Int32($0) - 1 }
      let ds = InMemoryDataset(features: x.float().toArray(), sampleShape: Array(x.shape.dropFirst()), labels: labels)
      let classes = (0 ..< Int(labels.max().map { $0 + 1 } ?? 0)).map { String($0 + 1) }
      DataLua.push(DatasetBox(ds, name: "TensorDataset", classes: classes), call)
      return 1
    }

    state.register("lyra.data.random_split", help: """
      lyra.data.random_split(ds, sizes [, seed]) -> ds1, ds2, ...
      Disjoint random subsets that together cover ds, as torch.utils.data.random_split. sizes are
      counts summing to #ds ({800, 200}) or fractions summing to 1 ({0.8, 0.2}: floor(#ds * f) each,
      the remainder one by one to the first parts). Shuffled with lyra's generator (repeatable after
      lyra.manual_seed), or with a generator of its own when seed is given. ds may also be a Lua
      dataset (a table with size() and get(i)); its parts are then Lua datasets too, split as a
      native dataset of the same size would be. Example: local train, val = lyra.data.random_split(ds, {0.9, 0.1}, 42)
      """) { call in
      let b = try DataLua.dataset(call, 1)
      try call.table(2)
      let sizes = try call.stack.list(2, LuaItem.number) { k in LuaArgumentError(2, "size \(k) is not a number") }
      let generator = call.isNil(3) ? Tensor.defaultGenerator : Generator(seed: try call.seed(3))
      let lengths: [Int]
      do { lengths = try RandomSplit.lengths(count: b.dataset.count, sizes: sizes) } catch let e as SplitError {
        throw LuaArgumentError(2, e.description)
      }
      let parts = RandomSplit.indices(count: b.dataset.count, lengths: lengths, generator: generator)
      for (k, part) in parts.enumerated() { DataLua.push(b.subset(part, name: "[split \(k + 1)]"), call) }
      return parts.count
    }

    state.register("lyra.data.ImageFolder", help: """
      lyra.data.ImageFolder(root [, {size = {h, w}, grayscale = false}]) -> dataset
      Images laid out as torchvision's ImageFolder: root/CLASS/*.png|*.jpg|*.jpeg (searched recursively),
      classes = the subdirectories sorted by name, labels 1..C in that order (ds:classes()).
      Samples are [3, H, W] RGB (grayscale = true: [1, H, W]) with raw 0..255 values; add
      lyra.data.normalize(mean, std) as a transform. Every file is decoded when the dataset is built,
      so a damaged file is reported then, by name. Images of different sizes need size = {h, w}
      (nearest-neighbour resize). Example: lyra.data.ImageFolder('pets/train', {size = {64, 64}})
      """) { call in
      let root = try call.string(1)
      let o = try call.options(2)
      let size = try o?.pair("size", LuaItem.integer, "{h, w} with positive sizes") { $0 > 0 && $1 > 0 }
      let gray = try o?.bool("grayscale") ?? false
      try o?.finish()
      let ds = try ImageFolder(root: root, size: size.map { (height: $0.0, width: $0.1) }, grayscale: gray)
      DataLua.push(DatasetBox(images: ds.data, name: root), call)
      return 1
    }

    state.register("lyra.data.cifar100", help: """
      lyra.data.cifar100(split, {root = DIR | files = {...} [, label = 'fine', normalize = true]}) -> dataset
      CIFAR-100 binary files (cifar-100-binary: train.bin, test.bin; split 'train' or 'test'):
      3x32x32 images with 100 fine labels, or 20 coarse superclass labels with label = 'coarse',
      normalised per channel unless normalize = false. Example: lyra.data.cifar100('test', {root = 'cifar-100-binary'})
      """) { call in
      let split: Split
      if call.isNil(1) { split = .train } else {
        let text = try call.string(1)
        guard let s = Split(rawValue: text) else { throw LuaArgumentError(1, "split must be 'train' or 'test', got '\(text)'") }
        split = s
      }
      guard let o = try call.options(2) else { throw call.expected(2, "table with root = DIR or files = {...}") }
      let root = try o.string("root"), files = try o.strings("files")
      let labelText = try o.string("label") ?? "fine"
      let norm = try o.bool("normalize") ?? true
      try o.finish()
      guard let label = CIFAR100.LabelKind(rawValue: labelText) else {
        throw LuaArgumentError(2, "option 'label' must be 'fine' (100 classes) or 'coarse' (20 superclasses), got '\(labelText)'")
      }
      let ds: CIFAR100
      if let files {
        guard !files.isEmpty else { throw LuaArgumentError(2, "option 'files' is empty") }
        ds = try CIFAR100(files: files, label: label, normalized: norm)
      } else if let root {
        ds = try CIFAR100(split: split, root: root, label: label, normalized: norm)
      } else {
        throw LuaArgumentError(2, "give root = DIR (holding train.bin and test.bin) or files = {...}")
      }
      DataLua.push(DatasetBox(images: ds.data, name: "cifar100/\(split.rawValue)"), call)
      return 1
    }
  }
}
