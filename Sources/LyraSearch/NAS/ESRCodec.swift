import LyraBase
import LyraSpace

/// ESR-EA's genome (VEGA's ESRCodec and ESRIndividual): `node_num` nodes, each a pair
/// (used 0/1, function index) where the functions are every "T_c_g_o" block with T from
/// `block_type`, c from `conv_num`, growth g and output o from `growth_rate` with o ≥ g;
/// a function is drawn with probability ∝ type_prob · conv_prob · growth_prob(g) ·
/// growth_prob(o). The network is the used nodes' blocks in order.
///
/// Constraints, as VEGA's: at least `min_active` used nodes (re-flip "used" bits until
/// so) and parameters within `params` (redraw used nodes' functions until so). VEGA
/// loops forever on an impossible range; here `init` refuses a range no architecture can
/// reach, and a repair gives up after 10,000 rounds, keeping the closest individual.
///
/// An individual is a config: `network.<part>.code` (the 2·node_num genome, used and
/// function per node) and `network.<part>.architecture` (the active blocks), with the
/// part's fixed keys (`type`, `G0`, `scale`, ...) and `network.modules`, so a trial's
/// description is complete without a `model_desc`.
public struct ESRCodec: Codec {
  public let functions: [String]
  let cumulative: [Double]
  public let nodeNum: Int
  public let minActive: Int
  public let params: ClosedRange<Int>
  public let mutationRate: Double
  public let part: String
  /// Fixed keys of the part (type, G0, scale, ...), copied into every individual.
  public let fixed: Config
  /// Parameters of an architecture (the pipeline passes ESRNCost).
  let count: ([String]) -> Int?

