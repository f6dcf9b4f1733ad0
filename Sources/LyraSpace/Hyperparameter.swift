import LyraBase

/// One searchable value: a key (dotted, `trainer.optimizer.params.lr`), a type and a range.
///
/// Every hyperparameter encodes to `width` coordinates in [0, 1] and decodes back
/// (docs/architecture.md#search-spaces-and-the-unit-cube), so algorithms can work in the unit cube without knowing the types.
public struct Hyperparameter: Sendable {
  public let key: String
  public let type: ParamType
  /// The range as declared (two bounds, the choices, or the array's shape).
  public let range: [ParamValue]
  /// Grid points for this parameter (VEGA's `slice`); nil uses the caller's count.
  public let slice: Int?
  /// VEGA's `sample_num` for ADJACENCY_LIST: how many distinct edges one value holds.
  public let sampleNum: Int?
  /// Encoded dimensions it occupies (1 for scalars, one per element for arrays).
  public var width: Int { domain.width }

  let domain: Domain

  /// Builds and validates a hyperparameter; errors name the key.
  public init(key: String, type: ParamType, range: [ParamValue], slice: Int? = nil, sampleNum: Int? = nil) throws {
    guard !key.isEmpty else { throw SpaceError("hyperparameter with an empty key") }
    if let s = slice, s < 1 { throw SpaceError("\(key): slice must be at least 1, got \(s)") }
    self.key = key
    self.type = type
    self.range = range
    self.slice = slice
    self.sampleNum = sampleNum
    self.domain = try Domain.make(key: key, type: type, range: range, sampleNum: sampleNum)
  }

  /// The declared choices of a CATEGORY/BOOL parameter (empty for other types).
  public var choices: [ParamValue] {
    if case .choices(let c) = domain { return c }
    return []
  }

  /// Lower and upper bounds of a numeric (INT, INT_EXP, FLOAT, FLOAT_EXP) parameter.
  public var bounds: (lower: Double, upper: Double)? {
    if case .numeric(let lo, let hi, _, _) = domain { return (lo, hi) }
    return nil
  }

  /// One value drawn from the type's prior (uniform, log-uniform, VEGA's bit-code rules).
  public func sample(_ g: Generator) -> ParamValue { domain.sample(g) }

  /// The value's coordinates, each in [0, 1].
  public func encode(_ v: ParamValue) -> [Double] { domain.encode(v) }

  /// The valid value nearest to the coordinates: clamps, rounds ints, picks the nearest
  /// category (ties to the larger, as VEGA's `CatHyperParameter.decode`). NaN reads as 0.5.
  public func decode(_ u: ArraySlice<Double>) -> ParamValue {
    precondition(u.count == width, "\(key): decode needs \(width) coordinates, got \(u.count)")
    return domain.decode(Array(u).map { $0.isNaN ? 0.5 : min(max($0, 0), 1) })
  }

  /// Throws a `SpaceError` naming the key when `v` is not a value of this parameter.
  public func check(_ v: ParamValue) throws {
    if let why = domain.problem(with: v) { throw SpaceError("\(key): \(why)") }
  }

  /// Whether `v` is a value of this parameter.
  public func contains(_ v: ParamValue) -> Bool { domain.problem(with: v) == nil }

  /// What an algorithm needs per coordinate.
  public var dimensions: [Dimension] { domain.dimensions(key: key) }

  /// Grid values (numeric: `slices` evenly spaced points in encoded space including
  /// both ends; discrete types: every value, arrays capped at `Domain.gridCap`).
  public func gridValues(slices: Int) -> [ParamValue] { domain.gridValues(slices: slice ?? slices) }

  /// Other valid values ordered from nearest to farthest in encoded space (ties to the
  /// larger encoding, as VEGA); at most `limit`. Used to steer away from forbidden values.
  public func alternatives(to v: ParamValue, limit: Int = 64) -> [ParamValue] { domain.alternatives(to: v, limit: limit) }
}
