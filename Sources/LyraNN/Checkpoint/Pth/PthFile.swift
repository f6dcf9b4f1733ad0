import Foundation
import LyraBase

/// Reads PyTorch checkpoints (`torch.save`, the zip format of PyTorch ≥ 1.6) without
/// Python and without running anything: the zip's `<name>/data.pkl` goes through
/// `RestrictedUnpickler` (PyTorch's own `weights_only=True` rule), and each tensor's
/// bytes come from `<name>/data/<key>`.
///
/// What is kept is the state dict: the top-level dict when it holds tensors, else the
/// first wrapper among `state_dict`, `model_state_dict`, `model`, `net`, `network` that
/// does (VEGA's and most training scripts' layouts); nested dicts of tensors flatten to
/// dotted names. Other values (epochs, optimiser state without tensors, strings) are
/// listed in `skipped`.
public struct PthFile {
  /// Tensors in the file's order.
  public var tensors: [(name: String, tensor: PthTensor)]
  /// The wrapper key the state dict was found under (nil: the top level).
  public var wrapper: String?
  /// Names of entries that are not tensors (reported, not loaded).
  public var skipped: [String]

  /// The wrapper keys looked in, in order.
  public static let wrapperKeys = ["state_dict", "model_state_dict", "model", "net", "network"]
  /// At most this many bytes for data.pkl (its values, not the tensors: a state dict of a
  /// thousand tensors takes a few hundred KiB).
  public static let maxPickleBytes = 256 << 20

  public static func read(from path: String) throws -> PthFile {
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
      throw PthError(file: path, "cannot read the file: \(error.localizedDescription)")
    }
    return try parse(data, file: path)
  }

  /// True for the magic of torch's legacy (pre-1.6) format: a pickled magic number first.
  static func isLegacy(_ data: Data) -> Bool {
    data.starts(with: [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19])
  }

  public static func parse(_ data: Data, file: String = "<memory>") throws -> PthFile {
    if isLegacy(data) {
      throw PthError(file: file, "a PyTorch checkpoint in the legacy format (torch < 1.6), which Lyra does not read: re-save it with torch.save in PyTorch ≥ 1.6 (the zip format) or convert it to safetensors")
    }
    guard data.starts(with: [0x50, 0x4B]) else {
      throw PthError(file: file, "not a PyTorch zip checkpoint (no zip signature at the start; .pth files from torch.save begin with 'PK')")
    }
    let zip = try StoredZip(data: data, file: file)
    guard let pkl = zip.names.first(where: { $0.hasSuffix("/data.pkl") && $0.split(separator: "/").count == 2 }) else {
      throw PthError(file: file, "a zip archive without <name>/data.pkl: not a torch.save checkpoint")
    }
    let prefix = String(pkl.dropLast("data.pkl".count))
    if let order = try zip.read(prefix + "byteorder"), String(decoding: order, as: UTF8.self) != "little" {
      throw PthError(file: file, "written on a big-endian machine (byteorder '\(String(decoding: order, as: UTF8.self))'); only little-endian checkpoints are read")
    }
    guard zip.entries[pkl]!.size <= maxPickleBytes else {
      throw PthError(file: file, "data.pkl has \(zip.entries[pkl]!.size) bytes (at most \(maxPickleBytes))")
    }
    let pickle = try zip.read(pkl)!
    var u = RestrictedUnpickler(bytes: [UInt8](pickle), file: file, budget: CheckedSize.maxTensorBytes) { s in
      guard let blob = try zip.read(prefix + "data/" + s.key) else {
        throw PthError(file: file, "storage '\(s.key)' is named in data.pkl but the archive has no entry \(prefix)data/\(s.key)")
      }
      return blob
    }
    return try PthFile(root: try u.load(), file: file)
  }

  init(root: PickleValue, file: String) throws {
    tensors = []
    skipped = []
    wrapper = nil
    if case .tensor(let t) = root { tensors = [("", t)]; return }
    guard case .dict(let top) = root else {
      throw PthError(file: file, "holds a \(root.typeName), not a state dict (a dict of tensors)")
    }
    var dict = top
    if !top.ordered.contains(where: { if case .tensor = $0.value { return true } else { return false } }) {
      for k in PthFile.wrapperKeys {
        if case .dict(let inner) = top[.string(k)] { dict = inner; wrapper = k; break }
      }
    }
    if let w = wrapper { skipped = top.keys.map(\.description).filter { $0 != w } }
    flatten(dict, prefix: "")
    guard !tensors.isEmpty else {
      throw PthError(file: file, "holds no tensors (keys: \(top.keys.prefix(8).map(\.description).joined(separator: ", ")))")
    }
  }

  private mutating func flatten(_ d: PickleDict, prefix: String) {
    for (k, v) in d.ordered {
      let name = prefix + k.description
      switch v {
      case .tensor(let t): tensors.append((name, t))
      case .dict(let inner): flatten(inner, prefix: name + ".")
      default: skipped.append(name)
      }
    }
  }
}
