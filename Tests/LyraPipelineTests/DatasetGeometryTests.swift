import XCTest
import LyraBase
@testable import LyraPipeline

/// torchvision's Resize / CenterCrop / RandomCrop {size} in a dataset section, as VEGA's
/// fine-tuning configs write them: every split resized, the model built for the new shape.
final class DatasetGeometryTests: XCTestCase {
  func section(_ text: String) throws -> DatasetSection { try DatasetSection(json: try YAMLDocument(text: text).value, path: "ft.dataset") }

  func testResizeAndCropsChangeEverySplitAndTheSampleShape() throws {
    let ds = try section("""
      type: FashionMnist
      common: {batch_size: 4, max_samples: 4, shuffle: false}
      train: {transforms: [{type: Resize, size: [40, 40]}, {type: RandomCrop, size: [36, 36]}, RandomHorizontalFlip, ToTensor, Normalize]}
      test: {transforms: [{type: Resize, size: 36}, ToTensor]}
      """)
    XCTAssertEqual(try ds.sampleShape(), [1, 36, 36])
    let train = try XCTUnwrap(try ds.loader(.train).batches(epoch: 0).next())
    XCTAssertEqual(train.shape, [4, 1, 36, 36])
    let test = try XCTUnwrap(try ds.loader(.test).batches(epoch: 0).next())
    XCTAssertEqual(test.shape, [4, 1, 36, 36])
    // The resized test image is the bilinear resize of the plain one: its mean is close to the original's.
    let plain = try XCTUnwrap(try section("{type: FashionMnist, common: {batch_size: 4, max_samples: 4, shuffle: false}}").loader(.test).batches(epoch: 0).next())
    let mean = { (d: [Float]) in d.reduce(0, +) / Float(d.count) }
    XCTAssertEqual(mean(test.data), mean(plain.data), accuracy: 0.02)
    XCTAssertNotEqual(test.data.count, plain.data.count)
  }

  func testRandomCropWithoutSizeKeepsItsShiftMeaning() throws {
    let ds = try section("{type: FashionMnist, common: {batch_size: 2, max_samples: 2}, train: {transforms: [{type: RandomCrop, padding: 4}]}}")
    XCTAssertEqual(try ds.sampleShape(), [1, 28, 28])
    XCTAssertEqual(try XCTUnwrap(try ds.loader(.train).batches(epoch: 0).next()).shape, [2, 1, 28, 28])
  }

  func testBadSizesNameTheKey() throws {
    for (text, fragment) in [
      ("[{type: Resize}]", "ft.dataset.train.transforms[0]: Resize needs a 'size'"),
      ("[{type: Resize, size: [0, 3]}]", "ft.dataset.train.transforms[0].size: expected a side in [1, 16384]"),
      ("[{type: CenterCrop, size: [1, 2, 3]}]", "expected N or [height, width]"),
      ("[{type: RandomCrop, size: 8, padding: -1}]", "ft.dataset.train.transforms[0].padding"),
    ] {
      let ds = try section("{type: FashionMnist, train: {transforms: \(text)}}")
      XCTAssertThrowsError(try ds.loader(.train, checkOnly: true), text) { XCTAssertTrue("\($0)".contains(fragment), "\($0)") }
    }
  }
}
