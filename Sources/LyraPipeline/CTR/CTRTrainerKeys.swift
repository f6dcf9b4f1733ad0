import LyraBase

/// The trainer keys of VEGA's AutoFIS configs (examples/nas/fis/autogate_grda.yml):
/// `c` and `mu` (GRDA's sparsity constants), `struc_optim: {struct_lr}` (GRDA's rate for
/// the gates), `net_optim: {net_lr}` (Adam's rate for everything else: Lyra sets the
/// optimiser's and the sparse tables' rate from it), and Lyra's `gate_warmup_epochs`
/// (epochs with every gate open before the GRDA search; `AutoFIS.warmupEpochs` says why).
public struct CTRTrainerKeys: Equatable {
  public var c = 0.0004
  public var mu = 0.8
  public var structLR = 1.0
  public var netLR: Double?
  public var gateWarmupEpochs = 0

  /// Reads the keys from a trainer section's reader (nil when none is given).
  static func read(_ r: ParamReader, path: String) throws -> CTRTrainerKeys? {
    let keys = ["c", "mu", "struc_optim", "net_optim", "gate_warmup_epochs"]
    guard keys.contains(where: { r.raw($0) != nil }) else { return nil }
    var k = CTRTrainerKeys()
    k.c = try r.double("c", k.c)
    guard k.c >= 0 else { throw TrainerError.config(key: "\(path).c", "must be ≥ 0, got \(k.c)") }
    k.mu = try r.double("mu", k.mu)
    guard k.mu > 0 && k.mu < 1 else { throw TrainerError.config(key: "\(path).mu", "must be in (0, 1) (GRDA's threshold grows as n^mu), got \(k.mu)") }
    let s = try ParamReader(r.raw("struc_optim"), path: "\(path).struc_optim")
    k.structLR = try s.double("struct_lr", k.structLR)
    try s.finish()
    guard k.structLR > 0 else { throw TrainerError.config(key: "\(path).struc_optim.struct_lr", "must be positive, got \(k.structLR)") }
    let n = try ParamReader(r.raw("net_optim"), path: "\(path).net_optim")
    k.netLR = try n.optionalDouble("net_lr")
    try n.finish()
    if let l = k.netLR, !(l > 0) { throw TrainerError.config(key: "\(path).net_optim.net_lr", "must be positive, got \(l)") }
    k.gateWarmupEpochs = try r.int("gate_warmup_epochs", 0, min: 0)
    return k
  }
}
