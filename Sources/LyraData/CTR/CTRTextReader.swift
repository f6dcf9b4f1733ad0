import Foundation

/// Reads a Criteo or Avazu log into a memory-mapped binary cache in two streaming passes
/// (counting tokens, then encoding), never holding the text: memory is the vocabulary
/// counts plus one line. A later open with the same source and options maps the cache
/// without parsing.
///
/// Malformed lines (wrong field count, a non-numeric integer, a label other than 0/1)
/// are skipped and counted, or refused, as `options.onError` says; either way the error
/// names `file:line:column`.
public enum CTRTextReader {
  public static func read(_ path: String, format: CTRTextFormat, options: CTRReadOptions = CTRReadOptions()) throws
    -> (dataset: CTRCachedDataset, report: CTRReadReport) {
    guard options.minFrequency >= 1 else { throw DataError(file: path, "min_frequency must be at least 1, got \(options.minFrequency)") }
    let attrs: [FileAttributeKey: Any]
    do { attrs = try FileManager.default.attributesOfItem(atPath: path) } catch {
      throw DataError(file: path, "cannot read the data file: it does not exist or is not readable (put the log there, or set data_path)")
    }
    let size = (attrs[.size] as? NSNumber)?.int64Value ?? -1
    let mtime = (attrs[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    let key = "\(type(of: format)) size=\(size) mtime=\(mtime) min_frequency=\(options.minFrequency) on_error=\(options.onError.rawValue) max_lines=\(options.maxLines.map(String.init) ?? "all")"
    let cache = options.cachePath ?? path + ".lyractr"
    // The cache's key line is followed by the first read's skipped count and first errors,
    // so a reuse reports what the parse found.
    if FileManager.default.fileExists(atPath: cache), let d = try? CTRCachedDataset(path: cache, fieldNames: format.fieldNames) {
      let lines = d.key.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      if lines.first == key {
        return (d, CTRReadReport(samples: d.count, skipped: lines.count > 1 ? Int(lines[1]) ?? 0 : 0,
                                 firstErrors: Array(lines.dropFirst(2)), fromCache: true))
      }
    }
    var report = CTRReadReport()
    var vocab = CTRVocabulary(fields: format.fieldNames.count)
    try scan(path, format, options, &report) { _, tokens in vocab.count(tokens) }
    vocab.freeze(minFrequency: options.minFrequency)
    let sizes = vocab.fieldSizes
    var offsets: [Int32] = [], total = 0
    for s in sizes { offsets.append(Int32(total)); total += s }
    guard total <= CTRDataset.maxIds else {
      throw DataError(file: path, "\(total) ids after min_frequency \(options.minFrequency) exceed \(CTRDataset.maxIds): raise min_frequency")
    }
    let stored = ([key, String(report.skipped)] + report.firstErrors.map { $0.replacingOccurrences(of: "\n", with: " ") }).joined(separator: "\n")
    let writer = try CTRBinaryCache.Writer(path: cache, key: stored, fieldSizes: sizes)
    var second = CTRReadReport()
    try scan(path, format, options, &second) { label, tokens in
      try writer.append(label: label, ids: tokens.enumerated().map { offsets[$0.offset] + vocab.id(field: $0.offset, $0.element) })
    }
    try writer.finish(count: second.samples, headerBytes: CTRBinaryCache.headerBytes(fields: sizes.count, key: stored))
    return (try CTRCachedDataset(path: cache, fieldNames: format.fieldNames), report)
  }

  private static func scan(_ path: String, _ format: CTRTextFormat, _ options: CTRReadOptions, _ report: inout CTRReadReport,
                           _ body: (Int32, [String]) throws -> Void) throws {
    let r = try LineReader(path)
    if format.hasHeader {
      guard let h = try r.next() else { throw DataError(file: path, line: 1, "empty file: expected a header line") }
      let n = h.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).count
      guard n == format.fieldNames.count + 1 else {
        throw DataError(file: path, line: 1, "the header has \(n) columns; this format has \(format.fieldNames.count + 1)")
      }
    }
    while let line = try r.next() {
      if let m = options.maxLines, report.samples >= m { break }
      if line.isEmpty { continue }
      let parsed: (label: Int32, tokens: [String])
      do { parsed = try format.parse(line) } catch let e as CTRLineError {
        let err = DataError(file: path, line: r.lineNumber, column: e.column, e.message)
        if options.onError == .refuse { throw DataError(file: path, line: r.lineNumber, column: e.column, e.message + " (on_error: refuse; set on_error: skip to skip such lines)") }
        report.skipped += 1
        if report.firstErrors.count < 5 { report.firstErrors.append(err.description) }
        continue
      }
      try body(parsed.label, parsed.tokens)
      report.samples += 1
    }
  }
}
