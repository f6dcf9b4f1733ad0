import LyraBase

/// Overflow-checked size arithmetic for the kernels' shape computations: a result that
/// would wrap is an `ONNXError` naming what was computed, never a trap.
enum SizeMath {
  static func mul(_ a: Int, _ b: Int, _ what: @autoclosure () -> String) throws -> Int {
    let (v, o) = a.multipliedReportingOverflow(by: b)
    if o { throw ONNXError.invalid("\(what()) overflows (\(a) × \(b))") }
    return v
  }

  static func add(_ a: Int, _ b: Int, _ what: @autoclosure () -> String) throws -> Int {
    let (v, o) = a.addingReportingOverflow(b)
    if o { throw ONNXError.invalid("\(what()) overflows (\(a) + \(b))") }
    return v
  }

  /// Checks that a float32 (or int32) tensor of `shape` may be allocated; returns its count.
  @discardableResult
  static func allocation(_ shape: [Int], _ what: @autoclosure () -> String) throws -> Int {
    do { return try CheckedSize.allocation(shape, elementSize: 4, what()) } catch let e as SizeError {
      throw ONNXError.invalid(e.description)
    }
  }
}
