import LyraBase
import XCTest

@testable import LyraSearch

/// NSGA-II's selection pieces against hand-worked examples.
final class NSGA2Tests: XCTestCase {
  // Minimised points: A(1,5) B(2,3) C(4,1) D(3,4) E(5,5) F(2,3) G(4,4).
  // A, B, C, F dominate nothing among themselves (F equals B) → front 0.
  // D is dominated by B, F → front 1. G by B, C, D, F → front 2 (after D).
  // E by A (1<5, 5=5) and everything else → front 3.
  let pts: [[Double]] = [[1, 5], [2, 3], [4, 1], [3, 4], [5, 5], [2, 3], [4, 4]]

  func testNonDominatedSortByHand() {
    XCTAssertEqual(NSGA2.nonDominatedSort(pts), [[0, 1, 2, 5], [3], [6], [4]])
    let (rank, _) = NSGA2.rankAndCrowding(pts)
    XCTAssertEqual(rank, [0, 0, 0, 1, 3, 0, 2])
    XCTAssertEqual(NSGA2.nonDominatedSort([]), [])
    // Maximised accuracy with minimised flops becomes two losses: (−acc, flops).
    XCTAssertEqual(NSGA2.nonDominatedSort([[-0.9, 10], [-0.8, 5], [-0.7, 12]]), [[0, 1], [2]])
  }

  func testCrowdingDistanceByHand() {
    // Front 0 = A, B, C, F. Objective 1 sorted A(1) B(2) F(2) C(4), span 3: ends A, C
    // infinite; B gets (F−A)/3 = 1/3, F gets (C−B)/3 = 2/3. Objective 2 sorted C(1) B(3)
    // F(3) A(5), span 4: B gets (F−C)/4 = 1/2, F gets (A−B)/4 = 1/2.
    let d = NSGA2.crowdingDistance(pts, front: [0, 1, 2, 5])
    XCTAssertEqual(d[0], .infinity)
    XCTAssertEqual(d[2], .infinity)
    XCTAssertEqual(d[1], 1.0 / 3 + 0.5, accuracy: 1e-12)
    XCTAssertEqual(d[3], 2.0 / 3 + 0.5, accuracy: 1e-12)
    // Fronts of one or two points are all boundary.
    XCTAssertEqual(NSGA2.crowdingDistance(pts, front: [3]), [.infinity])
    XCTAssertEqual(NSGA2.crowdingDistance(pts, front: [0, 2]), [.infinity, .infinity])
    // Deb's textbook case: evenly spread points have equal inner distances.
    let line: [[Double]] = [[0, 4], [1, 3], [2, 2], [3, 1], [4, 0]]
    XCTAssertEqual(NSGA2.crowdingDistance(line, front: [0, 1, 2, 3, 4]), [.infinity, 1, 1, 1, .infinity])
  }

  func testSurvivalAndWorst() {
    // Keep 3 of front 0 (4 points): the two ends (inf), then F (7/6) over B (5/6).
    XCTAssertEqual(NSGA2.survivors(pts, keep: 3), [0, 2, 5])
    XCTAssertEqual(NSGA2.survivors(pts, keep: 5), [0, 1, 2, 3, 5])
    XCTAssertEqual(NSGA2.survivors(pts, keep: 6), [0, 1, 2, 3, 5, 6])
    XCTAssertEqual(NSGA2.survivors(pts, keep: 7), Array(0..<7))
    XCTAssertEqual(NSGA2.worst(pts), 4)
    // Within the last front the most crowded goes: B (5/6) before F (7/6).
    XCTAssertEqual(NSGA2.worst([[1, 5], [2, 3], [4, 1], [2, 3]]), 1)
    // Failures (+inf everywhere) are the last front and go first.
    XCTAssertEqual(NSGA2.worst([[1, 1], [.infinity, .infinity], [0, 2]]), 1)
  }

  func testBinaryTournamentPrefersRankThenCrowding() {
    // Candidates: 0 (rank 0, crowding 1), 1 (rank 0, crowding 2), 2 (rank 1, inf).
    // 1 wins every pairing it is in (2 of 3 pairs), 0 wins only against 2, 2 never wins.
    let rank = [0, 0, 1], crowding: [Double] = [1, 2, .infinity]
    let g = Generator(seed: 5)
    var wins = [0, 0, 0]
    for _ in 0..<3000 { wins[NSGA2.binaryTournament(rank: rank, crowding: crowding, g)] += 1 }
    XCTAssertEqual(wins[2], 0)
    XCTAssertEqual(Double(wins[1]) / 3000, 2.0 / 3, accuracy: 0.03)
    XCTAssertEqual(Double(wins[0]) / 3000, 1.0 / 3, accuracy: 0.03)
    XCTAssertEqual(NSGA2.binaryTournament(rank: [4], crowding: [0], g), 0)
  }

  func testHypervolumeByHand() {
    // Staircase (1,3) (2,2) (3,1) under (4,4): 3·1 + 2·1 + 1·1 = 6.
    XCTAssertEqual(Hypervolume.of([[1, 3], [2, 2], [3, 1]], reference: [4, 4]), 6)
    // Dominated and outside points add nothing.
    XCTAssertEqual(Hypervolume.of([[1, 3], [2, 2], [3, 1], [3, 3], [5, 0]], reference: [4, 4]), 6)
    XCTAssertEqual(Hypervolume.of([], reference: [1, 1]), 0)
    // 3-D: boxes [0,2]²×[1,2] (4) and [1,2]²×[0,2] (2) overlap in [1,2]³ (1): 5.
    XCTAssertEqual(Hypervolume.of([[0, 0, 1], [1, 1, 0]], reference: [2, 2, 2]), 5)
    XCTAssertEqual(Hypervolume.of([[1, 1, 1]], reference: [2, 2, 2]), 1)
  }
}
