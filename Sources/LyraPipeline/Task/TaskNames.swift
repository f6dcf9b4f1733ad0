import Foundation

/// Step names and task ids become folder names (`workers/<step>/<id>/`,
/// `output/<step>/`, `tasks/<task>/`), so they must be plain identifiers: a step named
/// `../../../x` would otherwise write trial files outside the task folder, and a task id
/// `../other` would resume (and lock) another folder.
public enum TaskNames {
  /// A step name: a letter or `_`, then letters, digits, `_` or `-`; at most 64.
  /// (No dots: `ref: hpo.dataset` splits at them.)
  public static func stepProblem(_ name: String) -> String? {
    check(name, first: { $0.isLetter || $0 == "_" }, rest: { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" },
          what: "step name", allowed: "a letter or '_' followed by letters, digits, '_' or '-'")
  }

  /// A task id (`1129.134748.991`, `my-run`): a letter, digit or `_`, then letters,
  /// digits, `.`, `_` or `-`; at most 64 (so never `.`, `..` or a path).
  public static func taskProblem(_ id: String) -> String? {
    check(id, first: { $0.isLetter || $0.isNumber || $0 == "_" },
          rest: { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." },
          what: "task id", allowed: "letters, digits, '.', '_' or '-', not starting with '.' or '-'")
  }

  private static func check(_ s: String, first: (Character) -> Bool, rest: (Character) -> Bool, what: String, allowed: String) -> String? {
    let ascii = s.allSatisfy(\.isASCII)
    guard let c = s.first, ascii, s.count <= 64, first(c), s.dropFirst().allSatisfy(rest) else {
      return "'\(s)' is not a valid \(what) (use \(allowed); at most 64 characters)"
    }
    return nil
  }
}
