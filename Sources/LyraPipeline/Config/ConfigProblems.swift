/// Several problems of one config, reported together (issue 18): one `ConfigError` each,
/// in the order of the config (general, then each step as `pipeline` lists them).
///
/// Why together: fixing a config one error per run costs a run per typo, and a typo in a
/// later step used to surface only after the earlier steps had run.
public struct ConfigProblems: Error, CustomStringConvertible {
  public var problems: [ConfigError]

  public init(_ problems: [ConfigError]) { self.problems = problems }

  /// One line per problem.
  public var description: String {
    "\(problems.count) problems in the config:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
  }

  /// Throws nothing for no problem, the problem itself for one (so a single mistake reads
  /// as before), and `ConfigProblems` for several.
  public static func throwIfAny(_ problems: [ConfigError]) throws {
    if problems.count == 1 { throw problems[0] }
    if problems.count > 1 { throw ConfigProblems(problems) }
  }

  /// The problems of `error`: its list, or itself.
  public static func list(_ error: Error) -> [ConfigError]? {
    if let p = error as? ConfigProblems { return p.problems }
    if let e = error as? ConfigError { return [e] }
    return nil
  }
}
