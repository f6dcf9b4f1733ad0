import XCTest
import LyraBase
@testable import LyraTensor

/// int64, float64 and bool tensors against naive Swift references: exact values, every
/// conversion, layout ops on each element size, arithmetic and reductions in the right type.
final class DTypeTests: XCTestCase {
  /// A small deterministic generator (tests must not depend on the global seed).
  struct LCG {
    var s: UInt64
    mutating func next() -> UInt64 { s = s &* 6364136223846793005 &+ 1442695040888963407; return s >> 11 }
    mutating func int(_ range: ClosedRange<Int64>) -> Int64 { range.lowerBound + Int64(next() % UInt64(range.upperBound - range.lowerBound + 1)) }
  }

  func int64s(_ t: Tensor) -> [Int64] { let c = t.contiguous(); return (0..<c.count).map { c.elements(Int64.self)[$0] } }
  func doubles(_ t: Tensor) -> [Double] { let c = t.contiguous(); return (0..<c.count).map { c.elements(Double.self)[$0] } }
  func bools(_ t: Tensor) -> [Bool] { let c = t.contiguous(); return (0..<c.count).map { c.elements(UInt8.self)[$0] != 0 } }
  func long(_ v: [Int64], _ shape: [Int]? = nil) -> Tensor { Tensor(scalars: v.map { .int($0) }, shape: shape, dtype: .int64) }
  func double(_ v: [Double], _ shape: [Int]? = nil) -> Tensor { Tensor(scalars: v.map { .float64($0) }, shape: shape, dtype: .float64) }

  func testElementSizesAndStorage() {
    XCTAssertEqual(DType.allCases.map(\.size), [4, 4, 8, 8, 1])
    XCTAssertEqual(Tensor.zeros([3, 5], dtype: .int64).byteCount, 120)
    XCTAssertEqual(Tensor.zeros([3, 5], dtype: .float64).byteCount, 120)
    XCTAssertEqual(Tensor.zeros([3, 5], dtype: .bool).byteCount, 15)
    // A bool buffer of odd size and a 1-element int64 are fully usable (no short allocation).
    let b = Tensor.full([7], 1, dtype: .bool)
    XCTAssertEqual(bools(b), [Bool](repeating: true, count: 7))
    let big = Tensor.full([1000], 3, dtype: .int64)
    XCTAssertEqual(int64s(big).reduce(0, +), 3000)
  }

  func testInt64ValuesAreExact() {
    let v: Int64 = (1 << 53) + 1 // not representable in a Double
    let t = long([v, -v, Int64.max, Int64.min])
    XCTAssertEqual(t.scalarValue(0), .int(v))
    XCTAssertEqual(t.select(0, 0).scalarItem(), .int(v))
    XCTAssertEqual(int64s(t), [v, -v, Int64.max, Int64.min])
    XCTAssertEqual(t.toIntArray(), [Int(v), Int(-v), Int.max, Int.min])
    XCTAssertEqual(Tensor.scalar(.int(v), dtype: .int64).scalarItem(), .int(v))
    XCTAssertEqual(t.description, "Tensor([4], int64) [9007199254740993, -9007199254740993, 9223372036854775807, -9223372036854775808]")
  }

