import Foundation
import XCTest

/// `lyra notebook`: formats, output folder, --check exit status, bad input.
final class NotebookCommandTests: XCTestCase {
  var dir: URL!

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-nb-\(getpid())-\(abs(name.hashValue))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }

  override func tearDown() { try? FileManager.default.removeItem(at: dir) }

  func write(_ name: String, _ text: String) -> String {
    let p = dir.appendingPathComponent(name).path
    FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
    return p
  }

  func read(_ path: String) -> String? { FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } }

  func testCheckFailsOnAnErrorAndStillWrites() throws {
    let nb = write("bad.lua", "-- %%\nx = 1\n-- %%\nerror('cell two broke')\n-- %%\nprint('three')\n")
    let out = dir.appendingPathComponent("out").path
    let r = try runLyra(["notebook", nb, "--to", "md", "-o", out, "--check"])
    XCTAssertEqual(r.status, 1, r.err)
    XCTAssertTrue(r.err.contains("cell 2 failed"), r.err)
    XCTAssertTrue(r.err.contains("bad.lua:4: cell two broke"), r.err)
    let md = try XCTUnwrap(read(out + "/bad.md"))
    XCTAssertTrue(md.contains("cell two broke"))
    XCTAssertTrue(md.contains("not run: an earlier cell failed"))
    // Without --check the run is reported but the command succeeds.
    let r2 = try runLyra(["notebook", nb, "--to", "md", "-o", out])
    XCTAssertEqual(r2.status, 0, r2.err)
  }

  func testDemoNotebookToEveryFormat() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let demo = root.appendingPathComponent("docs/examples/notebook_demo.lua").path
    let out = dir.appendingPathComponent("x").path
    let r = try runLyra(["notebook", demo, "--to", "html,ipynb", "--to", "md", "-o", out, "--check"])
    XCTAssertEqual(r.status, 0, r.err)
    XCTAssertEqual(r.out, ["html", "ipynb", "md"].map { "wrote \(out)/notebook_demo.\($0)\n" }.joined())
    let html = try XCTUnwrap(read(out + "/notebook_demo.html"))
    XCTAssertTrue(html.contains("<svg") && !html.contains("http://"))
    let nb = try JSONSerialization.jsonObject(with: Data(try XCTUnwrap(read(out + "/notebook_demo.ipynb")).utf8)) as? [String: Any]
    XCTAssertEqual(nb?["nbformat"] as? Int, 4)
    let files = try FileManager.default.contentsOfDirectory(atPath: out + "/notebook_demo_files")
    XCTAssertTrue(files.contains { $0.hasSuffix(".svg") }, "\(files)")
  }

  func testDefaultsAndCheckAlone() throws {
    let nb = write("ok.lua", "-- %%\nprint('hi')\n")
    let r = try runLyra(["notebook", nb])
    XCTAssertEqual(r.status, 0, r.err)
    XCTAssertEqual(r.out, "wrote \(dir.path)/ok.md\n", "Markdown next to the notebook by default")
    try FileManager.default.removeItem(atPath: dir.path + "/ok.md")
    let c = try runLyra(["notebook", nb, "--check"])
    XCTAssertEqual(c.status, 0, c.err)
    XCTAssertEqual(c.out, "")
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/ok.md"), "--check alone writes nothing")
  }

  func testBadInput() throws {
    let bad = write("marker.lua", "-- %% [pyhton]\nx = 1\n")
    let r = try runLyra(["notebook", bad])
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(r.err.contains("marker.lua:1: unknown cell type '[pyhton]'"), r.err)
    let f = try runLyra(["notebook", write("ok.lua", "x = 1\n"), "--to", "pdf"])
    XCTAssertNotEqual(f.status, 0)
    XCTAssertTrue(f.err.contains("unknown format 'pdf'"), f.err)
    let m = try runLyra(["notebook", dir.path + "/missing.lua"])
    XCTAssertEqual(m.status, 1)
    XCTAssertTrue(m.err.contains("cannot read"), m.err)
  }
}
