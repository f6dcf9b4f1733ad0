import Foundation
import LyraBase

/// A trial's learning curve, kept next to its other files so reports can plot it.
///
/// File: `<task>/workers/<step>/<worker_id>/curve.json`, a JSON array with one object
/// per evaluation, in training order:
///
///     [{"epoch": 1, "loss": 0.61, "valid_loss": 0.55, "accuracy": 0.78},
///      {"epoch": 2, "loss": 0.43, "valid_loss": 0.47, "accuracy": 0.83}]
///
/// - `epoch` (number, required): epochs done when the values were taken; fractions are
///   allowed (evaluations inside an epoch, or budgets in multi-fidelity searches).
/// - `loss`: mean training loss over that epoch; `valid_loss`: loss on validation data.
/// - every other numeric key is a metric (usually on validation data), named as in
///   `performance` (`accuracy`, `PSNR`, …). `null` or the strings "nan"/"inf" mark a value
///   that was not finite (drawn as a gap). Non-numeric keys are ignored.
///
/// The trainer rewrites the whole file (atomically) after each evaluation, so a reader
/// never sees half a file and a crashed trial still has its curve up to the crash.
public struct LearningCurve: Equatable {
  public struct Point: Equatable {
    public var epoch: Double
    public var values: [String: Double]
    public init(epoch: Double, values: [String: Double]) {
      self.epoch = epoch
      self.values = values
    }
  }

  public var points: [Point]

  public init(points: [Point] = []) { self.points = points }

  /// Where a trial's curve lives in a task folder (next to desc_/hps_/performance_).
  public static func path(taskRoot: String, step: String, workerID: Int) -> String {
    TaskLayout(root: taskRoot).curve(step, workerID)
  }

  public mutating func append(epoch: Double, _ values: [String: Double]) {
    points.append(Point(epoch: epoch, values: values))
  }

  /// Metric names in a stable order: `loss`, `valid_loss`, then the rest alphabetically.
  public var keys: [String] {
    let all = Set(points.flatMap { $0.values.keys })
    let first = ["loss", "valid_loss"].filter(all.contains)
    return first + all.subtracting(first).sorted()
  }

  public var json: JSON {
    .array(points.map { p in
      var o: [String: JSON] = ["epoch": .number(p.epoch)]
      for (k, v) in p.values { o[k] = v.isFinite ? .number(v) : .string(String(v)) }
      return .object(o)
    })
  }

  /// Writes the curve atomically (creating the folder).
  public func write(to path: String) throws {
    let dir = PathText.parent(path)
    try FileAccessError.guarding(dir, "create the folder") { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    try FileAccessError.guarding(path, "write") { try Data(json.text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) }
  }

  /// Parses the format above; entries without a numeric `epoch` are skipped.
  public init(json: JSON) {
    var pts: [Point] = []
    for e in json.array ?? [] {
      guard let o = e.object, let ep = o["epoch"]?.double else { continue }
      var vals: [String: Double] = [:]
      for (k, v) in o where k != "epoch" {
        switch v {
        case .number(let d): vals[k] = d
        case .null: vals[k] = .nan
        case .string(let s): if let d = Double(s) { vals[k] = d }
        default: break
        }
      }
      pts.append(Point(epoch: ep, values: vals))
    }
    points = pts
  }

  /// The curve at `path`, or nil when there is none or it is not valid JSON.
  public static func read(_ path: String) -> LearningCurve? {
    guard let d = FileManager.default.contents(atPath: path), let j = try? JSON.parse(d) else { return nil }
    return LearningCurve(json: j)
  }
}
