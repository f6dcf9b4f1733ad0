import Foundation
import LyraBase

/// Reads PyTorch checkpoints (`torch.save`: the zip format of PyTorch ≥ 1.6, and the legacy
/// one before it) without Python and without running anything: the zip's `<name>/data.pkl`
/// goes through `RestrictedUnpickler` (PyTorch's own `weights_only=True` rule), and each
/// tensor's bytes come from `<name>/data/<key>` (legacy: from after the pickles).
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

  /// The first pickle of torch's legacy format (torch < 1.6): its magic number.
  static let legacyMagic: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E]

  public static func parse(_ data: Data, file: String = "<memory>") throws -> PthFile {
    if data.starts(with: legacyMagic) { return try parseLegacy(data, file: file) }
    guard data.starts(with: [0x50, 0x4B]) else {
      throw PthError(file: file, "not a PyTorch checkpoint (neither torch.save's zip format, which begins with 'PK', nor its legacy format)")
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
    var u = RestrictedUnpickler(bytes: [UInt8](try zip.read(pkl)!), file: file)
    return try PthFile(root: try u.load(), file: file) { s in
      guard let blob = try zip.read(prefix + "data/" + s.key) else {
        throw PthError(file: file, "storage '\(s.key)' is named in data.pkl but the archive has no entry \(prefix)data/\(s.key)")
      }
      return blob
    }
  }

  /// torch < 1.6 (`_use_new_zipfile_serialization=False`; torchvision's older downloads):
  /// pickles of the magic number, the protocol version (1001), the system info, the
  /// object and the list of storage keys, then each storage in that order as a
  /// little-endian int64 element count and its bytes.
  static func parseLegacy(_ data: Data, file: String) throws -> PthFile {
    func bad(_ p: String) -> PthError { PthError(file: file, "legacy PyTorch checkpoint: \(p)") }
    let bytes = [UInt8](data)
    var u = RestrictedUnpickler(bytes: bytes, file: file, from: legacyMagic.count)
    guard case .int(1001) = try u.load() else { throw bad("protocol version is not 1001") }
    u = RestrictedUnpickler(bytes: bytes, file: file, from: u.pos)
    guard case .dict(let info) = try u.load() else { throw bad("no system-info dict") }
    if case .bool(false) = info[.string("little_endian")] { throw bad("written on a big-endian machine; only little-endian checkpoints are read") }
    u = RestrictedUnpickler(bytes: bytes, file: file, from: u.pos)
    let root = try u.load()
    u = RestrictedUnpickler(bytes: bytes, file: file, from: u.pos)
    guard case .list(let keys, _) = try u.load() else { throw bad("no list of storage keys after the object") }
    var dtypes: [String: PthDType] = [:]
    func collect(_ v: PickleValue) {
      switch v {
      case .tensor(let t): dtypes[t.storage.key] = t.storage.dtype
      case .dict(let d): for (_, x) in d.ordered { collect(x) }
      case .list(let a, _), .tuple(let a, _): a.forEach(collect)
      default: break
      }
    }
    collect(root)
    var at = u.pos
    var blobs: [String: Data] = [:]
    for k in keys {
      guard case .string(let key) = k, let dtype = dtypes[key] else { throw bad("storage key \(k.typeName) is not one a tensor uses") }
      guard at <= bytes.count - 8 else { throw bad("storage '\(key)' is cut off (truncated file?)") }
      let count = bytes[at..<(at + 8)].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
      let (n, o) = Int(clamping: count).multipliedReportingOverflow(by: dtype.size)
      guard count <= UInt64(Int.max), !o, n <= bytes.count - at - 8 else {
        throw bad("storage '\(key)' declares \(count) elements, more than the file holds (truncated file?)")
      }
      blobs[key] = data.subdata(in: (data.startIndex + at + 8)..<(data.startIndex + at + 8 + n))
      at += 8 + n
    }
    return try PthFile(root: root, file: file) { s in
      guard let b = blobs[s.key] else { throw bad("storage '\(s.key)' is not in the file") }
      return b
    }
  }

  init(root: PickleValue, file: String, blob: (PthStorageRef) throws -> Data) throws {
    tensors = []
    skipped = []
    wrapper = nil
    var views: [(String, PthView)] = []
    if case .tensor(let t) = root { views = [("", t)] } else {
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
      flatten(dict, prefix: "", into: &views)
      guard !views.isEmpty else {
        throw PthError(file: file, "holds no tensors (keys: \(top.keys.prefix(8).map(\.description).joined(separator: ", ")))")
      }
    }
    var budget = CheckedSize.maxTensorBytes
    for (name, v) in views { tensors.append((name, try PthTensor.rebuild(v, blob: try blob(v.storage), budget: &budget, file: file))) }
  }

  private mutating func flatten(_ d: PickleDict, prefix: String, into views: inout [(String, PthView)]) {
    for (k, v) in d.ordered {
      let name = prefix + k.description
      switch v {
      case .tensor(let t): views.append((name, t))
      case .dict(let inner): flatten(inner, prefix: name + ".", into: &views)
      default: skipped.append(name)
      }
    }
  }
}
