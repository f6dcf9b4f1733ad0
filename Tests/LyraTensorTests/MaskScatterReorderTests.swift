import XCTest
@testable import LyraTensor

/// Mask indexing, scatter/index_add/index_fill and flip/roll/repeat/unfold against naive
/// loops over coordinates, with finite-difference gradients (GradCheck.swift).
final class MaskScatterReorderTests: XCTestCase {
  func testMaskedSelectPicksNonZeroPositionsInRowMajorOrderAndBroadcastsTheMask() {
    let x = param([3, 4], seed: 3)
    let v = x.toArray()
    let mask = x.detach().gt(0)
    XCTAssertEqual(x.maskedSelect(mask).toArray(), v.filter { $0 > 0 })
    // A [4] mask broadcast over the rows: columns 1 and 3 of every row.
    let cols = Tensor([0, 1, 0, 1])
    XCTAssertEqual(x.maskedSelect(cols).toArray(), (0..<12).filter { $0 % 2 == 1 }.map { v[$0] })
    gradCheck([x]) { $0[0].maskedSelect(mask).mul($0[0].maskedSelect(mask)) }
  }

  func testMaskedFillOutOfPlaceAndInPlaceOnAView() {
    let x = param([2, 3], seed: 4)
    let mask = Tensor([1, 0, 1], shape: [3])
    let v = x.toArray()
    let want = (0..<6).map { $0 % 3 != 1 ? Float(-7) : v[$0] }
    XCTAssertEqual(x.maskedFill(mask, -7).toArray(), want)
    gradCheck([x]) { $0[0].maskedFill(mask, 5).mul($0[0]) }
    // In place on a transposed view writes through to the right storage elements.
    let y = Tensor((0..<6).map(Float.init), shape: [2, 3])
    y.t().maskedFill_(Tensor([1, 0], shape: [2]), 9)  // column 0 of yᵀ = row 0 of y
    XCTAssertEqual(y.toArray(), [9, 9, 9, 3, 4, 5])
  }

  func testMaskedPutTakesOneValuePerPositionOrOneForAll() {
    let y = Tensor([1, -2, 3, -4], shape: [2, 2])
    y.maskedPut_(y.lt(0), Tensor([10, 20]))
    XCTAssertEqual(y.toArray(), [1, 10, 3, 20])
    y.maskedPut_(y.gt(5), Tensor(0))
    XCTAssertEqual(y.toArray(), [1, 0, 3, 0])
  }

  /// out[i][index[i][j]] = src[i][j] (dim 1) and out[index[i][j]][j] = src[i][j] (dim 0),
  /// by a naive loop; scatter_add sums repeats.
  func testScatterAndScatterAddMatchNaiveLoops() {
    let base = param([3, 4], seed: 5), src = param([2, 3], seed: 6)
    let idx = Tensor(indices: [3, 0, 2, 1, 1, 0], shape: [2, 3])
    let rows = Tensor(indices: [2, 0, 1, 1, 2, 1], shape: [2, 3])  // along dim 0: no repeats per column
    let b = base.toArray(), s = src.toArray(), ix = idx.toIntArray(), ir = rows.toIntArray()
    var want1 = b, want0 = b, wantAdd = b, wantAdd0 = b
    for i in 0..<2 { for j in 0..<3 {
      want1[i * 4 + ix[i * 3 + j]] = s[i * 3 + j]
      want0[ir[i * 3 + j] * 4 + j] = s[i * 3 + j]
      wantAdd[i * 4 + ix[i * 3 + j]] += s[i * 3 + j]
      wantAdd0[ir[i * 3 + j] * 4 + j] += s[i * 3 + j]
    } }
    XCTAssertEqual(base.scatter(1, idx, src).toArray(), want1)
    XCTAssertEqual(base.scatter(0, rows, src).toArray(), want0)
    assertClose(base.scatterAdd(1, idx, src).toArray(), wantAdd)
    assertClose(base.scatterAdd(0, rows, src).toArray(), wantAdd0)
    var wantV = b
    for i in 0..<2 { for j in 0..<3 { wantV[i * 4 + ix[i * 3 + j]] = 2.5 } }
    XCTAssertEqual(base.scatter(1, idx, value: 2.5).toArray(), wantV)
    gradCheck([base, src]) { $0[0].scatter(1, idx, $0[1]) }
    gradCheck([base, src]) { $0[0].scatterAdd(0, rows, $0[1]) }
    let rep = Tensor(indices: [0, 0, 0], shape: [1, 3])
    XCTAssertEqual(Tensor.zeros([2, 3]).scatterAdd(0, rep, Tensor([1, 2, 3], shape: [1, 3])).toArray(), [1, 2, 3, 0, 0, 0])
    let inPlace = base.detach().contiguousCopy()
    inPlace.scatter_(1, idx, src.detach())
    XCTAssertEqual(inPlace.toArray(), want1)
  }

  func testIndexAddAndIndexFillMatchNaiveLoops() {
    let x = param([4, 3], seed: 7), src = param([3, 3], seed: 8)
    let idx = Tensor(indices: [2, 0, 2])
    var want = x.toArray()
    let s = src.toArray()
    for (j, r) in [2, 0, 2].enumerated() { for c in 0..<3 { want[r * 3 + c] += 0.5 * s[j * 3 + c] } }
    assertClose(x.indexAdd(0, idx, src, alpha: 0.5).toArray(), want)
    gradCheck([x, src]) { $0[0].indexAdd(0, idx, $0[1], alpha: 0.5) }
    var filled = x.toArray()
    for r in 0..<4 { filled[r * 3 + 1] = -1 }
    XCTAssertEqual(x.indexFill(1, Tensor(indices: [1]), -1).toArray(), filled)
    gradCheck([x]) { $0[0].indexFill(1, Tensor(indices: [1]), -1).mul($0[0]) }
  }

  func testFlipRollRepeatUnfoldMatchNaiveReferences() {
    let x = param([2, 3], seed: 9)
    let v = x.toArray()
    XCTAssertEqual(x.flip([1]).toArray(), [v[2], v[1], v[0], v[5], v[4], v[3]])
    XCTAssertEqual(x.flip([0, 1]).toArray(), v.reversed())
    XCTAssertEqual(x.roll([1], [1]).toArray(), [v[2], v[0], v[1], v[5], v[3], v[4]])
    XCTAssertEqual(x.roll([-4], [1]).toArray(), x.roll([2], [1]).toArray())
    XCTAssertEqual(x.roll([2], []).toArray(), [v[4], v[5], v[0], v[1], v[2], v[3]])
    let r = x.repeatTiled([2, 1, 2])
    XCTAssertEqual(r.shape, [2, 2, 6])
    let rv = r.toArray()
    for i in 0..<24 {
      let c = coords(i, [2, 2, 6])
      XCTAssertEqual(rv[i], v[c[1] * 3 + c[2] % 3])
    }
    let seq = param([7], seed: 10)
    let u = seq.unfold(0, 3, 2)
    XCTAssertEqual(u.shape, [3, 3])
    let sv = seq.toArray()
    XCTAssertEqual(u.toArray(), [0, 1, 2, 2, 3, 4, 4, 5, 6].map { sv[$0] })
    gradCheck([x]) { $0[0].flip([0, 1]) }
    gradCheck([x]) { $0[0].roll([1, -1], [0, 1]) }
    gradCheck([x]) { $0[0].repeatTiled([2, 2]) }
    gradCheck([seq]) { $0[0].unfold(0, 3, 2) }  // overlapping windows accumulate
    gradCheck([x]) { $0[0].unfold(1, 2, 1) }
  }
}
