import XCTest
import CBLAS

/// OpenBLAS is linked and computes a small product correctly (the base every GEMM kernel stands on).
final class BLASLinkTests: XCTestCase {
  func testSgemmMatchesNaiveProduct() {
    let m = 3, n = 5, k = 4
    let a = (0..<(m * k)).map { Float($0 % 7) - 3 }
    let b = (0..<(k * n)).map { Float($0 % 5) * 0.5 - 1 }
    var c = [Float](repeating: 0, count: m * n)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b, Int32(n), 0, &c, Int32(n))
    for i in 0..<m { for j in 0..<n {
      var s: Float = 0
      for p in 0..<k { s += a[i * k + p] * b[p * n + j] }
      XCTAssertEqual(c[i * n + j], s, accuracy: 1e-5)
    } }
  }
}
