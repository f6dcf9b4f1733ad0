import CONNX

/// Runs a CONNX call that reports failure through `char **err`, turning the message into
/// an `ONNXError` (and freeing it). `failed` says whether the result means failure.
func connxCall<R>(_ kind: ONNXError.Kind, _ context: @autoclosure () -> String,
                  failed: (R) -> Bool, _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> R) throws -> R {
  var err: UnsafeMutablePointer<CChar>?
  let r = body(&err)
  if failed(r) {
    let message = err.map { String(cString: $0) } ?? "unknown error"
    connx_string_free(err)
    let prefix = context()
    throw ONNXError(kind, prefix.isEmpty ? message : "\(prefix): \(message)")
  }
  connx_string_free(err)
  return r
}

/// The common case: an `int` status, 0 on success.
func connxStatus(_ kind: ONNXError.Kind, _ context: @autoclosure () -> String,
                 _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32) throws {
  _ = try connxCall(kind, context(), failed: { $0 != 0 }, body)
}

/// Calls `body` with NUL-terminated copies of `strings`, as C's `const char *const *`.
func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) throws -> R) rethrows -> R {
  let copies = strings.map { UnsafePointer(strdup($0)) }
  defer { for p in copies { free(UnsafeMutablePointer(mutating: p)) } }
  return try body(copies)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
