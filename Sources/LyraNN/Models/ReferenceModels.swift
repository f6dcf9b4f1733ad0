import LyraBase
import LyraTensor

/// The three reference models described in docs/architecture.md#reference-models-and-benchmark-problems, built exactly as specified, so
/// their speed and accuracy can be compared with PyTorch's on the same machine.
public enum ReferenceModels {
  /// Flatten(784) → Linear(784, 256) + ReLU → Linear(256, 128) + ReLU → Linear(128, 10). 235,146 parameters.
  public static func mlp(generator: Generator? = nil) -> Sequential {
    Sequential([Flatten(), Linear(784, 256, generator: generator), ReLU(), Linear(256, 128, generator: generator), ReLU(),
                Linear(128, 10, generator: generator)])
  }

  /// Two conv-BN-ReLU-pool stages and a two-layer head. 421,738 parameters.
  public static func cnn(generator: Generator? = nil) -> Sequential {
    Sequential([
      Conv2d(1, 32, 3, padding: 1, bias: false, generator: generator), BatchNorm2d(32), ReLU(), MaxPool2d(2),
      Conv2d(32, 64, 3, padding: 1, bias: false, generator: generator), BatchNorm2d(64), ReLU(), MaxPool2d(2),
      Flatten(), Linear(3136, 128, generator: generator), ReLU(), Linear(128, 10, generator: generator),
    ])
  }

  /// ResNet's BasicBlock: ReLU(BN(conv(ReLU(BN(conv(x))))) + shortcut(x)).
  public static func basicBlock(_ cin: Int, _ cout: Int, stride: Int, generator: Generator? = nil) -> Sequential {
    let body = Sequential([
      Conv2d(cin, cout, 3, stride: stride, padding: 1, bias: false, generator: generator), BatchNorm2d(cout), ReLU(),
      Conv2d(cout, cout, 3, padding: 1, bias: false, generator: generator), BatchNorm2d(cout),
    ])
    let shortcut: Module = stride == 1 && cin == cout ? Identity()
      : Sequential([Conv2d(cin, cout, 1, stride: stride, bias: false, generator: generator), BatchNorm2d(cout)])
    return Sequential([Add([body, shortcut]), ReLU()])
  }

  /// Stem, three stages of two BasicBlocks (16, 32, 64 channels), global pool, Linear. 174,970 parameters.
  public static func resnetMini(generator: Generator? = nil) -> Sequential {
    Sequential([
      Conv2d(1, 16, 3, padding: 1, bias: false, generator: generator), BatchNorm2d(16), ReLU(),
      basicBlock(16, 16, stride: 1, generator: generator), basicBlock(16, 16, stride: 1, generator: generator),
      basicBlock(16, 32, stride: 2, generator: generator), basicBlock(32, 32, stride: 1, generator: generator),
      basicBlock(32, 64, stride: 2, generator: generator), basicBlock(64, 64, stride: 1, generator: generator),
      AdaptiveAvgPool2d(1), Flatten(), Linear(64, 10, generator: generator),
    ])
  }

  /// By name, for benchmarks and configs: "mlp", "cnn", "resnet_mini".
  public static func named(_ name: String, generator: Generator? = nil) -> Sequential? {
    switch name.lowercased().replacingOccurrences(of: "-", with: "_") {
    case "mlp": return mlp(generator: generator)
    case "cnn": return cnn(generator: generator)
    case "resnet_mini", "resnetmini": return resnetMini(generator: generator)
    default: return nil
    }
  }
}
