import LyraBase
import LyraSpace

/// A codec whose individuals must also pass a check the codec cannot make itself (a
/// DNet block whose grouped convolutions must divide its widths, a model that must
/// build): `sample` and `mutate` redraw, up to `attempts` times, until `accept` holds.
///
/// Why here and not a failed trial: VEGA's generator redraws up to 10 times before it
/// hands out a sample that fails `model_valid`; a trial spent on a network that cannot
/// be built teaches the search nothing. After `attempts` failures the last draw is
/// returned (its trial then fails, as a search must be able to end).
public struct ConstrainedCodec: Codec {
  public let base: Codec
  public let attempts: Int
  public let accept: (Config) -> Bool
  /// Names the constraint in `settings` (a state saved under another constraint is refused).
  public let name: String

  public init(_ base: Codec, name: String, attempts: Int = 50, accept: @escaping (Config) -> Bool) {
    self.base = base
    self.name = name
    self.attempts = max(1, attempts)
    self.accept = accept
  }

  public func sample(_ g: Generator) -> Config {
    var c = base.sample(g)
    for _ in 1..<attempts where !accept(c) { c = base.sample(g) }
    return c
  }

  public func mutate(_ parent: Config, _ g: Generator) -> Config {
    var c = base.mutate(parent, g)
    for _ in 1..<attempts where !accept(c) { c = base.mutate(parent, g) }
    return c
  }

  public func crossover(_ a: Config, _ b: Config, _ g: Generator) -> Config? {
    guard let c = base.crossover(a, b, g), accept(c) else { return nil }
    return c
  }

  public func validate(_ c: Config) throws {
    try base.validate(c)
    guard accept(c) else { throw CodecError("the individual fails the constraint '\(name)'") }
  }

  public var settings: JSON {
    .object(["codec": .string("constrained"), "constraint": .string(name), "attempts": JSON(attempts), "base": base.settings])
  }
}
