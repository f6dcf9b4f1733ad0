import LyraBase

extension TrialTraining.Setup {
  /// Why the quota rejects the trial's model before training (VEGA's sample filter), or
  /// nil when it passes or there is none. Checked on the description (or the compressed
  /// model) with the sample shape the dataset type tells, so a rejected sample costs no
  /// data reading and no build.
  func quotaRejection(desc: JSON) throws -> String? {
    guard let q = quotaText else { return nil }
    let quota = try Quota(q)
    let shape = sampleShape ?? [1, 28, 28] // one sample, no batch dimension (QuotaCheck)
    let verdict = compressed.map { quota.check($0, inputShape: shape) } ?? quota.check(description: desc, inputShape: shape)
    return verdict.passed ? nil : "quota: \(verdict.reason ?? "rejected")"
  }
}
