import Foundation
import XCTest
@testable import LyraNN
@testable import LyraTensor

/// Tensors of every dtype through a safetensors file and back, bytes exact.
final class SafeTensorsDTypeTests: XCTestCase {
  func roundTrip(_ t: Tensor) throws -> Tensor {
    var st = SafeTensors()
    st.entries["t"] = .init(tensor: t)
    let back = try SafeTensors.parse(st.serialized())
    return try XCTUnwrap(back.entries["t"]).tensor()
  }

  func testEveryDTypeRoundTripsExactly() throws {
    let big: Int64 = (1 << 53) + 1
    let cases: [(Tensor, String)] = [
      (Tensor(scalars: [.int(big), .int(-big), .int(Int64.min)], shape: [3], dtype: .int64), "I64"),
      (Tensor(scalars: [.float64(1 + 1e-15), .float64(1e-300), .float64(-.infinity)], shape: [3], dtype: .float64), "F64"),
      (Tensor(scalars: [.bool(true), .bool(false), .bool(true)], shape: [3], dtype: .bool), "BOOL"),
      (Tensor([0.5, -2, 3], shape: [3]), "F32"),
      (Tensor(indices: [-3, 0, 7]), "I32"),
    ]
    for (t, tag) in cases {
      XCTAssertEqual(SafeTensors.Entry(tensor: t).dtype.rawValue, tag)
      let back = try roundTrip(t)
      XCTAssertEqual(back.dtype, t.dtype, tag)
      XCTAssertEqual(back.shape, t.shape, tag)
      XCTAssertEqual((0..<3).map { back.scalarValue($0) }, (0..<3).map { t.scalarValue($0) }, tag)
    }
    // A transposed (non-contiguous) view is stored in row-major order.
    let m = Tensor(scalars: (0..<6).map { .int(Int64($0)) }, shape: [2, 3], dtype: .int64).t()
    let back = try roundTrip(m)
    XCTAssertEqual(back.shape, [3, 2])
    XCTAssertEqual(back.toIntArray(), [0, 3, 1, 4, 2, 5])
  }

  func testSmallIntegerAndHalfEntriesLoadAsInt32AndFloat32() {
    let i8 = SafeTensors.Entry(dtype: .i8, shape: [2], data: Data([0xFF, 0x05]))
    XCTAssertEqual(i8.tensor().dtype, .int32)
    XCTAssertEqual(i8.tensor().toIntArray(), [-1, 5])
    let u8 = SafeTensors.Entry(dtype: .u8, shape: [2], data: Data([0xFF, 0x05]))
    XCTAssertEqual(u8.tensor().toIntArray(), [255, 5])
    let half = Float16(1.5).bitPattern
    let f16 = SafeTensors.Entry(dtype: .f16, shape: [1], data: Data([UInt8(half & 0xFF), UInt8(half >> 8)]))
    XCTAssertEqual(f16.tensor().dtype, .float32)
    XCTAssertEqual(f16.tensor().toArray(), [1.5])
  }
}
