/// Rows of a CSV table as samples for tabular and click-through models: numeric columns
/// become their values, categorical columns become integer codes, one column is the label.
///
/// Feature layout of every sample (shape [F]): the numeric columns in file order, then the
/// categorical codes in file order, so a CTR model can feed `features[numericCount...]`
/// to embeddings whose sizes are `cardinalities`.
public struct TabularDataset: Dataset {
  public let numericColumns: [String]
  public let categoricalColumns: [String]
  /// Per categorical column, its distinct values sorted; a value's code is its index.
  public let vocabularies: [[String]]
  /// The label's distinct values when they are not all integers (code = index); empty when
  /// the label column holds integers, which are used as they are.
  public let classes: [String]
  public let labels: [Int32]
  /// All features, row after row.
  public let features: [Float]

  /// Reads a CSV file and builds the dataset; see `init(table:...)`.
  public init(contentsOf path: String, label: String, categorical: [String]? = nil, ignore: [String] = [],
              missing: Float? = nil, delimiter: UInt8 = UInt8(ascii: ",")) throws {
    try self.init(table: CSVTable(contentsOf: path, delimiter: delimiter), label: label, categorical: categorical,
                  ignore: ignore, missing: missing)
  }

  /// - Parameters:
  ///   - label: the label column.
  ///   - categorical: the categorical columns; nil infers them: a column is numeric when
  ///     every non-empty value parses as a number, otherwise categorical.
  ///   - ignore: columns to leave out (ids, free text).
  ///   - missing: the value for empty numeric fields; nil makes an empty numeric field an
  ///     error, because silently inventing a value hides broken data.
  public init(table: CSVTable, label: String, categorical: [String]? = nil, ignore: [String] = [], missing: Float? = nil) throws {
    let file = table.file
    let labelIndex = try table.column(label)
    let ignored = Set(try ignore.map { try table.column($0) })
    let featureIndices = table.header.indices.filter { $0 != labelIndex && !ignored.contains($0) }
    let isCategorical: [Int: Bool]
    if let categorical {
      let named = Set(try categorical.map { try table.column($0) })
      if named.contains(labelIndex) { throw DataError(file: file, "CSV: the label column '\(label)' cannot also be categorical") }
      isCategorical = Dictionary(uniqueKeysWithValues: featureIndices.map { ($0, named.contains($0)) })
    } else {
      isCategorical = Dictionary(uniqueKeysWithValues: featureIndices.map { c in
        (c, !table.rows.allSatisfy { $0[c].isEmpty || TabularDataset.number($0[c]) != nil })
      })
    }
    let numeric = featureIndices.filter { !isCategorical[$0]! }
    let cats = featureIndices.filter { isCategorical[$0]! }
    let vocabularies = cats.map { c in Array(Set(table.rows.map { $0[c] })).sorted() }
    let codes = vocabularies.map { v in Dictionary(uniqueKeysWithValues: v.enumerated().map { ($1, Float($0)) }) }

    var features: [Float] = []
    features.reserveCapacity(table.rows.count * featureIndices.count)
    for (r, row) in table.rows.enumerated() {
      for c in numeric {
        let text = row[c]
        if let v = TabularDataset.number(text) {
          features.append(v)
        } else if text.trimmingSpaces.isEmpty, let missing {
          features.append(missing)
        } else {
          let why = text.trimmingSpaces.isEmpty ? "empty value (pass missing: to fill empty numeric fields)" : "'\(text)' is not a number"
          throw DataError(file: file, line: table.lines[r], column: c + 1, "CSV: column '\(table.header[c])': \(why)")
        }
      }
      for (k, c) in cats.enumerated() { features.append(codes[k][row[c]]!) }
    }

    let labelTexts = table.rows.map { $0[labelIndex].trimmingSpaces }
    if labelTexts.allSatisfy({ Int32($0) != nil }) {
      // Integer labels are class indices: a negative one or one of 2^31 would index (or
      // size) the classifier's output far outside anything the file backs.
      if let r = labelTexts.firstIndex(where: { !(0..<TabularDataset.maxClasses).contains(Int($0)!) }) {
        throw DataError(file: file, line: table.lines[r], column: labelIndex + 1,
                        "CSV: label \(labelTexts[r]) in column '\(label)' is not a class index in 0..<\(TabularDataset.maxClasses)")
      }
      classes = []
      labels = labelTexts.map { Int32($0)! }
    } else {
      if let r = labelTexts.firstIndex(of: "") {
        throw DataError(file: file, line: table.lines[r], column: labelIndex + 1, "CSV: empty label in column '\(label)'")
      }
      classes = Array(Set(labelTexts)).sorted()
      let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, Int32($0)) })
      labels = labelTexts.map { index[$0]! }
    }
    numericColumns = numeric.map { table.header[$0] }
    categoricalColumns = cats.map { table.header[$0] }
    self.vocabularies = vocabularies
    self.features = features
  }

  /// Features per sample.
  /// The most classes integer labels may index (2^20).
  public static let maxClasses = 1 << 20

  public var featureCount: Int { numericColumns.count + categoricalColumns.count }
  /// Number of numeric features (they come first).
  public var numericCount: Int { numericColumns.count }
  /// Distinct values per categorical column (embedding table sizes).
  public var cardinalities: [Int] { vocabularies.map(\.count) }

  public var count: Int { labels.count }

  public func item(at index: Int) -> Sample {
    let f = featureCount
    return Sample(features: Array(features[index * f ..< (index + 1) * f]), shape: [f], label: labels[index])
  }

  static func number(_ s: String) -> Float? {
    let t = s.trimmingSpaces
    guard !t.isEmpty, let v = Float(t), v.isFinite else { return nil }
    return v
  }
}

extension String {
  /// Without leading and trailing spaces and tabs (CSV writers often pad numbers).
  var trimmingSpaces: String {
    var s = Substring(self)
    while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
    while let c = s.last, c == " " || c == "\t" { s.removeLast() }
    return String(s)
  }
}
