import Foundation
import LyraBase
import LyraTensor

/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a
/// JSON header mapping each name to `{dtype, shape, data_offsets: [begin, end]}` (plus
/// an optional `__metadata__` map of strings), then the raw little-endian bytes.
///
/// Why this format: PyTorch, JAX and ONNX tools read it, it cannot execute code
/// (unlike pickles), and a reader can validate every offset before touching data.
/// This codec knows nothing of tensors; `Checkpoint` maps modules onto it.
public struct SafeTensors: Equatable {
  /// Element types Lyra writes and reads.
  public enum DType: String, CaseIterable {
    case f32 = "F32", f64 = "F64", i64 = "I64", i32 = "I32", u8 = "U8", i8 = "I8", f16 = "F16", bool = "BOOL"
    public var size: Int {
      switch self {
      case .f64, .i64: return 8
      case .f32, .i32: return 4
      case .f16: return 2
      case .u8, .i8, .bool: return 1
      }
    }
  }

  /// One stored array.
  public struct Entry: Equatable {
    public var dtype: DType
    public var shape: [Int]
    public var data: Data
    public init(dtype: DType, shape: [Int], data: Data) {
      self.dtype = dtype
      self.shape = shape
      self.data = data
    }
    /// Element count; shapes of parsed entries were validated (no overflow) by `parse`.
    public var count: Int { shape.reduce(1, *) }

    public init(floats: [Float], shape: [Int]) {
      precondition(floats.count == shape.reduce(1, *), "SafeTensors.Entry: \(floats.count) values for shape \(shape)")
      self.init(dtype: .f32, shape: shape, data: floats.withUnsafeBufferPointer { Data(buffer: $0) })
    }

    public init(int64s: [Int64], shape: [Int]) {
      precondition(int64s.count == shape.reduce(1, *), "SafeTensors.Entry: \(int64s.count) values for shape \(shape)")
      self.init(dtype: .i64, shape: shape, data: int64s.withUnsafeBufferPointer { Data(buffer: $0) })
    }

    /// The values as Float32 (F32 as is; F64, I64, I32, U8 and I8 converted).
    public func floats() -> [Float] {
      data.withUnsafeBytes { raw -> [Float] in
        switch dtype {
        case .f32: return Array(raw.bindMemory(to: Float.self))
        case .f64: return raw.bindMemory(to: Double.self).map { Float($0) }
        case .i64: return raw.bindMemory(to: Int64.self).map { Float($0) }
        case .i32: return raw.bindMemory(to: Int32.self).map { Float($0) }
        case .u8, .bool: return raw.bindMemory(to: UInt8.self).map { Float($0) }
        case .i8: return raw.bindMemory(to: Int8.self).map { Float($0) }
        case .f16: return raw.bindMemory(to: UInt16.self).map { Float(Float16(bitPattern: $0)) }
        }
      }
    }

    /// The values as Int64 (integer types, or floats truncated).
    public func int64s() -> [Int64] {
      data.withUnsafeBytes { raw -> [Int64] in
        switch dtype {
        case .i64: return Array(raw.bindMemory(to: Int64.self))
        case .i32: return raw.bindMemory(to: Int32.self).map { Int64($0) }
        case .u8, .bool: return raw.bindMemory(to: UInt8.self).map { Int64($0) }
        case .i8: return raw.bindMemory(to: Int8.self).map { Int64($0) }
        default: return floats().map { Int64($0) }
        }
      }
    }
  }

  public var entries: [String: Entry]
  public var metadata: [String: String]

  public init(entries: [String: Entry] = [:], metadata: [String: String] = [:]) {
    self.entries = entries
    self.metadata = metadata
  }

  /// A malformed file: what is wrong, and where.
  public struct FormatError: Error, CustomStringConvertible {
    public var file: String
    public var problem: String
    public var description: String { "\(file): not a valid safetensors file: \(problem)" }
  }

