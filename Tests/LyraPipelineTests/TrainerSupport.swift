import Foundation
import LyraBase
import LyraData
import LyraNN
@testable import LyraPipeline

/// A temporary work directory per test, removed afterwards.
final class TrainerTempDir {
  let path: String
  init() {
    path = NSTemporaryDirectory() + "lyra-trainer-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A small separable 3-class problem: 8 features, class = argmax of three fixed
/// projections plus noise, so a tiny MLP learns it within a few epochs.
enum Synthetic {
  static func dataset(count: Int, seed: UInt64) -> InMemoryDataset {
    let g = LyraBase.Generator(seed: seed)
    var x: [Float] = [], y: [Int32] = []
    for _ in 0..<count {
      let f = (0..<8).map { _ in g.nextFloat() * 2 - 1 }
      let s = [f[0] + f[1], f[2] - f[3], f[4] + f[5] - f[6]]
      y.append(Int32(s.firstIndex(of: s.max()!)!))
      x += f
    }
    return InMemoryDataset(features: x, sampleShape: [8], labels: y)
  }

  static func model(seed: UInt64, dropout: Bool = false) -> Sequential {
    let g = LyraBase.Generator(seed: seed)
    var layers: [Module] = [Linear(8, 16, generator: g), ReLU()]
    if dropout { layers.append(Dropout(0.2)) }
    layers.append(Linear(16, 3, generator: g))
    return Sequential(layers)
  }
}

/// Records every hook call as "name.hook[(arg)]" into a shared list.
final class RecordingCallback: TrainerCallback {
  let label: String
  let prio: Int
  let sink: Box
  final class Box { var calls: [String] = [] }
  init(_ label: String, priority: Int, sink: Box) {
    self.label = label
    prio = priority
    self.sink = sink
  }
  override var priority: Int { prio }
  override var name: String { label }
  override func initTrainer() throws { sink.calls.append("\(label).init_trainer") }
  override func beforeTrain() throws { sink.calls.append("\(label).before_train") }
  override func beforeEpoch(_ e: Int) throws { sink.calls.append("\(label).before_epoch(\(e))") }
  override func beforeTrainStep(_ s: Int) throws { sink.calls.append("\(label).before_train_step(\(s))") }
  override func afterTrainStep(_ s: Int) throws { sink.calls.append("\(label).after_train_step(\(s))") }
  override func beforeValid() throws { sink.calls.append("\(label).before_valid") }
  override func beforeValidStep(_ s: Int) throws { sink.calls.append("\(label).before_valid_step(\(s))") }
  override func afterValidStep(_ s: Int) throws { sink.calls.append("\(label).after_valid_step(\(s))") }
  override func afterValid() throws { sink.calls.append("\(label).after_valid") }
  override func afterEpoch(_ e: Int) throws { sink.calls.append("\(label).after_epoch(\(e))") }
  override func afterTrain() throws { sink.calls.append("\(label).after_train") }
}
