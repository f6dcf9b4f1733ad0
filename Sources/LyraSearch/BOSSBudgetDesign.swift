import Foundation

/// VEGA's `BossHpo` policy `total_epochs`: the number of samples and the largest budget
/// chosen so that BOSS's whole schedule costs (about) that many epochs, so a VEGA config
/// that gives only `total_epochs` and `repeat_times` runs with the search VEGA would run.
///
/// The samples are split into `repeatTimes` Hyperband-style groups (the last ones get what
/// is left); each group's brackets hold 1, 3, 9, ... samples from the largest bracket down,
/// starting at 1, 3, 9, ... epochs, with η = 3. A bracket of `s` samples starts its rungs at
/// `e·3^(⌊√ln(1.5·s)⌋ − 1)` epochs when that exponent is above 1 (VEGA's rule), and each rung
/// keeps a third of the samples at three times the epochs. The design takes the largest
/// sample count whose schedule does not exceed `totalEpochs` (counting up from 4), and the
/// largest starting epoch count of the layout it stopped at as the maximum budget.
public enum BOSSBudgetDesign {
  public static let eta = 3

  /// (number of samples, max epochs) for a total epoch budget; nil when `totalEpochs` < 5
  /// (no layout of at least 4 samples fits).
  public static func design(totalEpochs: Int, repeatTimes: Int) -> (numSamples: Int, maxEpochs: Int)? {
    guard totalEpochs >= 5, repeatTimes >= 1 else { return nil }
    var chosen = 4
    var layout: [(samples: Int, epochs: Int)] = []
    for n in 4..<totalEpochs {
      chosen = n
      layout = brackets(numSamples: n, repeatTimes: repeatTimes)
      let cost = budget(of: layout)
      if cost == totalEpochs { break }
      if cost > totalEpochs {
        chosen = n - 1
        break
      }
    }
    return (chosen, layout.map(\.epochs).max() ?? 1)
  }

  /// Every bracket of every group: its sample count and its starting epochs.
  static func brackets(numSamples: Int, repeatTimes: Int) -> [(samples: Int, epochs: Int)] {
    let each = (numSamples + repeatTimes - 1) / repeatTimes
    var rest = numSamples
    var groups: [Int] = []
    for _ in 0..<repeatTimes {
      if rest >= each {
        groups.append(each)
        rest -= each
      } else {
        groups.append(rest)
      }
    }
    var out: [(Int, Int)] = []
    for count in groups {
      var sizes: [Int] = []
      var power = 1 // η^k
      while true {
        // Samples the brackets up to this one would hold: 1 + 3 + ... + 3^k = (3^(k+1) − 1)/2.
        let filled = (power * eta - 1) / (eta - 1)
        if count - filled > 0 {
          sizes.append(power)
          power *= eta
        } else {
          sizes.append(sizes.isEmpty ? count : count - (power - 1) / (eta - 1))
          break
        }
      }
      sizes.sort(by: >)
      var epochs = 1
      for s in sizes {
        out.append((s, epochs))
        epochs *= eta
      }
    }
    return out
  }

  /// Epochs the whole schedule trains.
  static func budget(of layout: [(samples: Int, epochs: Int)]) -> Int {
    var total = 0
    for (count, start) in layout where count > 0 {
      var samples = count, epochs = start
      let exponent = Int(sqrt(log(Double(count) * 3 / 2)))
      var floorEpochs = start
      if exponent > 1 { for _ in 0..<(exponent - 1) { floorEpochs *= eta } }
      while samples > 0 {
        total += samples * max(floorEpochs, epochs)
        samples /= eta
        epochs *= eta
      }
    }
    return total
  }
}
