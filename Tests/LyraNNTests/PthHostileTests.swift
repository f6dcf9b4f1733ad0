import Foundation
import XCTest
@testable import LyraNN

/// Hostile `.pth` files (Tests/fixtures/pth/hostile, made by scripts/bench/make_pth_fixtures.py):
/// each must be refused with an error that names the file and the problem; none may run,
/// allocate without bound, or crash.
final class PthHostileTests: XCTestCase {
  func assertRefused(_ name: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
    let path = PthFixtures.path("hostile/" + name)
    XCTAssertThrowsError(try PthFile.read(from: path), file: file, line: line) { error in
      let text = "\(error)"
      XCTAssertTrue(text.contains(name), "error does not name the file: \(text)", file: file, line: line)
      XCTAssertTrue(text.contains(expected), "expected '\(expected)' in: \(text)", file: file, line: line)
    }
  }

  func testGlobalsOutsideTheAllowListAreRefused() {
    assertRefused("global_os_system.pth", "GLOBAL 'os.system' is not allowed")
    assertRefused("global_builtins_eval.pth", "GLOBAL 'builtins.eval' is not allowed")
    assertRefused("reduce_unlisted.pth", "STACK_GLOBAL 'builtins.print' is not allowed")
  }

  func testObjectBuildingOpcodesAreRefused() {
    assertRefused("inst.pth", "opcode INST (0x69) is not allowed")
    assertRefused("obj.pth", "GLOBAL 'os.system' is not allowed") // OBJ's class is refused first
  }

  func testMalformedPicklesAreErrors() {
    assertRefused("memo_out_of_range.pth", "memo index 7, which was never stored")
    assertRefused("truncated_pickle.pth", "truncated")
    assertRefused("huge_string.pth", "truncated: needs 2147483647 more bytes")
    assertRefused("deep_nesting.pth", "nested deeper than 64")
  }

  func testStoragesThatDoNotHoldTheirTensorsAreRefused() {
    assertRefused("huge_storage.pth", "declares 1099511627776 float32 elements")
    assertRefused("view_out_of_storage.pth", "reaches element 4 of a 4-element storage")
  }

  func testDamagedArchivesAreRefused() {
    assertRefused("truncated_zip.pth", "no end-of-central-directory record")
    assertRefused("declared_huge_entry.pth", "past the end of the")
    assertRefused("deflated.pth", "is compressed (method 8)")
  }

  func testAChangedByteFailsTheChecksum() throws {
    var bytes = try Data(contentsOf: URL(fileURLWithPath: PthFixtures.path("convnet.pth")))
    bytes[0x50] ^= 0x01 // inside data.pkl ('state_dict')
    XCTAssertThrowsError(try PthFile.parse(bytes, file: "changed.pth")) { e in
      XCTAssertTrue("\(e)".contains("fails its CRC-32 check"), "\(e)")
    }
  }

  func testEveryPrefixOfAGoodFileIsAnErrorNotACrash() throws {
    let good = try Data(contentsOf: URL(fileURLWithPath: PthFixtures.path("convnet.pth")))
    for n in stride(from: 0, to: good.count, by: 7) {
      XCTAssertThrowsError(try PthFile.parse(good.prefix(n), file: "prefix"), "prefix of \(n) bytes")
    }
    // Every single-byte change inside the pickle is caught (by its CRC) or read safely.
    var flipped = good
    for i in 0x40..<0x80 {
      flipped[i] ^= 0xFF
      _ = try? PthFile.parse(flipped, file: "flipped")
      flipped[i] ^= 0xFF
    }
  }

  /// The archive's CRC stops most mutated files before the pickle is read (so the fuzz
  /// campaign mostly tests the zip reader); this drives the unpickler itself with 3000
  /// seeded mutations of a real data.pkl (bytes changed, inserted, cut). Any outcome but a
  /// crash or a hang passes; a crash fails the whole test run.
  func testMutatedPicklesAreErrorsOrValuesNeverCrashes() throws {
    let zip = try StoredZip(data: try Data(contentsOf: URL(fileURLWithPath: PthFixtures.path("convnet.pth"))), file: "convnet.pth")
    let pickle = [UInt8](try zip.read("convnet/data.pkl")!)
    var state: UInt64 = 19
    func next(_ n: Int) -> Int {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Int((state >> 33) % UInt64(n))
    }
    var outcomes = (values: 0, errors: 0)
    for _ in 0..<3000 {
      var b = pickle
      for _ in 0...next(4) {
        switch next(3) {
        case 0: b[next(b.count)] = UInt8(next(256))
        case 1: b.insert(UInt8(next(256)), at: next(b.count))
        default: b.removeSubrange(next(b.count)..<b.count)
        }
        if b.isEmpty { b = [0x2E] }
      }
      var u = RestrictedUnpickler(bytes: b, file: "m")
      do {
        // The values too, from zero storages of the declared sizes (small ones only).
        _ = try PthFile(root: try u.load(), file: "m") { s in
          guard s.count <= 1 << 16 else { throw PthError(file: "m", "big") }
          return Data(count: s.count * s.dtype.size)
        }
        outcomes.values += 1
      } catch { outcomes.errors += 1 }
    }
    XCTAssertGreaterThan(outcomes.errors, 0)
  }
}
