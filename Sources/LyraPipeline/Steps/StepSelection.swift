import Foundation

/// `lyra run … --steps hpo` / `--from fully_train`: run part of a pipeline (issue 18).
///
/// Why these rules: a step reads what the steps before it wrote in the task folder
/// (`output/<step>/`), so a selected step runs only when every step before it has
/// finished or is selected too; that is checked before any step runs, so a refused
/// selection runs nothing. Finished steps are never rerun (their outputs are reused);
/// the steps after the selection stay `unstarted`, and a plain resume runs them.
extension Pipeline {
  /// The step names to run: `steps` as given, or `from` and every step after it; nil
  /// runs all. Throws on a name the pipeline lacks, or on both given.
  /// `names`: the pipeline's steps in order (a fresh task checks before it is created).
  public static func selectSteps(_ steps: [String]?, from: String?, names: [String]) throws -> [String]? {
    func known(_ n: String, _ option: String) throws {
      guard names.contains(n) else {
        throw ConfigError(file: option, line: nil, key: nil, message: "no step '\(n)' in the pipeline (its steps: \(names.joined(separator: ", ")))")
      }
    }
    switch (steps, from) {
    case (nil, nil): return nil
    case (let s?, nil):
      for n in s { try known(n, "--steps") }
      return s
    case (nil, let f?):
      try known(f, "--from")
      return Array(names.drop(while: { $0 != f }))
    default:
      throw ConfigError(file: "--steps", line: nil, key: nil, message: "give --steps or --from, not both")
    }
  }

  /// Throws when a selected step would run while an unselected step before it has not
  /// finished (its outputs are missing). `finished(name)`: whether that step finished.
  /// `option`: the option that selected (`--steps` or `--from`), for the error.
  public static func checkSelection(_ only: [String], names: [String], option: String = "--steps",
                                    finished: (String) throws -> Bool) throws {
    var missing: String?
    for name in names {
      if only.contains(name) {
        if let m = missing {
          throw ConfigError(file: option, line: nil, key: nil,
                            message: "step \(name) needs the outputs of \(m), which has not finished; run it too (--steps \(m),\(name), or --from \(m))")
        }
      } else if missing == nil, try !finished(name) {
        missing = name
      }
    }
  }

  func checkSelection(_ only: [String]) throws {
    try Pipeline.checkSelection(only, names: config.steps.map(\.name)) { n in
      guard let step = config.steps.first(where: { $0.name == n }) else { return false }
      return try loadFinished(step) != nil
    }
  }
}
