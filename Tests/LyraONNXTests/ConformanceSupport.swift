import Foundation
import LyraONNX
import LyraTensor

/// Runs one ONNX backend test directory (`model.onnx` + `test_data_set_*/input_*.pb,
/// output_*.pb`) through the importer, as ONNX's own backend runner does.
enum BackendCase {
  enum Outcome {
    case passed(ops: [String])
    case failed(String)
    case skipped(String)
  }

  /// ONNX's backend tests compare with rtol 1e-3; the absolute floor is the brief's 1e-5.
  static let rtol: Float = 1e-3, atol: Float = 1e-5

  static func run(_ dir: String) -> Outcome {
    let proto: ONNXProtoModel
    do { proto = try ONNXProtoModel(path: dir + "/model.onnx") } catch { return .failed("cannot parse: \(error)") }
    let missing = proto.operatorTypes.filter { !ONNXModel.supportedOperators.contains($0) }
    if !missing.isEmpty { return .skipped("unsupported operator \(missing.joined(separator: ", "))") }
    let model: ONNXModel
    do { model = try ONNXModel(proto: proto) } catch let e as ONNXError where e.kind == .unsupported {
      return .skipped(e.message)
    } catch { return .failed("cannot import: \(error)") }
    let sets = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix("test_data_set_") }.sorted()
    if sets.isEmpty { return .skipped("no test data sets") }
    for set in sets {
      let path = dir + "/" + set
      do {
        let inputs = try numbered(path, "input").map(ONNXTensorData.load)
        let expected = try numbered(path, "output").map(ONNXTensorData.load)
        for t in inputs + expected where !t.dataType.isSupportedByRuntime {
          return .skipped("element type \(t.dataType)")
        }
        guard inputs.count <= model.graph.inputs.count else { return .failed("\(set): more input files than graph inputs") }
        var feeds: [String: Tensor] = [:]
        for (k, t) in inputs.enumerated() { feeds[model.graph.inputs[k].name] = t.tensor() }
        let outputs = try model.run(feeds)
        for (k, want) in expected.enumerated() {
          guard k < model.outputs.count, let got = outputs[model.outputs[k].name] else { return .failed("\(set): output \(k) missing") }
          if let problem = compare(got, want) { return .failed("\(set) output \(k) ('\(model.outputs[k].name)'): \(problem)") }
        }
      } catch let e as ONNXError where e.kind == .unsupported {
        return .skipped(e.message)
      } catch {
        return .failed("\(set): \(error)")
      }
    }
    return .passed(ops: proto.operatorTypes)
  }

  /// `input_0.pb, input_1.pb, ...` in numeric order.
  static func numbered(_ dir: String, _ prefix: String) throws -> [String] {
    var out: [String] = []
    while FileManager.default.fileExists(atPath: "\(dir)/\(prefix)_\(out.count).pb") { out.append("\(dir)/\(prefix)_\(out.count).pb") }
    return out
  }

  /// nil when `got` matches `want` (same shape; floats within tolerance, NaN matching NaN; integers exact).
  static func compare(_ got: Tensor, _ want: ONNXTensorData) -> String? {
    guard got.shape == want.dims else { return "shape \(got.shape), expected \(want.dims)" }
    switch want.values {
    case .floats(let w):
      guard got.dtype == .float32 else { return "got integers, expected floats" }
      let g = got.contiguous().toArray()
      for i in 0..<w.count {
        if w[i].isNaN && g[i].isNaN { continue }
        if w[i] == g[i] { continue }  // also equal infinities
        if !(Swift.abs(g[i] - w[i]) <= atol + rtol * Swift.abs(w[i])) { return "element \(i) is \(g[i]), expected \(w[i])" }
      }
    case .ints(let w):
      guard got.dtype == .int32 else { return "got floats, expected integers" }
      let g = got.toIntArray()
      for i in 0..<w.count where Int64(g[i]) != w[i] { return "element \(i) is \(g[i]), expected \(w[i])" }
    }
    return nil
  }
}
