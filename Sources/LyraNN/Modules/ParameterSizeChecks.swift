import LyraBase

/// Size checks on a module description's fields, before anything builds the module.
///
/// Why: module initialisers allocate their parameters at once and cannot throw, so a size
/// from a Lua call (`nn.Linear(1e6, 1e6)` asks for 3.6 TiB), a description table
/// (`lyra.nn.build`) or a description file (`lyra.nn.load`) is checked here first. Sizes
/// must be positive integers, strides and dilations at least 1, padding at least 0, and
/// every parameter tensor the module will allocate must pass `CheckedSize`.
public enum ParameterSizeChecks {
  /// Keys whose values are sizes, with the smallest value each accepts.
  static let minimum: [String: Int] = [
    "in_features": 1, "out_features": 1, "in_channels": 1, "out_channels": 1, "num_features": 1,
    "num_embeddings": 1, "embedding_dim": 1, "kernel_size": 1, "output_size": 1, "stride": 1,
    "dilation": 1, "groups": 1, "padding": 0,
  ]

  /// The registry's layer types whose fields this checks (networks and containers have
  /// their own keys, which may mean something else).
  static let leafTypes: Set<String> = ["Linear", "Conv2d", "BatchNorm1d", "BatchNorm2d", "Embedding", "MaxPool2d",
                                       "AvgPool2d", "AdaptiveAvgPool2d", "Zero"]

  /// Every layer object (a `type` in `leafTypes`) in `description` (containers and nested networks included),
  /// checked as `check`; the error names the path (`modules.2.in_features`).
  public static func checkTree(_ description: JSON, path: String = "description") throws {
    switch description {
    case .object(let fields):
      if let type = fields["type"]?.string, leafTypes.contains(type) {
        do { try check(type, fields) } catch let e as DescriptionError { throw DescriptionError("\(path): \(e.message)") }
      }
      for (k, v) in fields.sorted(by: { $0.key < $1.key }) { try checkTree(v, path: "\(path).\(k)") }
    case .array(let items):
      for (i, v) in items.enumerated() { try checkTree(v, path: "\(path).\(i + 1)") }
    default: break
    }
  }

  /// Throws a `DescriptionError` naming the first bad field of `fields` for module `type`.
  public static func check(_ type: String, _ fields: [String: JSON]) throws {
    var ints: [String: [Int]] = [:]
    for (key, least) in minimum {
      guard let v = fields[key] else { continue }
      let values = v.array ?? [v]
      var out: [Int] = []
      for x in values {
        guard let d = x.double, d.isFinite, d == d.rounded(), abs(d) < 9.0e18 else {
          throw DescriptionError("\(key): expected an integer or a pair of integers, got \(x.text)")
        }
        let i = Int(d)
        guard i >= least else { throw DescriptionError("\(key): must be at least \(least), got \(i)") }
        out.append(i)
      }
      ints[key] = out
    }
    func first(_ k: String) -> Int? { ints[k]?.first }
    func pair(_ k: String) -> [Int] { ints[k].map { $0.count == 2 ? $0 : [$0[0], $0[0]] } ?? [1, 1] }
    var parameters: [[Int]] = []
    switch type {
    case "Linear":
      if let i = first("in_features"), let o = first("out_features") { parameters = [[o, i], [o]] }
    case "Conv2d":
      if let i = first("in_channels"), let o = first("out_channels") {
        let g = first("groups") ?? 1
        guard i % g == 0, o % g == 0 else { throw DescriptionError("channels \(i) -> \(o) must divide by groups \(g)") }
        parameters = [[o, i / g] + pair("kernel_size"), [o]]
      }
    case "BatchNorm1d", "BatchNorm2d":
      if let n = first("num_features") { parameters = [[n], [n], [n], [n]] }
    case "Embedding":
      if let n = first("num_embeddings"), let d = first("embedding_dim") { parameters = [[n, d]] }
    default: break
    }
    for shape in parameters {
      do { try CheckedSize.allocation(shape, "\(type) parameter") } catch let e as SizeError { throw DescriptionError(e.description) }
    }
  }
}
