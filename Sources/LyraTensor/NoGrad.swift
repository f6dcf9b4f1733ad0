#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-thread depth of `Tensor.noGrad` scopes.
///
/// Why thread-local: a data loader or worker thread evaluating without gradients must not
/// switch recording off for the training thread.
enum GradMode {
  static let key: pthread_key_t = {
    var k = pthread_key_t()
    pthread_key_create(&k, nil)
    return k
  }()

  @inline(__always)
  static var depth: Int {
    get { Int(bitPattern: pthread_getspecific(key)) }
    set { pthread_setspecific(key, UnsafeRawPointer(bitPattern: newValue)) }
  }
}

extension Tensor {
  /// Whether ops on this thread record onto the tape.
  public static var isGradEnabled: Bool { GradMode.depth == 0 }

  /// Runs `body` without recording any op (evaluation, optimiser steps, initialisation).
  @discardableResult
  public static func noGrad<T>(_ body: () throws -> T) rethrows -> T {
    GradMode.depth += 1
    defer { GradMode.depth -= 1 }
    return try body()
  }
}
