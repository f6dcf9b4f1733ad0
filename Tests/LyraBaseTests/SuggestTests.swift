import XCTest
import LyraBase

final class SuggestTests: XCTestCase {
  func testDistanceMatchesHandComputedCases() {
    XCTAssertEqual(Suggest.distance("kitten", "sitting"), 3)
    XCTAssertEqual(Suggest.distance("", "abc"), 3)
    XCTAssertEqual(Suggest.distance("abc", ""), 3)
    XCTAssertEqual(Suggest.distance("flaw", "lawn"), 2)
    XCTAssertEqual(Suggest.distance("same", "same"), 0)
  }

  /// Against a brute-force reference: the distance is symmetric and obeys the triangle inequality
  /// on every triple of a small alphabet's words.
  func testDistanceIsAMetricOnSmallWords() {
    let words = ["", "a", "b", "ab", "ba", "aab", "abb", "bab", "abab"]
    for x in words { for y in words {
      XCTAssertEqual(Suggest.distance(x, y), Suggest.distance(y, x))
      XCTAssertEqual(Suggest.distance(x, y) == 0, x == y)
      for z in words { XCTAssertLessThanOrEqual(Suggest.distance(x, z), Suggest.distance(x, y) + Suggest.distance(y, z)) }
    } }
  }

  func testClosestIsCaseInsensitiveAndCutOff() {
    XCTAssertEqual(Suggest.closest("lerning_rate", in: ["batch_size", "learning_rate"]), "learning_rate")
    XCTAssertEqual(Suggest.closest("conv2D", in: ["Linear", "Conv2d"]), "Conv2d")
    XCTAssertNil(Suggest.closest("optimizer", in: ["epochs", "seed"]))
    XCTAssertEqual(Suggest.hint("epoch", in: ["epochs"]), " (did you mean 'epochs'?)")
    XCTAssertEqual(Suggest.hint("zzzzzzzz", in: ["epochs"]), "")
    XCTAssertNil(Suggest.closest("x", in: []))
  }

  /// A longer name that merely contains a candidate is another thing, not a typo of it; a
  /// candidate's beginning typed alone is a typo, however long the rest.
  func testContainedNamesGetNoHintAndTruncationsDo() {
    XCTAssertNil(Suggest.closest("FmdNetwork", in: ["Network", "ResNet"]))
    XCTAssertNil(Suggest.closest("GhostNetNas", in: ["GhostNet"]))
    XCTAssertEqual(Suggest.closest("CrossEntropy", in: ["MSELoss", "CrossEntropyLoss"]), "CrossEntropyLoss")
    XCTAssertEqual(Suggest.closest("Networks", in: ["Network"]), "Network") // one extra letter is a slip
    XCTAssertNil(Suggest.closest("Cro", in: ["CrossEntropyLoss"])) // too short to be sure
    // Names built on one pattern are not typos of each other; a slip inside the pattern is.
    XCTAssertNil(Suggest.closest("AutoGateS1TrainerCallback", in: ["PruneTrainerCallback", "QuantTrainerCallback"]))
    XCTAssertEqual(Suggest.closest("QuantTrainerCalback", in: ["PruneTrainerCallback", "QuantTrainerCallback"]), "QuantTrainerCallback")
    XCTAssertEqual(Suggest.closest("optimzier", in: ["optimizer", "epochs"]), "optimizer")
  }
}
