import LyraNN
import LyraTensor

/// Modules that describe their wiring as data (`GraphDescribed`: DNet's encoded blocks
/// with add/concat skip links): each step becomes ONNX nodes. The graph is first run
/// natively on the sample input and must reproduce the module's own output, so a
/// description that drifted from `forward` is an error, never a wrong file.
extension ExportContext {
  func emitGraph(_ m: Module, path: String, _ x: Flow) throws -> Flow? {
    guard let g = m as? GraphDescribed else { return nil }
    let steps = g.graph
    func child(_ name: String) throws -> Module {
      guard let c = m.children.first(where: { $0.name == name })?.module else {
        throw ONNXError.invalid("ONNX export: \(m.typeName) at '\(path)': its graph names a child '\(name)' it does not have")
      }
      return c
    }
    func value(_ values: [Flow], _ i: Int) throws -> Flow {
      guard values.indices.contains(i) else {
        throw ONNXError.invalid("ONNX export: \(m.typeName) at '\(path)': its graph reads value \(i) before it exists")
      }
      return values[i]
    }
    // Native check first: the described wiring must give the module's own output.
    var native = [x.sample]
    for s in steps {
      switch s {
      case .child(let n, let i):
        guard native.indices.contains(i) else { throw ONNXError.invalid("ONNX export: \(m.typeName) at '\(path)': its graph reads value \(i) before it exists") }
        native.append(try child(n)(native[i]))
      case .relu(let i): native.append(native[i].relu())
      case .add(let a, let b): native.append(native[a] + native[b])
      case .concat(let ids): native.append(Tensor.cat(ids.map { native[$0] }, dim: 1))
      }
    }
    let want = try m(x.sample)
    guard let got = native.last, got.shape == want.shape,
          got.sub(want).abs().max().item() <= 1e-5 * Swift.max(1, want.abs().max().item()) else {
      throw ONNXError.invalid("ONNX export: \(m.typeName) at '\(path)': its described graph does not reproduce its forward")
    }
    var values = [x]
    for (k, s) in steps.enumerated() {
      let sample = native[k + 1]
      switch s {
      case .child(let n, let i):
        values.append(try emit(try child(n), path: join(path, n), try value(values, i)))
      case .relu(let i):
        values.append(Flow(name: try node("Relu", path: path, inputs: [try value(values, i).name]), sample: sample))
      case .add(let a, let b):
        values.append(Flow(name: try node("Add", path: path, inputs: [try value(values, a).name, try value(values, b).name]), sample: sample))
      case .concat(let ids):
        let names = try ids.map { try value(values, $0).name }
        values.append(Flow(name: try node("Concat", path: path, inputs: names, attributes: [("axis", .int(1))]), sample: sample))
      }
    }
    return values.last
  }
}
