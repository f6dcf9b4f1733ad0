/// Element moves that do not look at values, written once for every element size (the
/// unsigned integer of 1, 4 or 8 bytes carries the bit pattern of any dtype).
extension Tensor {
  /// self[j] = src[offsets[j]] (element offsets from each tensor's `offset`; same dtype).
  func pickElements(from src: Tensor, _ offsets: [Int]) {
    func pick<T>(_ d: UnsafeMutablePointer<T>, _ s: UnsafeMutablePointer<T>) {
      for (j, off) in offsets.enumerated() { d[j] = s[off] }
    }
    switch dtype.size {
    case 4: pick(bitData, src.bitData)
    case 8: pick(elements(UInt64.self), src.elements(UInt64.self))
    default: pick(elements(UInt8.self), src.elements(UInt8.self))
    }
  }

  /// self[offsets[k]] = values[k], or values[0] everywhere when `values` has one element.
  func putElements(_ offsets: [Int], from values: Tensor) {
    let one = values.count == 1
    func put<T>(_ d: UnsafeMutablePointer<T>, _ s: UnsafeMutablePointer<T>) {
      for (k, off) in offsets.enumerated() { d[off] = s[one ? 0 : k] }
    }
    switch dtype.size {
    case 4: put(bitData, values.bitData)
    case 8: put(elements(UInt64.self), values.elements(UInt64.self))
    default: put(elements(UInt8.self), values.elements(UInt8.self))
    }
  }
}
