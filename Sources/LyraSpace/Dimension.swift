/// What an algorithm needs to model one encoded coordinate (a TPE/BOHB kernel choice,
/// a GP's input warping, an EA's mutation operator; docs/architecture.md#search-spaces-and-the-unit-cube).
public struct Dimension: Equatable, Sendable {
  /// The hyperparameter this coordinate belongs to.
  public let key: String
  /// The element within an array hyperparameter (0 for scalars).
  public let element: Int
  public let kind: Kind
  /// True when the coordinate is uniform in log10 space (`*_EXP`): algorithms that
  /// model the raw value need to know; those that model the encoding need not.
  public let isLog: Bool

  public enum Kind: Equatable, Sendable {
    /// Any value in [0, 1].
    case continuous
    /// `levels` ordered values evenly spaced over [0, 1] (ints, bits).
    case discrete(levels: Int)
    /// `choices` unordered values at i/(n−1) (categories, booleans, edges).
    case categorical(choices: Int)
  }

  public init(key: String, element: Int = 0, kind: Kind, isLog: Bool = false) {
    self.key = key
    self.element = element
    self.kind = kind
    self.isLog = isLog
  }
}
