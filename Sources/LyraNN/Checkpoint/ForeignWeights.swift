import Foundation
import LyraTensor

/// Weights from a file another framework wrote, loaded onto a Lyra model by
/// `StateDictMapping`: PyTorch `.pth` (read by `PthFile`, no Python) and safetensors.
/// The format is told by the file's first bytes, not its name (VEGA names checkpoints
/// `model_0.pth`, `.pt`, `.pkl`, or nothing at all).
public enum ForeignWeights {
  public struct Entry {
    public var name: String
    public var tensor: Tensor
    public var isInteger: Bool
    public init(name: String, tensor: Tensor, isInteger: Bool) { self.name = name; self.tensor = tensor; self.isInteger = isInteger }
  }

  /// A `.pth` file's state dict as float32 tensors.
  public static func readPth(_ path: String) throws -> [Entry] {
    try PthFile.read(from: path).tensors.map { Entry(name: $0.name, tensor: $0.tensor.floatTensor(), isInteger: !$0.tensor.dtype.isFloatingPoint) }
  }

  /// The tensors of a `.pth` or safetensors file, in the file's order where it has one.
  public static func read(_ path: String) throws -> [Entry] {
    guard let h = FileHandle(forReadingAtPath: path) else { throw PthError(file: path, "cannot read the file (does it exist?)") }
    let head = (try? h.read(upToCount: 2)) ?? Data()
    try? h.close()
    if head.starts(with: [0x50, 0x4B]) || head.starts(with: [0x80, 0x02]) { return try readPth(path) }
    let st = try SafeTensors.read(from: path)
    return st.entries.keys.sorted().map { k in
      let e = st.entries[k]!
      return Entry(name: k, tensor: Tensor(e.floats(), shape: e.shape), isInteger: !(e.dtype.rawValue.hasPrefix("F") || e.dtype.rawValue == "BF16"))
    }
  }

  /// Maps `entries` onto `model` and copies them. Throws (changing nothing) when `strict`
  /// and a model tensor was left unfilled or shapes differ; the mapping's report says what
  /// was loaded either way.
  @discardableResult
  public static func load(_ entries: [Entry], into model: Module, exclude: [String] = [], strict: Bool, file: String) throws -> StateDictMapping {
    let mapping = StateDictMapping(source: entries.map { ($0.name, $0.tensor, $0.isInteger) },
                                   target: StateDictMapping.targetOrder(model), exclude: exclude)
    if strict && !mapping.isComplete {
      throw DescriptionError("\(file): the weights do not fit the model (strict loading):\n" + mapping.report
        + "\n(exclude the replaced layers with model.head, or set strict_load: false to load what fits)")
    }
    mapping.apply()
    return mapping
  }
}
