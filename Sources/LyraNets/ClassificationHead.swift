import LyraNN

/// VEGA's `LinearClassificationHead {base_channel, num_classes}`: global average pooling,
/// flatten, one linear layer — the head VEGA's configs put after a backbone that has none
/// (`modules: [backbone, head]` with `ResNetGeneral` in the prune and quantisation
/// examples). The parts keep VEGA's names (`avgpool`, `view`, `linear`), so a VEGA state
/// dict maps onto them by name. `num_class` is accepted for `num_classes`.
enum ClassificationHead {
  static func build(_ r: DescriptionReader) throws -> Module {
    let channels = try r.width("base_channel", 64)
    if r.object["num_classes"] != nil, r.object["num_class"] != nil {
      throw DescriptionError("\(r.path): give num_classes or num_class, not both")
    }
    let classes = try r.width(r.object["num_class"] != nil ? "num_class" : "num_classes", 10)
    try r.checkParameters([classes, channels], "weight [num_classes, base_channel]")
    return Network(type: "LinearClassificationHead", desc: .object(r.object), parts: [
      ("avgpool", AdaptiveAvgPool2d(1)), ("view", Flatten()), ("linear", Linear(channels, classes)),
    ])
  }
}
