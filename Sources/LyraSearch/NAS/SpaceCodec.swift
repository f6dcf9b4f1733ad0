import LyraBase
import LyraSpace

/// The codec of a plain search space: sample is `space.sample`, mutation is
/// `space.mutate` (one active value changed, conditions re-resolved), crossover is
/// uniform over keys.
///
/// Why: it makes Pareto evolution (NSGA-II selection) usable for ordinary HPO spaces and
/// for any architecture space written as hyperparameters, with no NAS-specific codec.
///
/// Crossover takes each key from either parent with probability ½ (Syswerda's uniform
/// crossover, ICGA 1989). With conditions a mixed child may hold keys its parents' values
/// switch off, or lack keys they switch on: inactive keys are dropped and newly active
/// ones taken from a parent that has them. A child that is still invalid (a forbidden
/// combination, a key neither parent has) gives nil, and the algorithm mutates instead.
public struct SpaceCodec: Codec {
  public let space: SearchSpace

  public init(space: SearchSpace) { self.space = space }

  public func sample(_ g: Generator) -> Config { space.sample(g) }

  public func mutate(_ parent: Config, _ g: Generator) -> Config { space.mutate(parent, g) }

  public func crossover(_ a: Config, _ b: Config, _ g: Generator) -> Config? {
    var child = Config()
    for k in space.keys {
      let first = g.bernoulli(0.5)
      if let v = (first ? a[k] : b[k]) ?? (first ? b[k] : a[k]) { child[k] = v }
    }
    // Settle conditions: each pass drops keys that became inactive and fills ones that
    // became active; a DAG settles within one pass per level.
    for _ in 0...space.keys.count {
      var changed = false
      for k in space.keys {
        let active = space.isActive(k, in: child)
        if !active, child[k] != nil { child[k] = nil; changed = true }
        if active, child[k] == nil, let v = a[k] ?? b[k] { child[k] = v; changed = true }
      }
      if !changed { break }
    }
    return (try? space.validate(child)) != nil ? child : nil
  }

  public func validate(_ c: Config) throws { try space.validate(c) }

  public var settings: JSON {
    .object(["codec": .string("space"), "keys": .array(space.keys.map { .string($0) }), "dimension": JSON(space.dimension)])
  }
}
