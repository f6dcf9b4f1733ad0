/// Where a tensor's storage lives.
///
/// Only the CPU exists today; every tensor carries its device so a GPU backend can be
/// added behind the same ops without touching modules or algorithms.
public enum Device: Equatable, Sendable, CustomStringConvertible {
  case cpu
  public var description: String {
    switch self { case .cpu: return "cpu" }
  }
}
