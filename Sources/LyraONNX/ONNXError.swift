/// What went wrong with an ONNX model, file or operator, in words that name it.
///
/// `kind` separates "Lyra does not implement this" (an operator, attribute or element
/// type outside the supported set) from a model that is actually broken, so callers such
/// as the conformance suite can skip the first and fail on the second.
public struct ONNXError: Error, CustomStringConvertible, Equatable {
  public enum Kind: String, Sendable {
    /// The model or file is malformed, or the inputs do not fit it.
    case invalid
    /// Valid ONNX that Lyra does not support (operator, attribute value, element type).
    case unsupported
    /// `onnx::checker` or shape inference rejected the model.
    case check
    /// A file could not be read or written.
    case io
  }

  public var kind: Kind
  public var message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { message }

  static func invalid(_ message: String) -> ONNXError { ONNXError(.invalid, message) }
  static func unsupported(_ message: String) -> ONNXError { ONNXError(.unsupported, message) }
}
