import LyraBase

/// The keys in which two configs differ, one line each (`hpo.dataset.train.max_samples:
/// 2000 → 10000`), sorted by key.
///
/// Why: a resumed task that silently picked up a different config trained a trial on
/// 10,000 images instead of 2,000 (issue 18); the refusal must say exactly which keys
/// differ so the user can drop the stray `--set` or pass `--force`. Mappings are walked
/// key by key; a list is one value (a changed search range is one line, not one per item).
public enum ConfigDiff {
  /// `key: old → new` lines; a key only on one side shows `(absent)` on the other.
  public static func lines(from old: JSON, to new: JSON) -> [String] {
    var a: [String: JSON] = [:], b: [String: JSON] = [:]
    flatten(old, "", into: &a)
    flatten(new, "", into: &b)
    return Set(a.keys).union(b.keys).sorted().compactMap { k in
      a[k] == b[k] ? nil : "\(k.isEmpty ? "(config)" : k): \(show(a[k])) → \(show(b[k]))"
    }
  }

  static func flatten(_ v: JSON, _ prefix: String, into out: inout [String: JSON]) {
    guard let o = v.object, !o.isEmpty else {
      out[prefix] = v
      return
    }
    for (k, x) in o { flatten(x, prefix.isEmpty ? k : prefix + "." + k, into: &out) }
  }

  static func show(_ v: JSON?) -> String {
    guard let v else { return "(absent)" }
    if case .string(let s) = v { return s }
    if let i = v.int { return String(i) }
    return v.text
  }
}
