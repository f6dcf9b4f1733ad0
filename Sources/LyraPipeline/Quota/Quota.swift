/// A sample filter as VEGA's `general.quota`: `flops < 0.6 and params in [100, 500] and
/// latency < 5 and model_valid`, checked on a model description before any training.
///
/// Units are VEGA's (vega/quota/flops_params.py, latency.py): `flops` in G
/// multiply-adds (VEGA's thop counts MACs and calls them FLOPs; ×1e-9), `params` in
/// thousands (×1e-3), `latency` (alias `host_latency`) in milliseconds per forward of
/// one sample on this host. `model_valid` only requires that the description builds and
/// runs; `runtime < h` is kept as a limit for the pipeline, not a sample test.
///
/// Comparisons: `<` and `>` are strict as in VEGA, `<=`/`>=` inclusive, and
/// `in [a, b]` is the closed interval the brackets say (VEGA tests it strictly; on
/// real-valued counts the two differ only at the end points). `device_latency` and
/// `affinity` need evaluators Lyra does not have and are rejected, not ignored.
public struct Quota: Equatable {
  /// A measured quantity a clause constrains.
  public enum Quantity: String, CaseIterable {
    case flops, params, latency
  }

  /// One `quantity op bound` or `quantity in [lo, hi]` clause.
  public struct Clause: Equatable, CustomStringConvertible {
    public var quantity: Quantity
    public var lower: Double
    public var upper: Double
    public var lowerInclusive: Bool
    public var upperInclusive: Bool

    public func admits(_ v: Double) -> Bool {
      (lowerInclusive ? v >= lower : v > lower) && (upperInclusive ? v <= upper : v < upper)
    }

    public var description: String {
      if lower == -.infinity { return "\(quantity.rawValue) \(upperInclusive ? "<=" : "<") \(upper)" }
      if upper == .infinity { return "\(quantity.rawValue) \(lowerInclusive ? ">=" : ">") \(lower)" }
      return "\(quantity.rawValue) in [\(lower), \(upper)]"
    }
  }

  public var clauses: [Clause]
  /// `model_valid`: the description must build and run a forward pass.
  public var modelValid: Bool
  /// `runtime < h`: a limit for the pipeline (hours, as VEGA), not a sample test.
  public var runtime: Double?
  /// The text it was parsed from.
  public var expression: String

  /// Parses an expression; an empty one admits everything.
  public init(_ expression: String) throws {
    self.expression = expression
    var parser = try QuotaParser(expression)
    (clauses, modelValid, runtime) = try parser.parse()
  }

  /// What a clause needs measured.
  public var needs: Set<Quantity> { Set(clauses.map(\.quantity)) }

  /// The first clause that `m` violates, or nil when all hold. A quantity the clauses
  /// need but `m` lacks counts as a violation (nothing passes unmeasured).
  public func violation(_ m: QuotaMeasurements) -> Clause? {
    clauses.first { c in
      guard let v = m.value(c.quantity) else { return true }
      return !c.admits(v)
    }
  }

  public func admits(_ m: QuotaMeasurements) -> Bool { violation(m) == nil }
}

/// What a quota tests, in the quota's units (G MACs, K parameters, ms).
public struct QuotaMeasurements: Equatable {
  public var flops: Double?
  public var params: Double?
  public var latency: Double?

  public init(flops: Double? = nil, params: Double? = nil, latency: Double? = nil) {
    self.flops = flops
    self.params = params
    self.latency = latency
  }

  public func value(_ q: Quota.Quantity) -> Double? {
    switch q {
    case .flops: return flops
    case .params: return params
    case .latency: return latency
    }
  }
}
