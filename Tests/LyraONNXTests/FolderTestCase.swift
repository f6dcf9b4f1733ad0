import Foundation
import XCTest

/// A test case with a fresh temporary folder `dir` per test (exported files, scripts),
/// removed afterwards; `folderPrefix` names it for a reader of /tmp.
class FolderTestCase: XCTestCase {
  var dir: URL!
  class var folderPrefix: String { "lyra-onnx" }

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(Self.folderPrefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }
}
