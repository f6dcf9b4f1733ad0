import CZlib
import Foundation
import XCTest
@testable import LyraData

/// The real Fashion-MNIST files from Debian's dataset-fashion-mnist package.
final class FashionMNISTTests: XCTestCase {
  let root = FashionMNIST.defaultRoot

  override func setUpWithError() throws {
    try XCTSkipUnless(FileManager.default.fileExists(atPath: root + "/train-images-idx3-ubyte.gz"),
                      "dataset-fashion-mnist is not installed")
  }

  /// The first `n` decompressed bytes via zlib's gzread, a different path from the reader's.
  func gzHead(_ path: String, _ n: Int) -> [UInt8] {
    let f = gzopen(path, "rb")!
    defer { gzclose(f) }
    var buf = [UInt8](repeating: 0, count: n)
    let got = buf.withUnsafeMutableBytes { gzread(f, $0.baseAddress, UInt32(n)) }
    XCTAssertEqual(Int(got), n)
    return buf
  }

  func testTrainSet() throws {
    let start = Date()
    let ds = try FashionMNIST(split: .train)
    let seconds = Date().timeIntervalSince(start)
    print("Fashion-MNIST train read+decode: \(String(format: "%.3f", seconds)) s")
    XCTAssertEqual(ds.count, 60_000)
    XCTAssertEqual(ds.data.imageShape, [1, 28, 28])
    XCTAssertEqual(ds.data.pixels.count, 60_000 * 784)
    // Balanced: 6,000 images per class, labels 0–9.
    var perClass = [Int](repeating: 0, count: 10)
    for l in ds.data.labels { perClass[Int(l)] += 1 }
    XCTAssertEqual(perClass, [Int](repeating: 6000, count: 10))

    // First image and label against the raw file bytes, read independently.
    let rawImages = gzHead(root + "/train-images-idx3-ubyte.gz", 16 + 784)
    XCTAssertEqual(Array(rawImages[0 ..< 4]), [0, 0, 8, 3])
    let first = Array(rawImages[16...])
    let crc = { (b: [UInt8]) in b.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) } }
    XCTAssertEqual(crc(Array(ds.data.pixels[0 ..< 784])), crc(first))
    XCTAssertEqual(ds.data.pixels[0 ..< 784].reduce(0) { $0 + Int($1) }, first.reduce(0) { $0 + Int($1) })
    let rawLabels = gzHead(root + "/train-labels-idx1-ubyte.gz", 8 + 1)
    XCTAssertEqual(ds.item(at: 0).label, Int32(rawLabels[8]))
    XCTAssertEqual(ds.item(at: 0).label, 9)  // the first training image is an ankle boot

    // Items are normalised with the anchor constants.
    let s = ds.item(at: 0)
    XCTAssertEqual(s.shape, [1, 28, 28])
    for i in stride(from: 0, to: 784, by: 37) {
      XCTAssertEqual(s.features[i], (Float(first[i]) / 255 - 0.2860) / 0.3530, accuracy: 1e-6)
    }
  }

  func testTestSet() throws {
    let ds = try FashionMNIST(split: .test, normalized: false)
    XCTAssertEqual(ds.count, 10_000)
    XCTAssertTrue(ds.data.labels.allSatisfy { (0 ..< 10).contains($0) })
    XCTAssertEqual(Set(ds.data.labels).count, 10)
    let raw = gzHead(root + "/t10k-images-idx3-ubyte.gz", 16 + 784)
    XCTAssertEqual(ds.item(at: 0).features, raw[16...].map { Float($0) })
  }

  func testWrongRootNamesTheFile() {
    assertDataError(try FashionMNIST(split: .train, root: "/nonexistent"),
                    contains: ["/nonexistent/train-images-idx3-ubyte", "cannot open"])
  }
}

/// A damaged copy of the real files gives an error naming the damaged file.
final class FashionMNISTDamageTests: XCTestCase {
  func testTruncatedRealImageFile() throws {
    let root = FashionMNIST.defaultRoot
    try XCTSkipUnless(FileManager.default.fileExists(atPath: root + "/t10k-images-idx3-ubyte.gz"))
    let dir = TempDir()
    let images = try FileBytes.readRaw(root + "/t10k-images-idx3-ubyte.gz")
    dir.write("t10k-images-idx3-ubyte.gz", Array(images.prefix(100_000)))
    dir.write("t10k-labels-idx1-ubyte.gz", try FileBytes.readRaw(root + "/t10k-labels-idx1-ubyte.gz"))
    assertDataError(try FashionMNIST(split: .test, root: dir.path), contains: ["t10k-images-idx3-ubyte.gz", "gzip", "truncated"])
    // Complete gzip stream, but the IDX payload inside is cut short.
    let inner = try FileBytes.read(root + "/t10k-images-idx3-ubyte.gz")
    dir.write("t10k-images-idx3-ubyte.gz", gzipBytes(Array(inner.prefix(16 + 784 * 10 + 5))))
    assertDataError(try FashionMNIST(split: .test, root: dir.path),
                    contains: ["t10k-images-idx3-ubyte.gz", "IDX: truncated", "[10000, 28, 28]"])
  }
}
