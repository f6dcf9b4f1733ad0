import Foundation
import XCTest
import LyraBase

final class RegistryTests: XCTestCase {
  func testNamesAreSortedAndOrderIsKept() {
    let r = Registry<Int>(kind: "thing", [("zeta", 1), ("alpha", 2)])
    r.register("mid", 3)
    XCTAssertEqual(r.names, ["alpha", "mid", "zeta"])
    XCTAssertEqual(r.namesInOrder, ["zeta", "alpha", "mid"])
    XCTAssertEqual(r["alpha"], 2)
    XCTAssertNil(r["Alpha"])
    XCTAssertTrue(r.contains("mid"))
    XCTAssertFalse(r.contains("nope"))
  }

  /// Registering a name again replaces its entry in its first place (the policy every
  /// registry had: a re-run plug-in redefines its types).
  func testDuplicateReplacesInPlace() {
    let r = Registry<String>(kind: "thing", [("a", "first"), ("b", "b"), ("a", "second")])
    XCTAssertEqual(r["a"], "second")
    XCTAssertEqual(r.namesInOrder, ["a", "b"])
    XCTAssertEqual(r.register("b", "again"), "b")
    XCTAssertNil(r.register("c", "new"))
    XCTAssertEqual(r.namesInOrder, ["a", "b", "c"])
    XCTAssertEqual(r["b"], "again")
  }

  func testUnregisterRemovesFromBothViews() {
    let r = Registry<Int>(kind: "thing", [("a", 1), ("b", 2), ("c", 3)])
    XCTAssertEqual(r.unregister("b"), 2)
    XCTAssertNil(r.unregister("b"))
    XCTAssertEqual(r.names, ["a", "c"])
    XCTAssertEqual(r.namesInOrder, ["a", "c"])
    r.register("b", 4) // comes back at the end
    XCTAssertEqual(r.namesInOrder, ["a", "c", "b"])
  }

  func testUnknownNameSuggestsTheClosest() {
    let r = Registry<Int>(kind: "metric", [("accuracy", 1), ("AUC", 2), ("PSNR", 3)])
    XCTAssertThrowsError(try r.lookup("acuracy")) { e in
      XCTAssertEqual("\(e)", "unknown metric 'acuracy' (did you mean 'accuracy'?)")
      XCTAssertEqual((e as? UnknownName)?.name, "acuracy")
    }
    XCTAssertThrowsError(try r.lookup("zzzzzzzzzz")) { e in XCTAssertEqual("\(e)", "unknown metric 'zzzzzzzzzz'") }
    // The caller's own candidates (a network registry suggests module types too).
    XCTAssertThrowsError(try r.lookup("Conv2D", candidates: ["Conv2d"])) { e in
      XCTAssertEqual("\(e)", "unknown metric 'Conv2D' (did you mean 'Conv2d'?)")
    }
    struct Wrapped: Error { let text: String }
    XCTAssertThrowsError(try r.lookup("psnrr", orThrow: { Wrapped(text: "trainer.metric: " + $0) })) { e in
      XCTAssertEqual((e as? Wrapped)?.text, "trainer.metric: unknown metric 'psnrr' (did you mean 'PSNR'?)")
    }
  }

  func testCaseInsensitiveLookupPrefersExactThenFirstSorted() throws {
    let r = Registry<Int>(kind: "metric", [("psnr", 1), ("PSNR", 2), ("Ssim", 3), ("SSIM", 4)])
    XCTAssertEqual(try r.lookup("psnr", ignoringCase: true), 1)
    XCTAssertEqual(try r.lookup("PSNR", ignoringCase: true), 2)
    XCTAssertEqual(try r.lookup("ssim", ignoringCase: true), 4) // "SSIM" sorts before "Ssim"
    XCTAssertThrowsError(try r.lookup("ssim"))
  }

  /// Several threads register, replace and look up at once; whatever the interleaving, the
  /// final table holds exactly the names registered, each once, with the last value of a
  /// name written by a single thread. (Without the lock this corrupts the dictionary or
  /// loses names.)
  func testConcurrentRegistrationKeepsEveryName() {
    let r = Registry<Int>(kind: "thing")
    let threads = 8, perThread = 400
    DispatchQueue.concurrentPerform(iterations: threads) { t in
      for i in 0..<perThread {
        r.register("t\(t)-\(i)", i)
        r.register("t\(t)-\(i)", i + 1) // each name is written by one thread only, twice
        r.register("scratch-\(t)", i)
        r.unregister("scratch-\(t)")
        _ = try? r.lookup("t\(t)-\(i / 2)")
        if i % 50 == 0 { _ = r.names.count }
      }
      r.register("shared", 0)
    }
    let names = r.names
    XCTAssertEqual(names.count, threads * perThread + 1)
    XCTAssertEqual(Set(r.namesInOrder), Set(names))
    XCTAssertEqual(r.namesInOrder.count, names.count)
    for t in 0..<threads { for i in 0..<perThread { XCTAssertEqual(r["t\(t)-\(i)"], i + 1) } }
    XCTAssertEqual(r["shared"], 0)
  }
}
