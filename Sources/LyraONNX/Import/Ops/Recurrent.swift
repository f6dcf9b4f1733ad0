import LyraTensor

/// RNN, LSTM and GRU: forward direction, layout 0 (X [T, N, I]) or 1 ([N, T, I]), the default activations
/// (RNN Tanh or Relu; LSTM's and GRU's Sigmoid/Tanh), no sequence_lens, clip or peepholes; what Lyra's
/// exporter writes (ExportRecurrent.swift). Gates in ONNX's order: LSTM i o f c, GRU z r h.
///
/// Every weight is checked against `hidden_size` and the input before anything is
/// allocated, and the outputs' sizes are bounded (a hostile hidden_size cannot allocate).
enum RecurrentOps {
  static let table: [String: ONNXKernel] = [
    "RNN": { try run($0, gates: 1) },
    "GRU": { try run($0, gates: 3) },
    "LSTM": { try run($0, gates: 4) },
  ]

  static func run(_ call: OpCall, gates: Int) throws -> [Tensor] {
    let lstm = gates == 4, gru = gates == 3
    let known: [String] = ["hidden_size", "direction", "layout", "activations"] + (gru ? ["linear_before_reset"] : []) + (lstm ? ["input_forget"] : [])
    try call.expectAttributes(Set(known))
    try call.expectOutputs(lstm ? 3 : 2)
    let direction = try call.string("direction", "forward")
    guard direction == "forward" else { throw ONNXError.unsupported("direction '\(direction)' (Lyra runs forward recurrences)") }
    let layout = try call.int("layout", 0)
    guard layout == 0 || layout == 1 else { throw ONNXError.invalid("attribute 'layout' must be 0 or 1, got \(layout)") }
    let batchMajor = layout == 1
    if lstm, try call.int("input_forget", 0) != 0 { throw ONNXError.unsupported("input_forget = 1") }
    // Activations: RNN's one function (Tanh or Relu); LSTM's and GRU's only their defaults.
    var reluRNN = false
    if let given = try call.strings("activations") {
      let names = given.map { $0.lowercased() }
      let defaults = lstm ? ["sigmoid", "tanh", "tanh"] : gru ? ["sigmoid", "tanh"] : ["tanh"]
      if gates == 1 && names == ["relu"] {
        reluRNN = true
      } else if names != defaults {
        throw ONNXError.unsupported("attribute 'activations' \(given) (Lyra runs \(gates == 1 ? "[Tanh] or [Relu]" : "the defaults \(defaults)"), forward only)")
      }
    }
    let beforeReset = gru ? try call.int("linear_before_reset", 0) : 0
    guard beforeReset == 0 || beforeReset == 1 else { throw ONNXError.invalid("attribute 'linear_before_reset' must be 0 or 1, got \(beforeReset)") }
    if call.optionalInput(4) != nil { throw ONNXError.unsupported("input 4 (sequence_lens)") }
    if lstm, call.optionalInput(7) != nil { throw ONNXError.unsupported("input 7 (peephole weights P)") }

    let given = try call.float(0), w = try call.float(1), r = try call.float(2)
    let x = batchMajor && given.rank == 3 ? given.transpose(0, 1) : given
    guard x.rank == 3, x.shape.allSatisfy({ $0 > 0 }) else { throw ONNXError.invalid("X must be a non-empty [T, N, I], got \(x.shape)") }
    let (steps, batch, inputSize) = (x.shape[0], x.shape[1], x.shape[2])
    guard r.rank == 3, r.shape[0] == 1, r.shape[1] % gates == 0, r.shape[1] > 0 else {
      throw ONNXError.invalid("R must be [1, \(gates)·hidden_size, hidden_size], got \(r.shape)")
    }
    let h = r.shape[1] / gates
    if let declared = try call.optionalInt("hidden_size"), declared != h {
      throw ONNXError.invalid("attribute 'hidden_size' \(declared) does not match R \(r.shape)")
    }
    guard r.shape[2] == h else { throw ONNXError.invalid("R must be [1, \(gates * h), \(h)], got \(r.shape)") }
    guard w.shape == [1, gates * h, inputSize] else { throw ONNXError.invalid("W must be [1, \(gates * h), \(inputSize)] for X \(x.shape), got \(w.shape)") }
    let bias = try call.optionalInput(3).map { b -> Tensor in
      guard b.dtype == .float32, b.shape == [1, 2 * gates * h] else { throw ONNXError.invalid("B must be [1, \(2 * gates * h)], got \(b.shape)") }
      return b.contiguous().reshape([2 * gates * h])
    }
    func state(_ k: Int) throws -> Tensor {
      guard let t = call.optionalInput(k) else { return Tensor.zeros([batch, h]) }
      let want = batchMajor ? [batch, 1, h] : [1, batch, h]
      guard t.dtype == .float32, t.shape == want else { throw ONNXError.invalid("input \(k) must be \(want), got \(t.shape)") }
      return t.contiguous().reshape([batch, h])
    }
    try SizeMath.allocation([steps, batch, gates * h], "the input projections")
    try SizeMath.allocation([steps, 1, batch, h], "the output Y")

    let wb = bias?.narrow(0, 0, gates * h), rb = bias?.narrow(0, gates * h, gates * h)
    let projected = Tensor.linear(x.contiguous().reshape([steps * batch, inputSize]), w.squeeze(0).contiguous(), wb?.contiguous())
      .reshape([steps, batch, gates * h])
    let rw = r.squeeze(0).contiguous(), rbc = rb?.contiguous()
    var hidden = try state(5), cell = lstm ? try state(6) : nil
    var outputs: [Tensor] = []
    outputs.reserveCapacity(steps)
    for t in 0..<steps {
      let xp = projected.select(0, t)
      let hp = Tensor.linear(hidden, rw, rbc)
      func gate(_ k: Int, _ of: Tensor) -> Tensor { of.narrow(1, k * h, h) }
      switch gates {
      case 4:
        let z = xp + hp
        let i = gate(0, z).sigmoid(), o = gate(1, z).sigmoid(), f = gate(2, z).sigmoid(), c = gate(3, z).tanh()
        cell = f * cell! + i * c
        hidden = o * cell!.tanh()
      case 3:
        let zg = (gate(0, xp) + gate(0, hp)).sigmoid(), rg = (gate(1, xp) + gate(1, hp)).sigmoid()
        let candidate: Tensor
        if beforeReset == 1 {
          candidate = (gate(2, xp) + rg * gate(2, hp)).tanh()
        } else {
          let rh = Tensor.linear(rg * hidden, rw.narrow(0, 2 * h, h).contiguous(), rbc?.narrow(0, 2 * h, h).contiguous())
          candidate = (gate(2, xp) + rh).tanh()
        }
        hidden = candidate + zg * (hidden - candidate)
      default:
        hidden = reluRNN ? (xp + hp).relu() : (xp + hp).tanh()
      }
      outputs.append(hidden)
    }
    let y = Tensor.stack(outputs, dim: 0).unsqueeze(1)  // [T, 1, N, H]
    var result = [y, hidden.unsqueeze(0)]
    if let cell { result.append(cell.unsqueeze(0)) }
    // layout 1: Y [N, T, 1, H], the states [N, 1, H].
    return batchMajor ? [y.permute([2, 0, 1, 3]).contiguous()] + result.dropFirst().map { $0.transpose(0, 1).contiguous() } : result
  }
}
