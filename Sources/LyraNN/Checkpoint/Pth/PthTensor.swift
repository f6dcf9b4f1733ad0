import Foundation
import LyraBase
import LyraTensor

/// A storage named by a persistent id: `('storage', torch.FloatStorage, '0', 'cpu', 18)`.
struct PthStorageRef {
  var dtype: PthDType
  var key: String
  var count: Int
}

/// A view of a storage as the pickle describes it (checked when its values are read).
struct PthView {
  var storage: PthStorageRef
  var offset: Int
  var size: [Int]
  var stride: [Int]
}

/// A tensor read from a `.pth` file, contiguous, in its file's element type family:
/// float types (float32/64/16, bfloat16) as Float, integer and bool types as Int64.
public struct PthTensor {
  public enum Values { case floats([Float]), ints([Int64]) }
  public var dtype: PthDType
  public var shape: [Int]
  public var values: Values

  public var count: Int {
    switch values {
    case .floats(let f): return f.count
    case .ints(let i): return i.count
    }
  }

  /// A Lyra float32 tensor (integers converted; what weights are loaded as).
  public func floatTensor() -> Tensor {
    switch values {
    case .floats(let f): return Tensor(f, shape: shape)
    case .ints(let i): return Tensor(i.map { Float($0) }, shape: shape)
    }
  }

  /// `_rebuild_tensor_v2(storage, offset, size, stride)`: the view gathered into a
  /// contiguous tensor. Every index the view can reach is checked to lie in the storage
  /// before any element is read; `budget` is the bytes still allowed for all tensors.
  static func rebuild(_ v: PthView, blob: Data, budget: inout Int, file: String) throws -> PthTensor {
    let (s, offset, size, stride) = (v.storage, v.offset, v.size, v.stride)
    func bad(_ p: String) -> PthError { PthError(file: file, "tensor on storage '\(s.key)': \(p)") }
    guard size.count == stride.count, size.count <= 64 else { throw bad("size \(size) and stride \(stride) do not fit together") }
    guard offset >= 0, size.allSatisfy({ $0 >= 0 }), stride.allSatisfy({ $0 >= 0 }) else {
      throw bad("negative offset, size or stride (offset \(offset), size \(size), stride \(stride))")
    }
    let n: Int
    do {
      n = try CheckedSize.count(size, "tensor")
      // The bytes the storage declares must be there.
      let declared = try CheckedSize.product(s.count, s.dtype.size, "storage")
      guard blob.count >= declared else {
        throw bad("the storage declares \(s.count) \(s.dtype) elements (\(declared) bytes) but its entry holds \(blob.count) bytes")
      }
      if n > 0 {
        var last = offset
        for (d, st) in zip(size, stride) { last = try CheckedSize.sum(last, try CheckedSize.product(d - 1, st)) }
        guard last < s.count else {
          throw bad("the view (offset \(offset), size \(size), stride \(stride)) reaches element \(last) of a \(s.count)-element storage")
        }
      }
      let bytes = try CheckedSize.bytes(count: n, elementSize: 4, "tensor of shape \(ShapeText.format(size))")
      guard bytes <= budget else { throw bad("the tensors of this file add up to more than the limit of \(CheckedSize.maxTensorBytes) bytes (set LYRA_MAX_TENSOR_BYTES to change it)") }
      budget -= bytes
    } catch let e as SizeError { throw bad(e.description) }
    // Contiguous (almost every saved weight): a straight read, float32 a plain copy.
    var rowMajor = true, expect = 1
    for d in stride.indices.reversed() where size[d] != 1 {
      if stride[d] != expect { rowMajor = false; break }
      expect *= size[d]
    }
    if rowMajor {
      return blob.withUnsafeBytes { raw in
        if s.dtype == .float32 {
          let f = [Float](unsafeUninitializedCapacity: n) { buf, count in
            if n > 0 { memcpy(buf.baseAddress!, raw.baseAddress! + 4 * offset, 4 * n) }
            count = n
          }
          #if _endian(big)
          return PthTensor(dtype: s.dtype, shape: size, values: .floats(f.map { Float(bitPattern: $0.bitPattern.byteSwapped) }))
          #else
          return PthTensor(dtype: s.dtype, shape: size, values: .floats(f))
          #endif
        }
        if s.dtype.isFloatingPoint {
          return PthTensor(dtype: s.dtype, shape: size, values: .floats((0..<n).map { s.dtype.float(raw, offset + $0) }))
        }
        return PthTensor(dtype: s.dtype, shape: size, values: .ints((0..<n).map { s.dtype.int(raw, offset + $0) }))
      }
    }
    // Otherwise a row-major walk over the view.
    var index = [Int](repeating: 0, count: size.count)
    var positions = [Int]()
    positions.reserveCapacity(n)
    var pos = offset
    for _ in 0..<n {
      positions.append(pos)
      var d = size.count - 1
      while d >= 0 {
        index[d] += 1
        pos += stride[d]
        if index[d] < size[d] { break }
        pos -= stride[d] * size[d]
        index[d] = 0
        d -= 1
      }
    }
    return blob.withUnsafeBytes { raw in
      if s.dtype.isFloatingPoint {
        return PthTensor(dtype: s.dtype, shape: size, values: .floats(positions.map { s.dtype.float(raw, $0) }))
      }
      return PthTensor(dtype: s.dtype, shape: size, values: .ints(positions.map { s.dtype.int(raw, $0) }))
    }
  }
}
