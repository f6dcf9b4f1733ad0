/// A `.pth` file that cannot be read or that asks for something a weights-only reader
/// refuses: names the file and the problem (the opcode, the global, the entry).
public struct PthError: Error, CustomStringConvertible {
  public var file: String
  public var problem: String
  public init(file: String, _ problem: String) { self.file = file; self.problem = problem }
  public var description: String { "\(file): \(problem)" }
}
