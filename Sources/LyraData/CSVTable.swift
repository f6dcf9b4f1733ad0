/// A CSV file parsed into strings (RFC 4180): a header row, then records of the same
/// number of fields; fields may be quoted with `"`, and quoted fields may hold the
/// delimiter, line breaks and doubled quotes (`""`). LF and CRLF line ends are accepted;
/// blank lines are skipped.
///
/// Why strict: a stray quote or a short row usually means a broken export, and silently
/// shifting columns would train on garbage, so each such row is an error naming the file,
/// line and column.
public struct CSVTable {
  /// The file (or source description) the table came from, for errors downstream.
  public let file: String
  public let header: [String]
  public let rows: [[String]]
  /// The 1-based line on which each row starts (rows may span lines in quoted fields).
  public let lines: [Int]

  /// Reads and parses `path` (gzip-compressed or raw).
  public init(contentsOf path: String, delimiter: UInt8 = UInt8(ascii: ",")) throws {
    try self.init(parsing: FileBytes.read(path), file: path, delimiter: delimiter)
  }

  /// Parses CSV text; `file` names the source in errors.
  public init(parsing text: String, file: String, delimiter: UInt8 = UInt8(ascii: ",")) throws {
    try self.init(parsing: Array(text.utf8), file: file, delimiter: delimiter)
  }

  /// Parses UTF-8 bytes; `file` names the source in errors.
  public init(parsing bytes: [UInt8], file: String, delimiter: UInt8 = UInt8(ascii: ",")) throws {
    var records = try CSVTable.records(bytes, file: file, delimiter: delimiter)
    guard !records.isEmpty else { throw DataError(file: file, "CSV: file is empty (a header row is required)") }
    let header = records.removeFirst()
    let width = header.fields.count
    if let dup = Dictionary(grouping: header.fields.indices, by: { header.fields[$0] }).first(where: { $0.value.count > 1 }) {
      throw DataError(file: file, line: header.line, column: dup.value[1] + 1, "CSV: duplicate column name '\(dup.key)' in the header")
    }
    for r in records where r.fields.count != width {
      throw DataError(file: file, line: r.line, "CSV: expected \(width) fields as in the header, got \(r.fields.count)")
    }
    self.file = file
    self.header = header.fields
    self.rows = records.map(\.fields)
    self.lines = records.map(\.line)
  }

  /// The index of column `name`; an unknown name is an error that lists the columns, so a
  /// typo is caught rather than silently ignored.
  public func column(_ name: String) throws -> Int {
    guard let i = header.firstIndex(of: name) else {
      throw DataError(file: file, "CSV: no column named '\(name)'; columns are: \(header.joined(separator: ", "))")
    }
    return i
  }

  /// Splits the bytes into records, each with the line it starts on.
  static func records(_ b: [UInt8], file: String, delimiter: UInt8) throws -> [(fields: [String], line: Int)] {
    let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
    var out: [(fields: [String], line: Int)] = []
    var fields: [String] = []
    var field: [UInt8] = []
    var line = 1, lineStart = 0, recordLine = 1
    var i = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0  // UTF-8 byte-order mark
    var atRecordStart = true

    func endField() {
      fields.append(String(decoding: field, as: UTF8.self))
      field.removeAll(keepingCapacity: true)
    }
    // A fresh array per record, never `removeAll(keepingCapacity:)`: the appended record
    // shares the buffer, so keeping capacity would copy the widest row's capacity into
    // every later record (a 0.78 MB file reserved ~851 GiB that way).
    func endRecord() throws {
      endField()
      // Stop at the first record whose width differs from the header's: the rows
      // after it are never held, whatever the file claims.
      if let width = out.first?.fields.count, fields.count != width {
        throw DataError(file: file, line: recordLine, "CSV: expected \(width) fields as in the header, got \(fields.count)")
      }
      out.append((fields, recordLine))
      fields = []
      atRecordStart = true
    }

    while i < b.count {
      if atRecordStart {
        // Skip blank lines between records.
        if b[i] == lf { line += 1; i += 1; lineStart = i; continue }
        if b[i] == cr, i + 1 < b.count, b[i + 1] == lf { line += 1; i += 2; lineStart = i; continue }
        atRecordStart = false
        recordLine = line
      }
      let fieldColumn = fields.count + 1
      if b[i] == quote && field.isEmpty {
        // Quoted field: runs to the next quote not doubled.
        let openLine = line, openCol = i - lineStart + 1
        i += 1
        while true {
          guard i < b.count else {
            throw DataError(file: file, line: openLine, column: fieldColumn, "CSV: unterminated quoted field (the quote opens at character \(openCol))")
          }
          if b[i] == quote {
            if i + 1 < b.count, b[i + 1] == quote { field.append(quote); i += 2; continue }
            i += 1
            break
          }
          if b[i] == lf { line += 1; lineStart = i + 1 }
          field.append(b[i])
          i += 1
        }
        // After the closing quote: delimiter, line end or end of file.
        if i < b.count, b[i] != delimiter, b[i] != lf, !(b[i] == cr && i + 1 < b.count && b[i + 1] == lf) {
          throw DataError(file: file, line: line, column: fieldColumn,
                          "CSV: unexpected character '\(Character(Unicode.Scalar(b[i])))' after a closing quote at character \(i - lineStart + 1) (expected a delimiter or line end)")
        }
        if i == b.count { break }
        continue
      }
      switch b[i] {
      case delimiter:
        endField()
        i += 1
      case lf:
        try endRecord()
        line += 1
        i += 1
        lineStart = i
      case cr where i + 1 < b.count && b[i + 1] == lf:
        try endRecord()
        line += 1
        i += 2
        lineStart = i
      case quote:
        throw DataError(file: file, line: line, column: fieldColumn,
                        "CSV: quote inside an unquoted field at character \(i - lineStart + 1) (quote the whole field and double inner quotes)")
      default:
        field.append(b[i])
        i += 1
      }
    }
    if !atRecordStart { try endRecord() }
    return out
  }
}
