import Foundation

/// Decides when a running search rewrites its report, so `report.html` can be opened
/// mid-run: after a trial finished (the count of finished trials grew), at most once per
/// `interval` seconds. The first finished trial writes at once. Writing the report took
/// 0.06 s for the 31-trial ASHA fixture (ReportSearchFixture) and 0.55–1.07 s for 299
/// trials, in a debug build (the slow case) on this 2-vCPU Xeon, so every 10 s costs a
/// search at most a few percent; the clock is passed in so tests need no sleeping.
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
