/// A load-time rewrite: a BatchNormalization that only normalises a Conv's output (the
/// conv → BN pattern of every exported CNN) is folded into the convolution's weights and
/// bias, as Lyra's native `Sequential` does in inference. The result equals the two
/// operators up to float rounding and costs one kernel instead of two sweeps.
///
/// Only constant parameters are folded (initialisers), and new initialisers are written,
/// since the originals may be shared by other nodes.
enum FoldBatchNorm {
  static func apply(_ graph: ONNXGraph) -> ONNXGraph {
    var g = graph
    var initializers: [String: ONNXTensorData] = [:]
    for t in g.initializers { initializers[t.name] = t }
    var readers: [String: Int] = [:]
    for n in g.nodes { for i in n.inputs where !i.isEmpty { readers[i, default: 0] += 1 } }
    for o in g.outputs { readers[o.name, default: 0] += 1 }
    var producer: [String: Int] = [:]
    for (k, n) in g.nodes.enumerated() { for o in n.outputs where !o.isEmpty { producer[o] = k } }
    var removed = Set<Int>()
    var taken = Set(initializers.keys).union(g.nodes.flatMap(\.outputs)).union(g.inputs.map(\.name))

    for (j, bn) in g.nodes.enumerated() where bn.opType == "BatchNormalization" && ONNXModel.isDefaultDomain(bn.domain) {
      guard bn.inputs.count == 5, bn.outputs.filter({ !$0.isEmpty }).count == 1, bn.outputs.first?.isEmpty == false,
            Set(bn.attributes.keys).isSubset(of: ["epsilon", "momentum"]),
            let i = producer[bn.inputs[0]], !removed.contains(i), readers[bn.inputs[0]] == 1 else { continue }
      let conv = g.nodes[i]
      guard conv.opType == "Conv", ONNXModel.isDefaultDomain(conv.domain), conv.outputs.count == 1,
            conv.inputs.count >= 2, let w = initializers[conv.inputs[1]], case .floats(let wv) = w.values,
            let m = w.dims.first, m > 0, wv.count % m == 0 else { continue }
      let params = bn.inputs[1...].compactMap { name -> [Float]? in
        guard let t = initializers[name], case .floats(let v) = t.values, v.count == m, t.dims == [m] else { return nil }
        return v
      }
      guard params.count == 4 else { continue }
      var bias = [Float](repeating: 0, count: m)
      if conv.inputs.count > 2, !conv.inputs[2].isEmpty {
        guard let b = initializers[conv.inputs[2]], case .floats(let bv) = b.values, bv.count == m else { continue }
        bias = bv
      }
      var eps: Float = 1e-5
      if case .float(let e)? = bn.attributes["epsilon"] { eps = e }
      let (gamma, beta, mean, variance) = (params[0], params[1], params[2], params[3])
      let per = wv.count / m
      var folded = wv, newBias = bias
      for c in 0..<m {
        let s = Double(gamma[c]) / (Double(variance[c]) + Double(eps)).squareRoot()
        for k in 0..<per { folded[c * per + k] = Float(Double(wv[c * per + k]) * s) }
        newBias[c] = Float((Double(bias[c]) - Double(mean[c])) * s + Double(beta[c]))
      }
      func fresh(_ base: String) -> String {
        var name = base, k = 1
        while taken.contains(name) { name = "\(base)_\(k)"; k += 1 }
        taken.insert(name)
        return name
      }
      let wName = fresh(conv.inputs[1] + "_bn_folded"), bName = fresh((conv.name.isEmpty ? conv.outputs[0] : conv.name) + "_bias_bn_folded")
      initializers[wName] = ONNXTensorData(name: wName, dataType: .float, dims: w.dims, values: .floats(folded))
      initializers[bName] = ONNXTensorData(name: bName, dataType: .float, dims: [m], values: .floats(newBias))
      g.initializers += [initializers[wName]!, initializers[bName]!]
      var fused = conv
      fused.inputs = [conv.inputs[0], wName, bName]
      fused.outputs = [bn.outputs[0]]
      g.nodes[j] = fused
      removed.insert(i)
    }
    g.nodes = g.nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
    return g
  }
}
