import LyraBase
import LyraNN

/// A trainer callback with VEGA's hooks (vega/trainer/callbacks/callback.py), called in
/// ascending `priority` (ties in the order added). Subclass and override what you need;
/// every hook may throw, which stops the trial with that error.
///
/// Why a class rather than closures: a callback keeps state across hooks (a running
/// average, a best value), and Lua can subclass it through one bridge object.
open class TrainerCallback {
  /// VEGA's default priority for user callbacks is 100: before the built-in ones (200+).
  open var priority: Int { 100 }
  /// The name it is registered under (for logs and the order test).
  open var name: String { String(describing: type(of: self)) }
  /// Set by the trainer before `initTrainer`.
  public internal(set) weak var trainer: Trainer?

  public init() {}

  open func initTrainer() throws {}
  open func beforeTrain() throws {}
  open func beforeEpoch(_ epoch: Int) throws {}
  open func beforeTrainStep(_ step: Int) throws {}
  open func afterTrainStep(_ step: Int) throws {}
  open func beforeValid() throws {}
  open func beforeValidStep(_ step: Int) throws {}
  open func afterValidStep(_ step: Int) throws {}
  open func afterValid() throws {}
  open func afterEpoch(_ epoch: Int) throws {}
  open func afterTrain() throws {}
}

/// User callbacks by name (`trainer.callbacks: [MyCallback]`), VEGA's
/// ClassFactory for `ClassType.CALLBACK`: Lua registers a factory, a config names it.
public enum CallbackRegistry {
  public typealias Factory = () throws -> TrainerCallback
  /// VEGA's callback names are built in (VegaCallbackNames); Lua adds its own.
  static let factories = Registry<Factory>(kind: "callback", VegaCallbackNames.factories)

  public static func register(_ name: String, _ factory: @escaping Factory) { factories.register(name, factory) }
  public static func unregister(_ name: String) { factories.unregister(name) }
  public static var names: [String] { factories.names }

  public static func make(_ name: String, path: String = "trainer.callbacks") throws -> TrainerCallback {
    try factories.lookup(name) { TrainerError.config(key: path, $0) }()
  }
}
