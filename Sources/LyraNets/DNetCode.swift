/// A DNet encoding (VEGA's `vega/networks/dnet.py`), parsed: `<block>_<channels>_<macro>`,
/// e.g. `031-_64_12-1111-11211112-2`.
///
/// - `block` = `<layers>-<links>`: layers alternate an operator digit (`Op`) and a channel
///   digit 0–4 (the layer writes in·mult·2^c/4 channels); the last layer has only an
///   operator digit and writes in·mult. `links` are tokens `{a|c}{i}{j}`: add / concatenate
///   output i (0 = the block input, k = layer k) into output j, right after layer j.
///   `*` separates one block code per stage (a new stage at each `-` of the macro).
/// - `channels`: the stem's output width C (conv3 s2 → C/2, conv3 → C/2, conv3 s2 → C).
/// - `macro`: one digit per block, the width multiplier; `-` before it gives that block stride 2.
///
/// This file is plain Swift without tensors, so search codecs can parse, check
/// (`DNetCode.problem(in:)`) and re-encode (`description`) without building anything.
public struct DNetCode: Equatable, CustomStringConvertible, Sendable {
  /// DNet's seven operators, numbered as in the encoding.
  public enum Op: Int, CaseIterable, Sendable {
    case conv3 = 0, conv1, conv3Group2, conv3Group4, conv3Base1, conv3Base32, conv3Separable
    /// VEGA's name (`conv3_grp2`, ...), used in error messages.
    public var name: String {
      ["conv3", "conv1", "conv3_grp2", "conv3_grp4", "conv3_base1", "conv3_base32", "conv3_sep"][rawValue]
    }
  }

  public struct Layer: Equatable, Sendable {
    public var op: Op
    /// 0…4: the layer writes in·mult·2^code/4 channels (the last layer always has 2).
    public var channelCode: Int
    public init(op: Op, channelCode: Int) {
      self.op = op
      self.channelCode = channelCode
    }
  }

  public struct Link: Equatable, Sendable {
    public enum Kind: String, Sendable { case add = "a", concat = "c" }
    public var kind: Kind
    /// 0 = the block input, k = the output of layer k (1-based).
    public var from: Int
    public var to: Int
    public init(_ kind: Kind, from: Int, to: Int) {
      self.kind = kind
      self.from = from
      self.to = to
    }
    public var token: String { "\(kind.rawValue)\(from)\(to)" }
  }

  /// One block code: its layers and the links as written (the implicit residual `a0N` excluded).
  public struct BlockCode: Equatable, CustomStringConvertible, Sendable {
    public var layers: [Layer]
    public var links: [Link]
    public init(layers: [Layer], links: [Link]) {
      self.layers = layers
      self.links = links
    }
    /// Links in application order, as VEGA applies them: stably sorted by target, then the
    /// implicit residual from the block input to the last layer.
    public var appliedLinks: [Link] {
      let sorted = links.enumerated().sorted { ($0.element.to, $0.offset) < ($1.element.to, $1.offset) }.map(\.element)
      return sorted + [Link(.add, from: 0, to: layers.count)]
    }
    public var description: String {
      var s = ""
      for (i, l) in layers.enumerated() {
        s += "\(l.op.rawValue)"
        if i < layers.count - 1 { s += "\(l.channelCode)" }
      }
      return s + "-" + links.map(\.token).joined()
    }
  }

  /// One macro position: a block with this width multiplier, strided or not.
  public struct Step: Equatable, Sendable {
    public var multiplier: Int
    public var downsample: Bool
    public init(multiplier: Int, downsample: Bool) {
      self.multiplier = multiplier
      self.downsample = downsample
    }
  }

  /// One code for all blocks, or one per stage (`*`).
  public var blocks: [BlockCode]
  public var channels: Int
  public var macro: [Step]
  /// Whether the block part was written with `*` (kept so `description` round-trips).
  public var perStage: Bool

  public init(blocks: [BlockCode], channels: Int, macro: [Step], perStage: Bool? = nil) {
    self.blocks = blocks
    self.channels = channels
    self.macro = macro
    self.perStage = perStage ?? (blocks.count > 1)
  }

  /// The encoding in canonical form: `parse(s).description == s` for every valid `s` whose
  /// block codes are written with their `-` (VEGA also reads `031` as `031-`).
  public var description: String {
    let m = macro.map { ($0.downsample ? "-" : "") + "\($0.multiplier)" }.joined()
    return blocks.map(\.description).joined(separator: "*") + "_\(channels)_" + m
  }

  /// The block code of macro position `index` (VEGA: the code index advances at each `-`).
  public func blockCode(at index: Int) -> BlockCode {
    guard perStage else { return blocks[0] }
    return blocks[macro.prefix(index + 1).filter(\.downsample).count]
  }
}

/// A malformed or unbuildable DNet encoding: says what and where (1-based character position).
public struct DNetCodeError: Error, CustomStringConvertible, Sendable {
  public var message: String
  /// 1-based position of the offending character in the encoding, when one is to blame.
  public var position: Int?
  public init(_ message: String, position: Int? = nil) {
    self.message = message
    self.position = position
  }
  public var description: String { message }
}

