import LyraBase
import LyraSpace

/// How a sample-based search makes individuals: a fresh random one, a mutated copy of a
/// parent, and (optionally) a child of two parents. Individuals are plain `Config`s (flat
/// dotted keys → values), the same thing a trial carries.
///
/// Why the genome is the config itself: what the trial table stores is then the whole
/// individual, so restore-by-replay (`SearchBase`) and lineage need nothing extra, and a
/// codec can be swapped without touching the algorithm (VEGA's `Codec.encode/decode`
/// split exists because its descs are nested; flat configs make decode the identity).
///
/// Implementations: `SpaceCodec` (any `SearchSpace`), `BackboneNasCodec` (ResNet 0/1 block
/// vectors), `DblockNasCodec` (DNet block codes), `DnetNasCodec` (DNet macro strings).
public protocol Codec {
  /// A random individual.
  func sample(_ g: Generator) -> Config
  /// One mutation step away from `parent` (it may, rarely, return an equal config; the
  /// algorithm retries duplicates).
  func mutate(_ parent: Config, _ g: Generator) -> Config
  /// A child combining two parents, or nil when this codec has no crossover (or none
  /// for these two parents). The default has none.
  func crossover(_ a: Config, _ b: Config, _ g: Generator) -> Config?
  /// Throws when `c` is not an individual this codec could produce (the message says why).
  func validate(_ c: Config) throws
  /// The codec's name and settings; part of an algorithm's settings, so a state saved
  /// under another codec is refused on restore.
  var settings: JSON { get }
}

extension Codec {
  public func crossover(_ a: Config, _ b: Config, _ g: Generator) -> Config? { nil }
}

/// A codec whose settings cannot work (a missing key, an impossible count); the message
/// names the key.
public struct CodecError: Error, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// Reading integer settings of NAS spaces (depth, counts, lengths).
enum NASSpace {
  /// Every integer value a hyperparameter can take (choices, or all ints of an INT range),
  /// or nil when it can take a non-integer or the range is too wide to list.
  static func intValues(_ space: SearchSpace, _ key: String) -> [Int]? {
    guard let p = space[key] else { return nil }
    if !p.choices.isEmpty {
      var out: [Int] = []
      for v in p.choices {
        guard let n = v.number, n == n.rounded(), abs(n) < 1e15, !(v == .bool(true) || v == .bool(false)) else { return nil }
        out.append(Int(n))
      }
      return out
    }
    if (p.type == .int || p.type == .intExp), let b = p.bounds, b.upper - b.lower <= 100_000 {
      return Array(Int(b.lower)...Int(b.upper))
    }
    return nil
  }

  /// The integer values of a required key, or a `CodecError` naming it.
  static func requireInts(_ space: SearchSpace, _ key: String, _ what: String) throws -> [Int] {
    guard space[key] != nil else { throw CodecError("\(key): missing from the search space (\(what))") }
    guard let v = intValues(space, key), !v.isEmpty else {
      throw CodecError("\(key): must be an INT range or integer choices (\(what))")
    }
    return v
  }

  /// A sampled value as an Int (the space guarantees integers for checked keys).
  static func int(_ c: Config, _ key: String) -> Int? {
    guard let n = c[key]?.number, n == n.rounded(), abs(n) < 1e15 else { return nil }
    return Int(n)
  }

  /// The keys of `c` not in `consumed`, carried unchanged into an individual.
  static func passThrough(_ c: Config, excluding consumed: Set<String>) -> Config {
    c.filter { !consumed.contains($0.key) }
  }
}
