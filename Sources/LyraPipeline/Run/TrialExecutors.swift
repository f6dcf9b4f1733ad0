import Foundation
import LyraBase
import LyraSearch

/// Runs one trial and returns its metrics. May throw (the trial is recorded as failed).
public typealias TrialExecutor = (TrialSpec) throws -> TrialResult

/// Builds a step's executor from the step's stored config.
public typealias TrialExecutorFactory = (JSON) throws -> TrialExecutor

/// The registry of executor kinds: how a worker process, given only the store, builds
/// the function that runs a step's trials. The pipeline registers its trainer; tests
/// use the built-in `test.branin`.
///
/// Why a registry of factories instead of passing closures: workers are separate
/// processes (later, other machines); the only thing they share with the runner is the
/// store, which holds data (the step's kind and config), never code.
public enum TrialExecutors {
  private static let factories = Registry<TrialExecutorFactory>(kind: "trial executor", [("test.branin", BraninExecutor.make)])

  /// Registers (or replaces) the factory for `kind`.
  public static func register(kind: String, make: @escaping TrialExecutorFactory) { factories.register(kind, make) }

  public static var kinds: [String] { factories.names }

  /// The executor for a step of `kind` with `config`.
  public static func make(kind: String, config: JSON) throws -> TrialExecutor {
    guard let f = factories[kind] else { throw StoreError("no trial executor registered for kind \(kind) (known: \(kinds.joined(separator: ", ")))") }
    return try f(config)
  }
}