extension DNetCode {
  /// Parses an encoding; errors name the bad character and its 1-based position.
  public static func parse(_ text: String) throws -> DNetCode {
    let chars = Array(text)
    func fail(_ why: String, at i: Int? = nil) -> DNetCodeError {
      if let i {
        let c = i < chars.count ? "'\(chars[i])' at position \(i + 1)" : "end of encoding at position \(i + 1)"
        return DNetCodeError("DNet encoding '\(text)': \(c): \(why)", position: i + 1)
      }
      return DNetCodeError("DNet encoding '\(text)': \(why)")
    }
    let seps = chars.indices.filter { chars[$0] == "_" }
    guard seps.count == 2 else {
      throw fail("expected <block>_<channels>_<macro> (two '_'), found \(seps.count) '_'", at: seps.count > 2 ? seps[2] : nil)
    }
    let blockRange = 0..<seps[0], channelRange = (seps[0] + 1)..<seps[1], macroRange = (seps[1] + 1)..<chars.count

    // channels
    guard !channelRange.isEmpty else { throw fail("the channel count is empty", at: seps[0] + 1) }
    for i in channelRange where !chars[i].isASCII || !chars[i].isNumber { throw fail("the channel count must be digits", at: i) }
    guard let channels = Int(String(chars[channelRange])), channels >= 2, channels <= 1 << 20 else {
      throw fail("the channel count must be in 2…\(1 << 20) (the stem halves it), got \(String(chars[channelRange]))")
    }

    // macro
    var macro: [Step] = []
    var pendingDown = false
    guard !macroRange.isEmpty else { throw fail("the macro is empty (one digit per block)", at: seps[1] + 1) }
    for i in macroRange {
      let c = chars[i]
      if c == "-" {
        if pendingDown { throw fail("two '-' in a row in the macro ('-' marks the next block as strided)", at: i) }
        pendingDown = true
      } else if let d = c.wholeNumberValue, c.isASCII, d >= 1 {
        macro.append(Step(multiplier: d, downsample: pendingDown))
        pendingDown = false
      } else {
        throw fail("the macro takes digits 1-9 (width multipliers) and '-' (stride 2)", at: i)
      }
    }
    if pendingDown { throw fail("the macro ends with '-'; a '-' must precede a block digit", at: chars.count - 1) }

    // blocks
    var codes: [BlockCode] = []
    var start = blockRange.lowerBound
    let stars = blockRange.filter { chars[$0] == "*" }
    for end in stars + [blockRange.upperBound] {
      codes.append(try parseBlock(chars, start..<end, fail))
      start = end + 1
    }
    let stages = macro.filter(\.downsample).count + 1
    if !stars.isEmpty, codes.count != stages {
      throw fail("\(codes.count) block codes separated by '*' for \(stages) stages (the macro has \(stages - 1) '-'); give one per stage")
    }
    return DNetCode(blocks: codes, channels: channels, macro: macro, perStage: !stars.isEmpty)
  }

  private static func parseBlock(_ chars: [Character], _ range: Range<Int>,
                                 _ fail: (String, Int?) -> DNetCodeError) throws -> BlockCode {
    guard !range.isEmpty else { throw fail("a block code is empty", range.lowerBound) }
    let dashes = range.filter { chars[$0] == "-" }
    if dashes.count > 1 { throw fail("a block code has one '-' between its layers and its links", dashes[1]) }
    let layerEnd = dashes.first ?? range.upperBound
    guard layerEnd > range.lowerBound else { throw fail("a block needs at least one layer before '-'", range.lowerBound) }
    var layers: [Layer] = []
    var i = range.lowerBound
    while i < layerEnd {
      guard let d = chars[i].wholeNumberValue, chars[i].isASCII, let op = Op(rawValue: d) else {
        throw fail("expected an operator digit 0-6 (conv3, conv1, conv3_grp2, conv3_grp4, conv3_base1, conv3_base32, conv3_sep)", i)
      }
      if i + 1 == layerEnd {
        layers.append(Layer(op: op, channelCode: 2))
        i += 1
        break
      }
      guard let c = chars[i + 1].wholeNumberValue, chars[i + 1].isASCII, c <= 4 else {
        throw fail("expected a channel digit 0-4 (width ×2^c/4) after the operator", i + 1)
      }
      if i + 2 == layerEnd {
        throw fail("the last layer takes only an operator digit (it writes the block's width), so the layer string needs an odd length", i + 1)
      }
      layers.append(Layer(op: op, channelCode: c))
      i += 2
    }
    guard layers.count <= 9 else { throw fail("a block has at most 9 layers (links name layers by one digit), got \(layers.count)", nil) }
    var links: [Link] = []
    if let dash = dashes.first {
      var k = dash + 1
      while k < range.upperBound {
        guard let kind = Link.Kind(rawValue: String(chars[k])) else { throw fail("expected a link 'a' (add) or 'c' (concat)", k) }
        guard k + 2 < range.upperBound else { throw fail("a link is three characters: {a|c}{from}{to}", range.upperBound) }
        guard let from = chars[k + 1].wholeNumberValue, chars[k + 1].isASCII else { throw fail("expected the link's source digit", k + 1) }
        guard let to = chars[k + 2].wholeNumberValue, chars[k + 2].isASCII else { throw fail("expected the link's target digit", k + 2) }
        guard to >= 1, to <= layers.count else {
          throw fail("link target \(to) is not a layer of this \(layers.count)-layer block (targets are 1…\(layers.count))", k + 2)
        }
        guard from < to else { throw fail("link source \(from) must come before its target \(to)", k + 1) }
        links.append(Link(kind, from: from, to: to))
        k += 3
      }
    }
    return BlockCode(layers: layers, links: links)
  }
}
