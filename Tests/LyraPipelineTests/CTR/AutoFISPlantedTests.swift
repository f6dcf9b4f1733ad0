import Foundation
import LyraData
import LyraNets
@testable import LyraPipeline
import XCTest

/// AutoFIS must find the interactions planted in synthetic data: on each of 3 seeds the
/// kept pairs are exactly the planted ones (precision = recall = 1) within a fixed budget
/// (8 fields → 28 candidate pairs, 3 planted, 12 000 samples, 3 search epochs).
final class AutoFISPlantedTests: XCTestCase {
  func testRecoversPlantedPairsOnThreeSeeds() throws {
    for seed: UInt64 in [1, 2, 3] {
      var gen = SyntheticCTR()
      gen.samples = 12000
      gen.seed = seed
      let data = try gen.make()
      let planted = try gen.plantedPairs().map { [$0.0, $0.1] }
      var fis = AutoFIS()
      fis.seed = seed
      let kept = try fis.search(data).map { [$0.pair.0, $0.pair.1] }
      let hits = Set(kept).intersection(Set(planted)).count
      let precision = kept.isEmpty ? 0 : Double(hits) / Double(kept.count), recall = Double(hits) / Double(planted.count)
      if ProcessInfo.processInfo.environment["CTR_VERBOSE"] != nil {
        print("seed \(seed): planted \(planted) kept \(kept) precision \(precision) recall \(recall)")
      }
      XCTAssertEqual(precision, 1, "seed \(seed): kept \(kept), planted \(planted)")
      XCTAssertEqual(recall, 1, "seed \(seed): kept \(kept), planted \(planted)")
    }
  }
}
