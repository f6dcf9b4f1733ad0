import Foundation

/// Priority 270: progress as plain lines through `trainer.log` — every `report_freq`
/// steps (`epoch 1/3 step 20/100 loss 0.5312 lr 0.001`) and after each validation
/// (`epoch 1/3 valid accuracy=0.8125 ... best accuracy=0.8125 (epoch 1)`). On a TTY with
/// the default sink, step lines overwrite each other in place instead.
public final class ProgressLogger: TrainerCallback {
  public override var priority: Int { 270 }
  /// Overwrite step lines in place (set when standard error is a terminal).
  public var live = isatty(STDERR_FILENO) != 0

  static func format(_ perfs: [String: Double]) -> String {
    perfs.keys.sorted().map { String(format: "%@=%.4f", $0, perfs[$0]!) }.joined(separator: " ")
  }

  public override func afterTrainStep(_ step: Int) throws {
    guard let t = trainer else { return }
    let n = t.stepsPerEpoch
    guard (step + 1) % t.config.reportFreq == 0 || step + 1 == n else { return }
    let line = String(format: "epoch %d/%d step %d/%d loss %.4f lr %.6g", t.epoch + 1, t.epochs, step + 1, n, t.logs.loss ?? .nan, t.logs.lr)
    if live && !t.customLog {
      FileHandle.standardError.write(Data(("\r\u{1B}[K" + line + (step + 1 == n ? "\n" : "")).utf8))
    } else {
      t.log(line)
    }
  }

  public override func afterValid() throws {
    guard let t = trainer else { return }
    var line = "epoch \(t.epoch + 1)/\(t.epochs) valid \(ProgressLogger.format(t.logs.currentPerfs))"
    if let l = t.logs.validLoss { line += String(format: " loss=%.4f", l) }
    let key = t.comparison.key
    if let b = t.logs.bestPerfs[key], let e = t.logs.bestEpoch { line += String(format: " best %@=%.4f (epoch %d)", key, b, e + 1) }
    t.log(line)
  }
}
