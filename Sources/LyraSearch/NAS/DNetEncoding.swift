/// A parsed DNet encoding `"<block>_<C>_<macro>"` (VEGA's `vega/networks/dnet.py`,
/// docs/algorithms/pareto_ea.md#dnet-encodings), e.g. `031-a02_64_211-2111-211111-211`.
///
/// Why LyraSearch has its own grammar: the NAS codecs must only ever hand out strings the
/// network builder accepts, and LyraSearch may not depend on LyraNets (the builder and its
/// parser live there). So the codecs check their own output against this validator, which
/// follows VEGA's format exactly:
///
/// - `block` = `<layers>` or `<layers>-<connections>`; several block codes joined by `*`
///   give one code per stage (the network advances to the next one at each `-` of the
///   macro), so there must be exactly one more code than there are `-` in the macro.
/// - `layers` alternates an op digit and a channel digit and ends with an op digit; at
///   most 9 layers (connections name layers by one digit). Ops 0–6 (`conv3, conv1,
///   conv3_grp2, conv3_grp4, conv3_base1, conv3_base32, conv3_sep`), channel codes 0–4
///   (a layer's width is in·mult·2^c/4).
/// - `connections` are 3-character tokens `{a|c}{i}{j}`: add (`a`) or concatenate (`c`)
///   output i (0 = the block's input, k = layer k) into output j, 0 ≤ i < j ≤ layers.
///   The residual `a0N` is implicit (DNet appends it), so codecs never write it.
/// - `C`: the stem width, an integer ≥ 2 (the stem's first convolutions make C/2).
/// - `macro`: one digit per block (the channel multiplier, 1–9; VEGA's codecs write 1 and
///   2); a `-` marks the next block as stride 2, so every `-` is followed by a digit (no
///   `--`, no trailing `-`).
///
/// The validator checks the grammar only. Whether a width divides a group count (e.g.
/// `conv3_base32` needs at least 32 input channels) is the builder's business, as in VEGA.
public struct DNetEncoding: Equatable, CustomStringConvertible, Sendable {
  /// One block code, or one per stage (`*`-separated in the string).
  public var blocks: [DNetBlock]
  /// The stem width C.
  public var channels: Int
  /// The macro string, e.g. `211-2111-211111-211`.
  public var macro: String

  public init(blocks: [DNetBlock], channels: Int, macro: String) {
    self.blocks = blocks
    self.channels = channels
    self.macro = macro
  }

  /// Parses and validates a full encoding; the error names the part that is wrong.
  public init(parsing s: String) throws {
    let parts = s.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 3 else { throw DNetEncodingError("'\(s)': expected <block>_<channels>_<macro>") }
    let blocks = try parts[0].split(separator: "*", omittingEmptySubsequences: false).map { try DNetBlock(parsing: String($0)) }
    guard let c = Int(parts[1]), c >= 2, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) else {
      throw DNetEncodingError("'\(s)': channels '\(parts[1])' must be an integer ≥ 2 (the stem halves it)")
    }
    try DNetEncoding.validateMacro(parts[2])
    let stages = parts[2].filter { $0 == "-" }.count + 1
    if blocks.count > 1, blocks.count != stages {
      throw DNetEncodingError("'\(s)': \(blocks.count) per-stage block codes for \(stages) stages")
    }
    self.init(blocks: blocks, channels: c, macro: parts[2])
  }

  /// Throws unless `m` is a valid macro: digits 1–9 and `-`, each `-` followed by a digit.
  public static func validateMacro(_ m: String) throws {
    let chars = Array(m)
    guard chars.contains(where: { $0 != "-" }) else { throw DNetEncodingError("macro '\(m)' has no block") }
    for (i, ch) in chars.enumerated() {
      if ch == "-" {
        guard i + 1 < chars.count, chars[i + 1] != "-" else {
          throw DNetEncodingError("macro '\(m)': '-' at \(i) must be followed by a block digit")
        }
      } else if !("1"..."9").contains(ch) {
        throw DNetEncodingError("macro '\(m)': '\(ch)' at \(i) is neither a multiplier 1–9 nor '-'")
      }
    }
  }

  /// The encoding as VEGA writes it.
  public var description: String {
    blocks.map(\.description).joined(separator: "*") + "_\(channels)_" + macro
  }

  /// Number of blocks the macro builds (its digits).
  public var blockCount: Int { macro.filter { $0 != "-" }.count }
}

