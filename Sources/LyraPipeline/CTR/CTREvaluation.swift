import Foundation
import LyraData
import LyraNets

/// AUC and logloss of a CTR network on a data set: the two numbers CTR papers report
/// (AUC by rank with ties averaged, `AUC.auc`; logloss as the mean binary cross-entropy
/// of the predicted probabilities, clipped to [1e-7, 1 − 1e-7] as sklearn's log_loss).
public struct CTRScores: Equatable {
  public var auc: Double
  public var logloss: Double

  public static func of(_ net: CTRNetwork, on data: CTRDataset) throws -> CTRScores {
    let logits = try CTRFit.predict(net, ids: data.ids)
    return try of(logits: logits.map(Double.init), labels: data.labels.map { Int($0) })
  }

  public static func of(logits: [Double], labels: [Int]) throws -> CTRScores {
    guard let a = AUC.auc(scores: logits, labels: labels) else {
      throw TrainerError.input("AUC: undefined unless both classes occur (\(labels.count) samples)")
    }
    var ll = 0.0
    for (z, y) in zip(logits, labels) {
      let p = min(max(1 / (1 + exp(-z)), 1e-7), 1 - 1e-7)
      ll -= y == 1 ? log(p) : log(1 - p)
    }
    return CTRScores(auc: a, logloss: ll / Double(max(1, labels.count)))
  }
}