  func testConversionsFollowPyTorch() {
    let f = Tensor([2.7, -2.7, 0.5, -0.0, 1e10, -1e10, .nan, .infinity])
    XCTAssertEqual(int64s(f.long()), [2, -2, 0, 0, 10_000_000_000, -10_000_000_000, 0, Int64.max])
    XCTAssertEqual(f.int().toIntArray(), [2, -2, 0, 0, Int(Int32.max), Int(Int32.min), 0, Int(Int32.max)])
    XCTAssertEqual(bools(f.bool()), [true, true, true, false, true, true, true, true])
    XCTAssertEqual(doubles(f.double()).prefix(2), [Double(Float(2.7)), Double(Float(-2.7))])
    // int64 → int32 wraps (PyTorch's cast), int64 → float64 exact below 2^53.
    XCTAssertEqual(long([(1 << 32) + 5, -1]).int().toIntArray(), [5, -1])
    XCTAssertEqual(doubles(long([(1 << 52) + 1]).double()), [Double((1 << 52) + 1)])
    // Through every pair and back: small integers survive all of them.
    let base: [Int64] = [0, 1, -3, 7]
    for a in DType.allCases where a != .bool {
      for b in DType.allCases where b != .bool {
        XCTAssertEqual(int64s(long(base).to(a).to(b).to(.int64)), base, "\(a) → \(b)")
      }
    }
    XCTAssertEqual(bools(long([0, 2, -1]).to(.bool)), [false, true, true])
    XCTAssertEqual(Tensor.full([3], 1, dtype: .bool).to(.float64).toArray(), [1, 1, 1])
    // A non-contiguous source converts in row-major order.
    XCTAssertEqual(int64s(Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3]).t().long()), [1, 4, 2, 5, 3, 6])
  }

  func testLayoutOpsOnEveryElementSize() {
    var g = LCG(s: 7)
    let values = (0..<24).map { _ in g.int(-1_000_000_000_000...1_000_000_000_000) }
    let x = long(values, [2, 3, 4])
    // transpose/permute + contiguous against a naive index.
    let p = x.permute([2, 0, 1]).contiguous()
    var want: [Int64] = []
    for k in 0..<4 { for i in 0..<2 { for j in 0..<3 { want.append(values[i * 12 + j * 4 + k]) } } }
    XCTAssertEqual(int64s(p), want)
    var narrowed: [Int64] = [], selected: [Int64] = []
    for r in 0..<6 { narrowed += [values[r * 4 + 1], values[r * 4 + 2]] }
    for i in 0..<2 { for c in 0..<4 { selected.append(values[i * 12 + 8 + c]) } }
    XCTAssertEqual(int64s(x.narrow(2, 1, 2).clone()), narrowed)
    XCTAssertEqual(int64s(x.select(1, 2)), selected)
    XCTAssertEqual(int64s(x.reshape([6, 4]).view([24])), values)
    XCTAssertEqual(int64s(long([5, 6], [2, 1]).expand([2, 3]).contiguous()), [5, 5, 5, 6, 6, 6])
    // cat/stack, index_select, gather, masks.
    XCTAssertEqual(int64s(Tensor.cat([long([1, 2]), long([3])])), [1, 2, 3])
    XCTAssertEqual(int64s(Tensor.stack([long([1, 2]), long([3, 4])], dim: 1)), [1, 3, 2, 4])
    let m = long([10, 20, 30, 40, 50, 60], [3, 2])
    XCTAssertEqual(int64s(m.indexSelect(0, Tensor(indices: [2, 0, 2]))), [50, 60, 10, 20, 50, 60])
    XCTAssertEqual(int64s(m.gather(1, Tensor(indices: [1, 0, 0, 0, 1, 1], shape: [3, 2]))), [20, 10, 30, 30, 60, 60])
    let mask = Tensor(scalars: [true, false, false, true, true, false].map { .bool($0) }, shape: [3, 2], dtype: .bool)
    XCTAssertEqual(int64s(m.maskedSelect(mask)), [10, 40, 50])
    let d = double([0.1, 0.2, 0.3], [3])
    XCTAssertEqual(doubles(Tensor.cat([d, d]).narrow(0, 2, 2)), [0.3, 0.1])
    XCTAssertEqual(bools(mask.t().contiguous()), [true, false, true, false, true, false])
    XCTAssertEqual(bools(Tensor.cat([mask, mask], dim: 1).select(0, 1)), [false, true, false, true])
    // copy_ converts, fill_ is exact, masked writes keep the element size.
    let y = Tensor.zeros([3], dtype: .int64)
    y.copy_(Tensor([1.9, -1.9, 3]))
    XCTAssertEqual(int64s(y), [1, -1, 3])
    y.fill_(.int((1 << 53) + 1))
    XCTAssertEqual(int64s(y), [Int64](repeating: (1 << 53) + 1, count: 3))
    y.maskedPut_(Tensor([0, 1, 0]), long([-7]))
    XCTAssertEqual(int64s(y), [(1 << 53) + 1, -7, (1 << 53) + 1])
    let z = Tensor.zeros([2, 2], dtype: .float64)
    z.narrow(1, 1, 1).copy_(double([1e-300, 2e-300], [2, 1]))
    XCTAssertEqual(doubles(z), [0, 1e-300, 0, 2e-300])
  }

  func testPromotionTable() {
    XCTAssertEqual(DType.promoted(.int64, .float32), .float32)
    XCTAssertEqual(DType.promoted(.float32, .float64), .float64)
    XCTAssertEqual(DType.promoted(.bool, .int64), .int64)
    XCTAssertEqual(DType.promoted(.int32, .int64), .int64)
    XCTAssertEqual(DType.promoted(.bool, .float32), .float32)
    XCTAssertEqual(DType.int64.forNumber(isInteger: true), .int64)
    XCTAssertEqual(DType.int64.forNumber(isInteger: false), .float32)
    XCTAssertEqual(DType.bool.forNumber(isInteger: true), .int64)
    XCTAssertEqual(DType.float64.forNumber(isInteger: false), .float64)
  }

  func testInt64ArithmeticMatchesNaiveReference() {
    var g = LCG(s: 11)
    let a = (0..<3).map { _ in g.int(-(1 << 40)...(1 << 40)) }, b = (0..<4).map { _ in g.int(-(1 << 20)...(1 << 20)) }
    let ta = long(a, [3, 1]), tb = long(b, [1, 4])
    let cases: [(DTypeArithmetic, (Int64, Int64) -> Int64)] = [(.add, { $0 &+ $1 }), (.sub, { $0 &- $1 }), (.mul, { $0 &* $1 })]
    for (op, f) in cases {
      let r = Tensor.arithmetic(op, ta, tb)
      XCTAssertEqual(r.dtype, DType.int64)
      var want: [Int64] = []
      for x in a { for y in b { want.append(f(x, y)) } }
      XCTAssertEqual(int64s(r), want, "\(op)")
    }
    // Division is true division in float32 (PyTorch); int64 + float32 is float32; bool + int64 is int64.
    let q = Tensor.arithmetic(.div, long([7, -7]), long([2, 2]))
    XCTAssertEqual(q.dtype, .float32)
    XCTAssertEqual(q.toArray(), [3.5, -3.5])
    XCTAssertEqual(Tensor.arithmetic(.add, long([1]), Tensor([0.5])).dtype, .float32)
    XCTAssertEqual(int64s(Tensor.arithmetic(.add, Tensor.full([2], 1, dtype: .bool), long([5, 6]))), [6, 7])
    // Overflow wraps as in PyTorch, never traps.
    XCTAssertEqual(int64s(Tensor.arithmetic(.add, long([Int64.max]), long([1]))), [Int64.min])
    XCTAssertEqual(int64s(long([Int64.min, -5, 5]).negExact()), [Int64.min, 5, -5])
    XCTAssertEqual(int64s(long([Int64.min, -5, 5]).absExact()), [Int64.min, 5, 5])
  }

  func testFloat64KeepsDoublePrecision() {
    // 1 + 1e-10 - 1 survives in float64 and is lost in float32.
    let one = double([1]), tiny = double([1e-10])
    let back = Tensor.arithmetic(.sub, Tensor.arithmetic(.add, one, tiny), one)
    XCTAssertEqual(doubles(back), [(1.0 + 1e-10) - 1.0])
    XCTAssertNotEqual(doubles(back)[0], 0)
    XCTAssertEqual(((Tensor([1]) + Tensor([1e-10])) - Tensor([1])).toArray(), [0]) // float32 loses it
    // Values 1e-16 apart compare and sort apart.
    let steps = double((0..<10).map { Double($0) * 1e-16 })
    XCTAssertEqual(bools(Tensor.compare(.gt, steps, double([4.5e-16]))), (0..<10).map { $0 >= 5 })
    XCTAssertEqual(doubles(steps.sumExact()), [(0..<10).reduce(0.0) { $0 + Double($1) * 1e-16 }])
    XCTAssertEqual(steps.extremeExact(largest: true).indices.toIntArray(), [9])
    XCTAssertEqual(doubles(steps.meanExact()), [(0..<10).reduce(0.0) { $0 + Double($1) * 1e-16 } / 10])
    // float64 matmul against a naive triple loop, with entries float32 cannot hold.
    var g = LCG(s: 5)
    let (m, k, n) = (3, 5, 2)
    let av = (0..<(m * k)).map { _ in 1 + Double(g.int(0...1000)) * 1e-12 }, bv = (0..<(k * n)).map { _ in Double(g.int(-1000...1000)) / 7 }
    let c = double(av, [m, k]).matmulDouble(double(bv, [k, n]))
    var want = [Double](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n { for p in 0..<k { want[i * n + j] += av[i * k + p] * bv[p * n + j] } } }
    for (x, y) in zip(doubles(c), want) { XCTAssertEqual(x, y, accuracy: 1e-12 * Swift.abs(y) + 1e-15) }
    XCTAssertEqual(double([1, 2]).matmulDouble(double([3, 4])).shape, [])
  }

  func testInt64ReductionsAreExactBeyondFloat32() {
    // 2^24 + 1 is the first integer float32 cannot hold; the sum must still be exact.
    let v: Int64 = (1 << 24) + 1
    XCTAssertEqual(int64s(long([v, v, v]).sumExact()), [3 * v])
    XCTAssertEqual(int64s(long([(1 << 53), 1]).sumExact()), [(1 << 53) + 1])
    var g = LCG(s: 3)
    let vals = (0..<20).map { _ in g.int(-5...5) } // small range: ties happen
    let x = long(vals, [4, 5])
    for keep in [false, true] {
      let s = x.sumExact(dim: 1, keepdim: keep)
      XCTAssertEqual(s.shape, keep ? [4, 1] : [4])
      XCTAssertEqual(int64s(s), (0..<4).map { r in vals[(r * 5)..<(r * 5 + 5)].reduce(0, +) })
    }
    let mx = x.extremeExact(dim: 0, largest: true), mn = x.extremeExact(dim: 0, largest: false)
    for j in 0..<5 {
      let col = (0..<4).map { vals[$0 * 5 + j] }
      XCTAssertEqual(int64s(mx.values)[j], col.max())
      XCTAssertEqual(mx.indices.toIntArray()[j], col.firstIndex(of: col.max()!)) // first on ties
      XCTAssertEqual(mn.indices.toIntArray()[j], col.firstIndex(of: col.min()!))
    }
    // A bool sum counts the true values, as int64.
    XCTAssertEqual(int64s(Tensor.compare(.gt, x, long([0])).sumExact()), [Int64(vals.filter { $0 > 0 }.count)])
    // NaN wins max/min over float64, as in PyTorch.
    XCTAssertTrue(doubles(double([1, .nan, 3]).extremeExact(largest: true).values)[0].isNaN)
  }

  func testComparisonsMatchNaiveReference() {
    var g = LCG(s: 9)
    let a = (0..<12).map { _ in g.int(-3...3) }, b = (0..<4).map { _ in g.int(-3...3) }
    let ta = long(a, [3, 4]), tb = long(b, [4])
    let cases: [(DTypeComparison, (Int64, Int64) -> Bool)] = [(.eq, { $0 == $1 }), (.ne, { $0 != $1 }), (.lt, { $0 < $1 }),
                                                            (.le, { $0 <= $1 }), (.gt, { $0 > $1 }), (.ge, { $0 >= $1 })]
    for (op, f) in cases {
      let r = Tensor.compare(op, ta, tb)
      XCTAssertEqual(r.dtype, DType.bool)
      var want: [Bool] = []
      for (i, v) in a.enumerated() { want.append(f(v, b[i % 4])) }
      XCTAssertEqual(bools(r), want, "\(op)")
    }
    // int64 values beyond 2^53 compare exactly (a Double comparison would call them equal).
    XCTAssertEqual(bools(Tensor.compare(.eq, long([(1 << 53) + 1]), long([1 << 53]))), [false])
  }
}
