import LyraNets

/// LyraPipeline's start-up registrations, after the layers below (`LyraNets.bootstrap()`):
/// the trial executor of kind `lyra.trainer` (`TrialTraining`), which a `lyra worker` needs
/// before it claims its first trial. The registries of this layer (metrics, losses,
/// callbacks, datasets, executors) hold their other built-ins from their first use.
///
/// Idempotent. `LyraLua.bootstrap()` calls it (docs/architecture.md#registries-and-bootstrap);
/// `Pipeline.init` calls it too, for programs (and tests) that use this layer without Lua.
public func bootstrap() {
  LyraNets.bootstrap()
  _ = executorRegistered
}

private let executorRegistered: Void = TrialTraining.registerExecutor()
