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

  /// The model a trial builds takes its input size from the data *after* the training
  /// transforms: a SimpleCnn whose description is silent on `image_size` trains on images
  /// resized to 36 (built for 28, its hidden layer would not fit the 36-pixel maps).
  func testATrialBuildsTheModelForTheResizedImages() throws {
    let root = NSTemporaryDirectory() + "geometry-trial-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: root) }
    let section = try YAMLDocument(text: """
      dataset: {type: FashionMnist, common: {batch_size: 8, max_samples: 16, shuffle: false},
                train: {transforms: [{type: Resize, size: 36}]}, test: {transforms: [{type: Resize, size: 36}]}}
      model: {model_desc: {modules: [backbone], backbone: {type: SimpleCnn, blocks: 2, channels: 4, hidden: 8}}}
      trainer: {type: Trainer, epochs: 1}
      """).value
    let out = try TrialTraining.run(section: section, general: .object([:]), taskRoot: root,
                                    spec: TrialSpec(step: "s", trial: 0, config: [:], budget: 1, checkpointDir: root + "/t"))
    XCTAssertNotNil(out.result.metrics["accuracy"], "\(out.result)")
    XCTAssertEqual(out.record.desc["backbone"]?["image_size"]?.int, 36, out.record.desc.text)
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
