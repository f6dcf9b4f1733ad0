import LyraNN

/// VEGA network types that exist only for its TensorFlow backend, named here so a config
/// that uses one is told what it is and what to use instead, rather than "unknown network
/// type".
///
/// `ResNetSlim` is TF-slim's `resnet_v1_N` (VEGA's `vega/networks/tensorflow/resnet_tf.py`),
/// used by the `*_finetune_tf.yml` examples together with a TensorFlow `.ckpt` checkpoint,
/// which Lyra does not read. Its PyTorch counterpart in those examples' `_ms`/torch twins is
/// `ResNet`, which Lyra builds and whose torchvision `.pth` weights it loads.
enum TensorFlowOnlyNetworks {
  static let builders: [(String, NetworkRegistry.Builder)] = [
    ("ResNetSlim", { r in
      throw DescriptionError("\(r.path): ResNetSlim is VEGA's TensorFlow-slim ResNet v1 (backend: tensorflow, weights from a "
        + "TensorFlow .ckpt), which Lyra does not build; use type: ResNet with the same depth (PyTorch layout; a torchvision "
        + ".pth loads into it)")
    }),
  ]
}
