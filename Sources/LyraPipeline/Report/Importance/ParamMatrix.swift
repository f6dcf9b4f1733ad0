import Foundation
import LyraBase

/// The searched hyperparameters of a step's trials as numbers: the keys (dotted paths
/// of `hps` and `desc`) whose values differ between trials, each column numeric, or
/// categorical with its values by first appearance (encoded as their index).
///
/// In multi-fidelity searches a configuration appears once per rung it reached; only its
/// last trial (the highest budget it got) is kept, so a configuration is one point.
struct ParamMatrix {
  struct Column {
    var key: String
    /// nil for numeric columns.
    var categories: [String]?
    var values: [Double]
    /// The key's shortest unambiguous tail among the columns (axis names).
    var label: String

    /// The value's text (category name or number).
    func text(_ v: Double) -> String {
      if let c = categories, v.isFinite, Int(v) >= 0, Int(v) < c.count { return c[Int(v)] }
      return ReportTable.num(v)
    }
  }

  var trials: [ReportTrial]
  var columns: [Column]
  /// The first objective of each trial.
  var objective: [Double]

  /// `maxColumns` keeps NAS encodings with dozens of keys readable.
  init(_ a: StepAnalysis, maxColumns: Int = 12) {
    let continued = Set(a.step.trials.compactMap(\.resumeFrom))
    trials = a.ranked.filter { !continued.contains($0.workerID) }.sorted { $0.workerID < $1.workerID }
    objective = trials.map { $0.value(0) ?? .nan }
    let flat = trials.map { t in
      Dictionary(ReportTable.flatten(t.hps) + (t.desc == .null ? [] : ReportTable.flatten(t.desc, prefix: "desc")), uniquingKeysWith: { a, _ in a })
    }
    var cols: [Column] = []
    for key in Set(flat.flatMap(\.keys)).sorted() {
      let texts = flat.map { $0[key] ?? "–" }
      guard Set(texts).count > 1 else { continue }
      let nums = texts.map { Double($0) }
      // "nan"/"inf" parse as numbers but cannot be placed on an axis or split on: such a column is categorical.
      if nums.allSatisfy({ $0?.isFinite == true }) {
        cols.append(Column(key: key, categories: nil, values: nums.map { $0! }, label: key))
      } else {
        var cats: [String] = []
        for t in texts where !cats.contains(t) { cats.append(t) }
        cols.append(Column(key: key, categories: cats, values: texts.map { Double(cats.firstIndex(of: $0)!) }, label: key))
      }
    }
    columns = Array(cols.prefix(maxColumns))
    let short = ReportTable.shortNames(columns.map(\.key))
    for i in columns.indices { columns[i].label = short[columns[i].key] ?? columns[i].key }
  }

  /// Rows scaled to [0, 1] per column (categorical: index / (count − 1)), for the forest.
  var unitRows: [[Double]] {
    let scaled = columns.map { c -> [Double] in
      let lo = c.values.min() ?? 0, hi = c.values.max() ?? 1
      return c.values.map { hi > lo ? ($0 - lo) / (hi - lo) : 0 }
    }
    return trials.indices.map { i in scaled.map { $0[i] } }
  }
}
