import Foundation

/// Decides when a running search rewrites its report, so `report.html` can be opened
/// mid-run: after a trial finished (the count of finished trials grew), at most once per
/// `interval` seconds. The first finished trial writes at once. Writing a report of a
/// few hundred trials takes well under a second (the forest for fANOVA is the largest
/// part), so every 10 s costs the search little; the clock is passed in so tests need no sleeping.
final class LiveReport {
  let interval: Double
  private var lastWrite = -Double.infinity
  private var lastFinished = 0

  init(interval: Double = 10) { self.interval = interval }

  /// True when a report is due now; the caller then writes it.
  /// `finished` is read only when the interval has passed (it may query the store).
  func due(now: Double, finished: () -> Int) -> Bool {
    guard now - lastWrite >= interval else { return false }
    let n = finished()
    guard n > lastFinished else { return false }
    lastFinished = n
    lastWrite = now
    return true
  }
}
