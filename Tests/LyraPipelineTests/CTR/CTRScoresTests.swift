import Foundation
@testable import LyraPipeline
import XCTest

/// AUC and logloss against values worked out by hand.
final class CTRScoresTests: XCTestCase {
  func testAUCWithTiesAndLogloss() throws {
    // Positives score 0.5 and 0.8, negatives 0.5 and 0.2: of the 4 (pos, neg) pairs, 3 are
    // ordered right and one is a tie (counts ½): AUC = 3.5 / 4.
    let s = try CTRScores.of(logits: [0.5, 0.5, 0.2, 0.8], labels: [1, 0, 0, 1])
    XCTAssertEqual(s.auc, 0.875, accuracy: 1e-12)
    // All tied: 0.5 whatever the labels.
    XCTAssertEqual(try CTRScores.of(logits: [1, 1, 1], labels: [1, 0, 0]).auc, 0.5, accuracy: 1e-12)
    // Logloss of logit 0 (p = ½) is ln 2 for either label; logit ln 3 (p = ¾) costs −ln ¾ on a click.
    XCTAssertEqual(try CTRScores.of(logits: [0, 0], labels: [1, 0]).logloss, log(2), accuracy: 1e-12)
    XCTAssertEqual(try CTRScores.of(logits: [log(3.0), 0], labels: [1, 0]).logloss, (-log(0.75) + log(2)) / 2, accuracy: 1e-12)
    XCTAssertThrowsError(try CTRScores.of(logits: [1, 2], labels: [1, 1]))
  }
}