  public init(part: String, fixed: Config, blockTypes: [String], convNums: [Int], growthRates: [Int],
              typeProb: [Double]?, convProb: [Double]?, growthProb: [Double]?, nodeNum: Int, minActive: Int,
              params: ClosedRange<Int>, mutationRate: Double, count: @escaping ([String]) -> Int?) throws {
    guard !blockTypes.isEmpty, !convNums.isEmpty, !growthRates.isEmpty else { throw CodecError("block_type, conv_num and growth_rate must not be empty") }
    let tp = typeProb ?? blockTypes.map { _ in 1 }, cp = convProb ?? convNums.map { _ in 1 }, gp = growthProb ?? growthRates.map { _ in 1 }
    guard tp.count == blockTypes.count else { throw CodecError("type_prob has \(tp.count) entries for \(blockTypes.count) block types") }
    guard cp.count == convNums.count else { throw CodecError("conv_prob has \(cp.count) entries for \(convNums.count) conv_num choices") }
    guard gp.count == growthRates.count else { throw CodecError("growth_prob has \(gp.count) entries for \(growthRates.count) growth rates") }
    guard (tp + cp + gp).allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw CodecError("probabilities must be non-negative numbers") }
    for t in blockTypes where !["S", "G", "C"].contains(t) { throw CodecError("block_type '\(t)' is not S, G or C") }
    guard nodeNum >= 1, minActive >= 1, minActive <= nodeNum else { throw CodecError("range: need 1 ≤ min_active (\(minActive)) ≤ node_num (\(nodeNum))") }
    guard (0...1).contains(mutationRate), mutationRate > 0 else { throw CodecError("mutation_rate must be in (0, 1], got \(mutationRate)") }
    var f: [String] = [], w: [Double] = []
    for (ti, t) in blockTypes.enumerated() {
      for (ci, c) in convNums.enumerated() {
        for gi in growthRates.indices {
          for oi in gi..<growthRates.count {
            f.append("\(t)_\(c)_\(growthRates[gi])_\(growthRates[oi])")
            w.append(tp[ti] * cp[ci] * gp[gi] * gp[oi])
          }
        }
      }
    }
    let total = w.reduce(0, +)
    guard total > 0 else { throw CodecError("the probabilities give every block weight 0") }
    var acc = 0.0
    cumulative = w.map { acc += $0 / total; return acc }
    functions = f
    self.nodeNum = nodeNum
    self.minActive = minActive
    self.params = params
    self.mutationRate = mutationRate
    self.part = part
    self.fixed = fixed
    self.count = count
    for a in f { guard count([a]) != nil else { throw CodecError("block \(a) cannot be built (check growth rates against G block groups)") } }
    // The smallest and largest networks of min_active…node_num blocks bound what a repair can reach.
    let sizes = f.map { count([$0])! }
    let lo = count(Array(repeating: f[sizes.firstIndex(of: sizes.min()!)!], count: minActive))!
    let hi = count(Array(repeating: f[sizes.firstIndex(of: sizes.max()!)!], count: nodeNum))!
    guard params.upperBound >= lo, params.lowerBound <= hi else {
      throw CodecError("range: no architecture of \(minActive)…\(nodeNum) blocks has \(params.lowerBound)…\(params.upperBound) parameters (they span about \(lo)…\(hi)); widen min_params/max_params")
    }
  }

  // MARK: genome

  public typealias Gene = [(used: Bool, fn: Int)]

  func draw(_ g: Generator) -> Int {
    let r = g.nextDouble()
    return min(cumulative.firstIndex { $0 > r } ?? functions.count - 1, functions.count - 1)
  }

  public func architecture(_ gene: Gene) -> [String] { gene.filter(\.used).map { functions[$0.fn] } }

  func parameters(_ gene: Gene) -> Int { count(architecture(gene)) ?? Int.max }

  func mutateUsing(_ gene: inout Gene, _ g: Generator) {
    for i in gene.indices where g.nextDouble() < mutationRate { gene[i].used.toggle() }
  }

  func mutateNodes(_ gene: inout Gene, _ g: Generator) {
    for i in gene.indices where gene[i].used && g.nextDouble() < mutationRate { gene[i].fn = draw(g) }
  }

  /// VEGA's repair: flip used bits until min_active, then redraw functions until the
  /// parameters fit (bounded; the closest individual seen is kept when it never fits).
  func repair(_ gene: inout Gene, _ g: Generator) {
    var rounds = 0
    while gene.filter(\.used).count < minActive && rounds < 10_000 { mutateUsing(&gene, g); rounds += 1 }
    if gene.filter(\.used).count < minActive {
      for i in gene.indices where !gene[i].used && gene.filter(\.used).count < minActive { gene[i].used = true }
    }
    var best = gene, bestMiss = miss(gene)
    rounds = 0
    while bestMiss > 0 && rounds < 10_000 {
      mutateNodes(&gene, g)
      let d = miss(gene)
      if d < bestMiss { best = gene; bestMiss = d }
      rounds += 1
    }
    gene = best
  }

  func miss(_ gene: Gene) -> Int {
    let p = parameters(gene)
    return p < params.lowerBound ? params.lowerBound - p : p > params.upperBound ? p - params.upperBound : 0
  }

  public func config(_ gene: Gene) -> Config {
    var c: Config = [:]
    for (k, v) in fixed { c["network.\(part).\(k)"] = v }
    c["network.modules"] = .list([.string(part)])
    c["network.\(part).code"] = .list(gene.flatMap { [ParamValue.int($0.used ? 1 : 0), .int($0.fn)] })
    c["network.\(part).architecture"] = .list(architecture(gene).map { .string($0) })
    return c
  }

  public func gene(_ c: Config) -> Gene? {
    guard case .list(let l)? = c["network.\(part).code"], l.count == 2 * nodeNum else { return nil }
    var out: Gene = []
    for i in 0..<nodeNum {
      guard case .int(let u) = l[2 * i], case .int(let f) = l[2 * i + 1], u == 0 || u == 1, f >= 0, f < functions.count else { return nil }
      out.append((u == 1, f))
    }
    return out
  }

  // MARK: Codec

  public func sample(_ g: Generator) -> Config {
    var gene: Gene = (0..<nodeNum).map { _ in (false, 0) }
    for i in gene.indices { gene[i] = (g.int(below: 2) == 1, draw(g)) }
    repair(&gene, g)
    return config(gene)
  }

  /// VEGA's mutation child: flip used bits, redraw some functions, repair.
  public func mutate(_ parent: Config, _ g: Generator) -> Config {
    guard var gene = gene(parent) else { return sample(g) }
    mutateUsing(&gene, g)
    while gene.filter(\.used).count < minActive { mutateUsing(&gene, g) }
    mutateNodes(&gene, g)
    repair(&gene, g)
    return config(gene)
  }

  /// VEGA's crossover: a segment of length 4…node_num/2 at a random place swapped in from
  /// the second parent, then repaired (the first of VEGA's two mirror children).
  public func crossover(_ a: Config, _ b: Config, _ g: Generator) -> Config? {
    guard var x = gene(a), let y = gene(b), nodeNum >= 8 else { return nil }
    let length = g.int(in: 4...(nodeNum / 2)), at = g.int(below: nodeNum - length + 1)
    for i in at..<(at + length) { x[i] = y[i] }
    repair(&x, g)
    return config(x)
  }

  public func validate(_ c: Config) throws {
    guard let gene = gene(c) else { throw CodecError("network.\(part).code must be \(2 * nodeNum) integers (used 0/1, block index < \(functions.count))") }
    guard gene.filter(\.used).count >= 1 else { throw CodecError("no block is used") }
  }

  public var settings: JSON {
    .object(["codec": .string("ESRCodec"), "functions": .array(functions.map { .string($0) }), "node_num": JSON(nodeNum),
             "min_active": JSON(minActive), "min_params": JSON(params.lowerBound), "max_params": JSON(params.upperBound),
             "mutation_rate": .number(mutationRate)])
  }
}
