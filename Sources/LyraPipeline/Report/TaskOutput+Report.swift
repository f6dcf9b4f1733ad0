/// The pipeline's one call at the end of a step or task (and `lyra status` for a running one).
extension TaskOutput {
  /// Writes `output/report.md` and `output/report.html` for this task folder.
  @discardableResult
  public func writeReport(topTrials: Int = 10, curveTrials: Int = 8) throws -> ReportWriter.Output {
    var w = ReportWriter(taskRoot: root)
    w.topTrials = topTrials
    w.curveTrials = curveTrials
    return try w.write()
  }
}