/// One DNet block code: ops, channel codes between them, and extra connections.
public struct DNetBlock: Equatable, CustomStringConvertible, Sendable {
  /// Op index per layer, 0–6.
  public var ops: [Int]
  /// Channel code per layer but the last (its code is always 2: the block ends at in·mult).
  public var channels: [Int]
  /// Extra add/concat connections (the residual `a0N` is implicit).
  public var connections: [DNetConnection]

  public static let opCount = 7
  public static let channelCodes = 5
  /// The op names, by index (VEGA's `op_names`).
  public static let opNames = ["conv3", "conv1", "conv3_grp2", "conv3_grp4", "conv3_base1", "conv3_base32", "conv3_sep"]

  public init(ops: [Int], channels: [Int], connections: [DNetConnection]) {
    self.ops = ops
    self.channels = channels
    self.connections = connections
  }

  public init(parsing s: String) throws {
    let halves = s.split(separator: "-", omittingEmptySubsequences: false).map { Array($0) }
    guard halves.count <= 2 else { throw DNetEncodingError("block '\(s)': more than one '-'") }
    let layers = halves[0]
    guard layers.count % 2 == 1 else { throw DNetEncodingError("block '\(s)': layers must alternate op and channel digits and end with an op") }
    var ops: [Int] = [], channels: [Int] = []
    for (i, ch) in layers.enumerated() {
      guard let d = ch.wholeNumberValue, ch.isASCII else { throw DNetEncodingError("block '\(s)': '\(ch)' is not a digit") }
      if i % 2 == 0 {
        guard d < DNetBlock.opCount else { throw DNetEncodingError("block '\(s)': op \(d) is not in 0–6") }
        ops.append(d)
      } else {
        guard d < DNetBlock.channelCodes else { throw DNetEncodingError("block '\(s)': channel code \(d) is not in 0–4") }
        channels.append(d)
      }
    }
    guard ops.count <= 9 else { throw DNetEncodingError("block '\(s)': at most 9 layers (connections name layers by one digit)") }
    var connections: [DNetConnection] = []
    if halves.count == 2 {
      let tokens = halves[1]
      guard tokens.count % 3 == 0 else { throw DNetEncodingError("block '\(s)': connections are 3-character tokens {a|c}<from><to>") }
      for k in stride(from: 0, to: tokens.count, by: 3) {
        let kind = tokens[k]
        guard kind == "a" || kind == "c", let from = tokens[k + 1].wholeNumberValue, let to = tokens[k + 2].wholeNumberValue,
              tokens[k + 1].isASCII, tokens[k + 2].isASCII
        else { throw DNetEncodingError("block '\(s)': bad connection '\(String(tokens[k..<k + 3]))'") }
        guard from < to, to <= ops.count else {
          throw DNetEncodingError("block '\(s)': connection '\(String(tokens[k..<k + 3]))' needs 0 ≤ from < to ≤ \(ops.count)")
        }
        connections.append(DNetConnection(concat: kind == "c", from: from, to: to))
      }
    }
    self.init(ops: ops, channels: channels, connections: connections)
  }

  /// The block code as VEGA writes it (`-` always present, as VEGA's codec writes it).
  public var description: String {
    var s = ""
    for (i, op) in ops.enumerated() {
      s += String(op)
      if i < channels.count { s += String(channels[i]) }
    }
    return s + "-" + connections.map(\.description).joined()
  }
}

/// An extra connection inside a block: output `from` added (or concatenated) into output `to`.
public struct DNetConnection: Equatable, Hashable, CustomStringConvertible, Sendable {
  public var concat: Bool
  public var from: Int
  public var to: Int
  public init(concat: Bool, from: Int, to: Int) {
    self.concat = concat
    self.from = from
    self.to = to
  }
  public var description: String { (concat ? "c" : "a") + "\(from)\(to)" }
}

/// An encoding that does not follow the DNet grammar; the message says which part.
public struct DNetEncodingError: Error, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
