/// "Did you mean …?" for every error that names an unknown key, type or name.
///
/// One home, one cut-off: before this type existed, twenty call sites spelled the hint out and
/// `LyraSpace` kept a second edit distance with a looser cut-off, so the same typo got a
/// suggestion in a model description and none in a search space. A candidate is offered when
/// its case-insensitive Levenshtein distance is at most `max(2, word.count / 3)`: close enough
/// to be a slip of the fingers (`lerning_rate`, `Conv2D`), far enough that unrelated names
/// (`lr` vs `bs` is distance 2, which short names do allow) stay rare. Ties go to the earlier
/// candidate, so callers that pass a sorted list get a stable answer.
public enum Suggest {
  /// The closest candidate within the cut-off, or nil.
  ///
  /// Two refinements over the plain distance (issue 19): a word that *contains* a candidate
  /// with three or more extra letters is another name, not a slip (`FmdNetwork` is not a
  /// mistyped `Network`, although their distance, 3, is within the cut-off), so it gets no
  /// hint; and a word that is the start of a candidate (`CrossEntropy` for
  /// `CrossEntropyLoss`) is offered it even past the cut-off, since leaving a suffix off is
  /// the commonest slip of all.
  public static func closest(_ word: String, in candidates: [String]) -> String? {
    var best: (String, Int)?
    let w = word.lowercased()
    for c in candidates {
      let lc = c.lowercased()
      let d = distance(w, lc)
      let near = d <= max(2, word.count / 3) && !(w.count >= lc.count + 3 && w.contains(lc))
      let truncated = w.count >= 4 && lc.hasPrefix(w)
      if near || truncated, best == nil || d < best!.1 { best = (c, d) }
    }
    return best?.0
  }

  /// The hint to append to an error message: ` (did you mean 'x'?)`, or "" when nothing is close.
  public static func hint(_ word: String, in candidates: [String]) -> String {
    closest(word, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
  }

  /// Levenshtein distance (insertions, deletions and substitutions cost 1), over Characters.
  public static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count), cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      cur[0] = i
      for j in 1...b.count {
        cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      swap(&prev, &cur)
    }
    return prev[b.count]
  }
}
