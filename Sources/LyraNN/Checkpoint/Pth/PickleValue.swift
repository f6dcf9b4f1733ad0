/// What the restricted unpickler builds: containers and primitives, the few callables the
/// allow-list names, storages and rebuilt tensors. Nothing else can exist, so nothing else
/// can be called.
///
/// Containers are values, not shared objects: no cycle can be built, and `depth` (checked
/// when a container is filled) bounds every nesting, so neither reading nor freeing the
/// result can recurse without bound. The one aliasing that real checkpoints use — a
/// container memoized and then filled (`}q\x00(...u`) — is kept by writing the filled
/// container back to its memo slot (`RestrictedUnpickler`).
indirect enum PickleValue {
  case none
  case bool(Bool)
  case int(Int)
  case float(Double)
  case string(String)
  case bytes([UInt8])
  /// Items and nesting depth (kept, so checking a push costs nothing).
  case tuple([PickleValue], depth: Int)
  case list([PickleValue], depth: Int)
  case dict(PickleDict)
  case global(PickleGlobal)
  case storage(PthStorageRef)
  /// A tensor as `_rebuild_tensor_v2` describes it; its values are read after the pickle
  /// (the legacy format stores them after it), by `PthTensor.rebuild`.
  case tensor(PthView)

  /// Nesting depth (1 for a leaf).
  var depth: Int {
    switch self {
    case .tuple(_, let d), .list(_, let d): return d
    case .dict(let d): return d.depth
    default: return 1
    }
  }

  static func tuple(_ items: [PickleValue]) -> PickleValue { .tuple(items, depth: 1 + (items.map(\.depth).max() ?? 0)) }

  var typeName: String {
    switch self {
    case .none: return "None"
    case .bool: return "bool"
    case .int: return "int"
    case .float: return "float"
    case .string: return "str"
    case .bytes: return "bytes"
    case .tuple: return "tuple"
    case .list: return "list"
    case .dict: return "dict"
    case .global(let g): return g.name
    case .storage: return "storage"
    case .tensor: return "tensor"
    }
  }
}

/// A dict with string or integer keys, in insertion order (Python's order).
struct PickleDict {
  enum Key: Hashable, CustomStringConvertible {
    case string(String), int(Int)
    var description: String {
      switch self {
      case .string(let s): return s
      case .int(let i): return String(i)
      }
    }
  }

  private(set) var keys: [Key] = []
  private(set) var values: [Key: PickleValue] = [:]
  private(set) var depth = 1

  subscript(_ k: Key) -> PickleValue? { values[k] }

  mutating func set(_ k: Key, _ v: PickleValue) {
    if values.updateValue(v, forKey: k) == nil { keys.append(k) }
    depth = max(depth, v.depth + 1)
  }

  var ordered: [(key: Key, value: PickleValue)] { keys.map { ($0, values[$0]!) } }
}

/// The globals a weights-only checkpoint may name (PyTorch's `weights_only=True` rule,
/// the part that tensors and state dicts need).
enum PickleGlobal: Equatable {
  case rebuildTensorV2
  /// The legacy format's older name for the same rebuild (storage, offset, size, stride).
  case rebuildTensor
  case rebuildParameter
  case rebuildParameterWithState
  case orderedDict
  case storageType(PthDType)

  static func allowed(module: String, name: String) -> PickleGlobal? {
    switch (module, name) {
    case ("torch._utils", "_rebuild_tensor_v2"): return .rebuildTensorV2
    case ("torch._utils", "_rebuild_tensor"): return .rebuildTensor
    case ("torch._utils", "_rebuild_parameter"): return .rebuildParameter
    case ("torch._utils", "_rebuild_parameter_with_state"): return .rebuildParameterWithState
    case ("collections", "OrderedDict"): return .orderedDict
    case ("torch", _): return PthDType(storageName: name).map { .storageType($0) }
    default: return nil
    }
  }

  var name: String {
    switch self {
    case .rebuildTensorV2: return "torch._utils._rebuild_tensor_v2"
    case .rebuildTensor: return "torch._utils._rebuild_tensor"
    case .rebuildParameter: return "torch._utils._rebuild_parameter"
    case .rebuildParameterWithState: return "torch._utils._rebuild_parameter_with_state"
    case .orderedDict: return "collections.OrderedDict"
    case .storageType(let t): return "torch.\(t.storageName)"
    }
  }
}