  // MARK: - Writing

  /// The file's bytes. Entries are laid out in name order, each aligned to 8 bytes
  /// inside the data section as the reference implementation does.
  public func serialized() -> Data {
    var header: [String: Any] = [:]
    if !metadata.isEmpty { header["__metadata__"] = metadata }
    var body = Data()
    for name in entries.keys.sorted() {
      let e = entries[name]!
      let begin = body.count
      body.append(e.data)
      header[name] = ["dtype": e.dtype.rawValue, "shape": e.shape, "data_offsets": [begin, body.count]] as [String: Any]
    }
    var json = (try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])) ?? Data("{}".utf8)
    while (8 + json.count) % 8 != 0 { json.append(0x20) } // pad with spaces so data starts aligned
    var out = Data()
    var n = UInt64(json.count).littleEndian
    withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
    out.append(json)
    out.append(body)
    return out
  }

  /// Writes atomically: a crash mid-write never leaves a truncated checkpoint behind.
  public func write(to path: String) throws {
    try serialized().write(to: URL(fileURLWithPath: path), options: .atomic)
  }

  // MARK: - Reading

  public static func read(from path: String) throws -> SafeTensors {
    // The whole file is read into memory, so its size passes the allocation cap first.
    if let attrs = try? FileManager.default.attributesOfItem(atPath: path), let size = attrs[.size] as? Int {
      do { try CheckedSize.bytes(count: size, elementSize: 1, "the file") } catch let e as SizeError {
        throw FormatError(file: path, problem: e.description)
      }
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FormatError(file: path, problem: "cannot read the file")
    }
    return try parse(data, file: path)
  }

  /// Parses and validates every field and offset before copying any data.
  public static func parse(_ data: Data, file: String = "<memory>") throws -> SafeTensors {
    func bad(_ p: String) -> FormatError { FormatError(file: file, problem: p) }
    guard data.count >= 8 else { throw bad("\(data.count) bytes is shorter than the 8-byte header length") }
    let n = data.prefix(8).withUnsafeBytes { raw -> UInt64 in
      var v: UInt64 = 0
      for i in 0..<8 { v |= UInt64(raw[i]) << (8 * UInt64(i)) }
      return v
    }
    guard n <= UInt64(data.count - 8), n <= 100_000_000 else {
      // Checked before any allocation: the claimed length must fit in the bytes present.
      throw bad("header length \(n) exceeds the file size \(data.count)")
    }
    let headerBytes = data.subdata(in: data.startIndex + 8 ..< data.startIndex + 8 + Int(n))
    guard let object = try? JSONSerialization.jsonObject(with: headerBytes), let header = object as? [String: Any] else {
      throw bad("the header is not a JSON object")
    }
    let base = data.startIndex + 8 + Int(n)
    let dataCount = data.count - 8 - Int(n)
    var out = SafeTensors()
    var ranges: [(Int, Int, String)] = []
    for (name, value) in header {
      if name == "__metadata__" {
        guard let m = value as? [String: Any] else { throw bad("__metadata__ must be an object of strings") }
        for (k, v) in m {
          guard let s = v as? String else { throw bad("__metadata__.\(k) must be a string") }
          out.metadata[k] = s
        }
        continue
      }
      guard let info = value as? [String: Any] else { throw bad("entry '\(name)' is not an object") }
      guard let dts = info["dtype"] as? String else { throw bad("entry '\(name)' has no dtype") }
      guard let dtype = DType(rawValue: dts) else {
        throw bad("entry '\(name)' has unsupported dtype \(dts) (supported: \(DType.allCases.map(\.rawValue).joined(separator: ", ")))")
      }
      guard let shapeAny = info["shape"] as? [Any], let shape = intArray(shapeAny), shape.allSatisfy({ $0 >= 0 }), shape.count <= 64 else {
        throw bad("entry '\(name)' has no valid shape (a list of at most 64 non-negative integers)")
      }
      // Overflow-checked: a shape like [2^62, 4] must not wrap to 0 elements and pass
      // the byte-count test below with no data behind it.
      let expected: Int
      do {
        expected = try CheckedSize.product(try CheckedSize.count(shape, "entry '\(name)'"), dtype.size, "entry '\(name)' bytes")
      } catch let e as SizeError { throw bad("\(e.description)") }
      guard let offAny = info["data_offsets"] as? [Any], let off = intArray(offAny), off.count == 2 else {
        throw bad("entry '\(name)' has no valid data_offsets")
      }
      let (b, e) = (off[0], off[1])
      guard b >= 0, b <= e, e <= dataCount else {
        throw bad("entry '\(name)' data_offsets [\(b), \(e)] lie outside the \(dataCount) data bytes (truncated file?)")
      }
      guard e - b == expected else {
        throw bad("entry '\(name)' holds \(e - b) bytes but shape \(shape) of \(dts) needs \(expected)")
      }
      ranges.append((b, e, name))
      out.entries[name] = Entry(dtype: dtype, shape: shape, data: data.subdata(in: base + b ..< base + e))
    }
    // Empty entries occupy no bytes and overlap nothing (a [0, 0] range next to [0, 4]).
    ranges = ranges.filter { $0.0 < $0.1 }.sorted { $0.0 < $1.0 }
    for k in ranges.indices.dropFirst() where ranges[k].0 < ranges[k - 1].1 {
      throw bad("entries '\(ranges[k - 1].2)' and '\(ranges[k].2)' overlap")
    }
    return out
  }

  /// JSON numbers arrive as NSNumber/Int/Double; accept only exact integers.
  static func intArray(_ a: [Any]) -> [Int]? {
    var out: [Int] = []
    for x in a {
      if let i = x as? Int { out.append(i) } else if let d = x as? Double, d == d.rounded(), abs(d) < 1e15 { out.append(Int(d)) } else {
        return nil
      }
    }
    return out
  }
}

