import LyraPipeline

/// The one start-up call of a program built on Lyra: every layer's registrations, top
/// down (`LyraPipeline.bootstrap()`, which calls `LyraNets.bootstrap()`). The `lyra`
/// command calls it first thing, and `LyraHost.init` calls it for the hosts made without
/// the command (notebooks, the fuzzer, tests). Idempotent.
/// What registers where: docs/architecture.md#registries-and-bootstrap.
public func bootstrap() {
  LyraPipeline.bootstrap()
  ScriptRunnerLua.install() // `trainer: {type: ScriptRunner}` runs Lua scripts
}
