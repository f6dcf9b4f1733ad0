/// LyraNets' start-up registrations: the network types whose built `Network` describes
/// itself by its type (ResNet, ResNetGeneral, DNet, MobileNetV2, Network) go into LyraNN's
/// `ModuleRegistry`, so `Checkpoint.load` and `ModuleRegistry.build` rebuild them.
///
/// Why an entry point: LyraNN cannot import LyraNets, so the lower registry learns these
/// types only when this layer tells it. Idempotent and cheap after the first call;
/// `LyraPipeline.bootstrap()` calls it (docs/architecture.md#registries-and-bootstrap), and
/// `NetworkRegistry.build` / `register` call it too, for programs that use this layer alone.
public func bootstrap() {
  _ = NetworkRegistry.installedModuleTypes
}
