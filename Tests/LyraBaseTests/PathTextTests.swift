import XCTest
import LyraBase

final class PathTextTests: XCTestCase {
  /// The answers NSString.deletingLastPathComponent gives for paths it does not crash on,
  /// and the one-character paths it crashes on (`x`, `.`) answered the same way.
  func testParentMatchesFoundationWithoutTrapping() {
    let cases: [(String, String)] = [
      ("x", ""), (".", ""), ("ab", ""), ("a/b", "a"), ("/a", "/"), ("/", "/"), ("a/b/", "a"),
      ("a//b", "a"), ("/x/y/z.txt", "/x/y"), ("./x", "."), ("", ""),
    ]
    for (path, parent) in cases { XCTAssertEqual(PathText.parent(path), parent, "parent of '\(path)'") }
    for (path, parent) in cases where !["x", ".", "a//b"].contains(path) {
      XCTAssertEqual(PathText.parent(path), (path as NSString).deletingLastPathComponent, "as Foundation for '\(path)'")
    }
    XCTAssertEqual(PathText.folder("x"), ".")
    XCTAssertEqual(PathText.folder("d/x"), "d")
  }
}
