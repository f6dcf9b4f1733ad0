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
  /// the commonest slip of all. Third: two names that share a long prefix or suffix and differ
  /// in a middle of three or more letters each, more than half of it, are two names built on
  /// one pattern (`AutoGateS1TrainerCallback` is not a mistyped `QuantTrainerCallback`, though
  /// the shared `TrainerCallback` puts them within the cut-off).
  public static func closest(_ word: String, in candidates: [String]) -> String? {
    var best: (String, Int)?
    let w = word.lowercased()
    for c in candidates {
      let lc = c.lowercased()
      let d = distance(w, lc)
      let near = d <= max(2, word.count / 3) && !(w.count >= lc.count + 3 && w.contains(lc)) && !differentCores(w, lc, distance: d)
      let truncated = w.count >= 4 && lc.hasPrefix(w)
      if near || truncated, best == nil || d < best!.1 { best = (c, d) }
    }
    return best?.0
  }

  /// Whether `a` and `b`, once their shared prefix and suffix are set aside, differ in cores of
  /// three or more letters each by more than half of the longer core (`d` is their distance,
  /// which equals the cores' distance).
  static func differentCores(_ a: String, _ b: String, distance d: Int) -> Bool {
    let x = Array(a), y = Array(b)
    var p = 0
    while p < x.count, p < y.count, x[p] == y[p] { p += 1 }
    var s = 0
    while s < x.count - p, s < y.count - p, x[x.count - 1 - s] == y[y.count - 1 - s] { s += 1 }
    let cx = x.count - p - s, cy = y.count - p - s
    return cx >= 3 && cy >= 3 && 2 * d > Swift.max(cx, cy)
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
