import Foundation
import LyraBase

/// Weight initialisers as PyTorch defines them, producing plain arrays so that any
/// module (and the Lua API) can use them.
///
/// PyTorch's default for Linear and Conv is Kaiming-uniform with a = √5, which works
/// out to U(−1/√fan_in, 1/√fan_in); biases use the same bound. Matching it matters:
/// the anchors' accuracies were measured with that start.
public enum Init {
  /// Gain for a nonlinearity (`torch.nn.init.calculate_gain`).
  public static func gain(_ nonlinearity: String, a: Double = 0) -> Double {
    switch nonlinearity {
    case "relu": return 2.0.squareRoot()
    case "leaky_relu": return (2.0 / (1 + a * a)).squareRoot()
    case "tanh": return 5.0 / 3.0
    case "selu": return 3.0 / 4.0
    default: return 1 // linear, conv, sigmoid
    }
  }

  /// Uniform in [low, high).
  public static func uniform(_ count: Int, _ low: Double, _ high: Double, generator: Generator) -> [Float] {
    (0..<count).map { _ in Float(generator.uniform(low, high)) }
  }

  /// Normal with mean and standard deviation.
  public static func normal(_ count: Int, mean: Double = 0, std: Double = 1, generator: Generator) -> [Float] {
    (0..<count).map { _ in Float(mean + std * generator.normal()) }
  }

  /// Kaiming (He) uniform: bound = gain · √(3 / fan).
  public static func kaimingUniform(_ count: Int, fan: Int, a: Double = 0, nonlinearity: String = "leaky_relu",
                                    generator: Generator) -> [Float] {
    let bound = gain(nonlinearity, a: a) * (3.0 / Double(max(fan, 1))).squareRoot()
    return uniform(count, -bound, bound, generator: generator)
  }

  /// Kaiming (He) normal: std = gain / √fan.
  public static func kaimingNormal(_ count: Int, fan: Int, a: Double = 0, nonlinearity: String = "leaky_relu",
                                   generator: Generator) -> [Float] {
    normal(count, std: gain(nonlinearity, a: a) / Double(max(fan, 1)).squareRoot(), generator: generator)
  }

  /// Xavier (Glorot) uniform: bound = gain · √(6 / (fan_in + fan_out)).
  public static func xavierUniform(_ count: Int, fanIn: Int, fanOut: Int, gain g: Double = 1, generator: Generator) -> [Float] {
    let bound = g * (6.0 / Double(max(fanIn + fanOut, 1))).squareRoot()
    return uniform(count, -bound, bound, generator: generator)
  }

  /// Xavier (Glorot) normal: std = gain · √(2 / (fan_in + fan_out)).
  public static func xavierNormal(_ count: Int, fanIn: Int, fanOut: Int, gain g: Double = 1, generator: Generator) -> [Float] {
    normal(count, std: g * (2.0 / Double(max(fanIn + fanOut, 1))).squareRoot(), generator: generator)
  }

  /// PyTorch's default weight init for Linear/Conv: Kaiming-uniform with a = √5.
  public static func torchDefaultWeight(_ count: Int, fanIn: Int, generator: Generator) -> [Float] {
    kaimingUniform(count, fan: fanIn, a: 5.0.squareRoot(), generator: generator)
  }

  /// PyTorch's default bias init for Linear/Conv: U(−1/√fan_in, 1/√fan_in).
  public static func torchDefaultBias(_ count: Int, fanIn: Int, generator: Generator) -> [Float] {
    let b = 1 / Double(max(fanIn, 1)).squareRoot()
    return uniform(count, -b, b, generator: generator)
  }
}
