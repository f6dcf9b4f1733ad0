import LyraBase
import LyraTensor

extension Module {
  /// Registers `weight` of `shape` and, with `bias`, a bias of `outputs`, initialised as
  /// PyTorch initialises its linear and convolution layers (Kaiming-uniform with a = √5,
  /// bias U(±1/√fan_in)): what Conv1d, Conv2d and ConvTranspose2d share.
  func registerTorchDefault(weight shape: [Int], fanIn: Int, bias: Bool, outputs: Int, generator: Generator?) {
    let g = generator ?? Tensor.defaultGenerator
    register(parameter: "weight", Tensor(Init.torchDefaultWeight(shape.reduce(1, *), fanIn: fanIn, generator: g), shape: shape))
    if bias { register(parameter: "bias", Tensor(Init.torchDefaultBias(outputs, fanIn: fanIn, generator: g))) }
  }
}
