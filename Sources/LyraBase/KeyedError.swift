/// An error about one config key: the key it concerns and what is wrong with it.
///
/// Why a type and not text: a layer that reports a bad config value wants the key's line
/// in the YAML file, so it needs the key itself. Recovering it by cutting the error text at
/// the first ':' broke on every message whose text held a colon elsewhere (file paths,
/// `Conv2d: ...`), and doubled the text of messages that named no key at all.
public struct KeyedError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The dotted config key (`search.trainer.epochs`).
  public var key: String
  /// What is wrong, without the key.
  public var message: String

  public init(_ key: String, _ message: String) {
    self.key = key
    self.message = message
  }

  /// `key: message`, the form every config error is shown in.
  public var description: String { "\(key): \(message)" }
}
