import LyraNN
import LyraTensor

/// The updates a CTR network's own parameters get after each backward, besides the dense
/// optimiser's: lazy Adam on the touched rows of its tables, and GRDA on the gates when
/// AutoFIS's first stage searches them (VEGA's AutoGateGrdaS1TrainerCallback: `struc_optim`
/// lr and `c`, `mu`; `net_optim` lr for the rest).
public final class CTRSteps {
  public let network: CTRNetwork
  public let tables: LazyAdam
  public let gates: GRDA?

  /// `grda`: (lr, c, mu) to search the gates with GRDA; nil: the dense optimiser trains them.
  public init(_ network: CTRNetwork, lr: Double, grda: (lr: Double, c: Double, mu: Double)? = nil) throws {
    self.network = network
    tables = LazyAdam([network.embedding, network.linear], lr: lr)
    if let grda, let a = network.alpha {
      gates = try GRDA([a], lr: grda.lr, c: grda.c, mu: grda.mu)
      network.gatesOwnedByGRDA = true
    } else { gates = nil }
  }

  /// After `backward()` (and the dense step): step the gates and the touched rows.
  public func step() {
    if let gates, network.moveGateGradient() {
      gates.step()
      network.alpha?.grad = nil
    }
    tables.step()
  }
}