// MARK: - Tensors of every dtype

extension SafeTensors.Entry {
  /// The entry for `t`, in its own type: float32 → F32, float64 → F64, int32 → I32,
  /// int64 → I64, bool → BOOL (bytes copied as they are, so values round-trip exactly).
  public init(tensor t: Tensor) {
    let c = t.contiguous()
    let type: SafeTensors.DType
    switch t.dtype {
    case .float32: type = .f32
    case .float64: type = .f64
    case .int32: type = .i32
    case .int64: type = .i64
    case .bool: type = .bool
    }
    let bytes = c.count * t.dtype.size
    self.init(dtype: type, shape: t.shape, data: Data(bytes: c.storage.raw + c.offset * t.dtype.size, count: bytes))
  }

  /// The tensor type an entry loads as: F32/F16 → float32, F64 → float64, I64 → int64,
  /// BOOL → bool, I32/I8/U8 → int32.
  public var tensorDType: LyraTensor.DType {
    switch dtype {
    case .f32, .f16: return .float32
    case .f64: return .float64
    case .i64: return .int64
    case .bool: return .bool
    case .i32, .i8, .u8: return .int32
    }
  }

  /// The entry as a tensor of `tensorDType`, values exact.
  public func tensor() -> Tensor {
    let type = tensorDType
    switch dtype {
    case .f32, .f64, .i64, .i32:
      let t = Tensor.empty(shape, dtype: type)
      data.withUnsafeBytes { raw in
        if let base = raw.baseAddress { t.storage.raw.copyMemory(from: base, byteCount: count * type.size) }
      }
      return t
    case .bool:
      return Tensor(scalars: data.map { .bool($0 != 0) }, shape: shape, dtype: .bool)
    case .f16:
      return Tensor(floats(), shape: shape)
    case .i8, .u8:
      return Tensor(scalars: int64s().map { .int($0) }, shape: shape, dtype: .int32)
    }
  }
}
