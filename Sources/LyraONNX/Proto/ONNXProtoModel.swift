import CONNX
import Foundation

/// An ONNX model held as libonnx's `ModelProto` (through CONNX): what the exporter builds
/// and the importer walks, and what `onnx::checker` and shape inference look at.
///
/// A class because it owns a C++ object; it is freed with the last reference.
public final class ONNXProtoModel {
  let handle: OpaquePointer

  init(handle: OpaquePointer) { self.handle = handle }
  deinit { connx_model_free(handle) }

  /// An empty model importing the default ONNX domain at `opset`.
  public convenience init(opset: Int, irVersion: Int, producer: String, producerVersion: String, graphName: String) throws {
    let h = try connxCall(.invalid, "creating an ONNX model", failed: { $0 == nil }) {
      connx_model_create(Int64(irVersion), Int64(opset), producer, producerVersion, graphName, $0)
    }
    self.init(handle: h!)
  }

  /// Parses a serialised model.
  public convenience init(data: Data) throws {
    let h = try data.withUnsafeBytes { raw in
      try connxCall(.invalid, "", failed: { $0 == nil }) { connx_model_parse(raw.baseAddress, raw.count, $0) }
    }
    self.init(handle: h!)
  }

  /// Reads and parses a `.onnx` file.
  public convenience init(path: String) throws {
    guard FileManager.default.isReadableFile(atPath: path) else { throw ONNXError(.io, "\(path): cannot read the file") }
    let h = try connxCall(.invalid, "", failed: { $0 == nil }) { connx_model_load(path, $0) }
    self.init(handle: h!)
  }

  /// The serialised model.
  public func serialized() throws -> Data {
    var count = 0
    let p = try connxCall(.invalid, "serialising the ONNX model", failed: { $0 == nil }) { connx_model_serialize(handle, &count, $0) }
    defer { connx_bytes_free(p) }
    return Data(bytes: p!, count: count)
  }

  /// Writes the model atomically (a temporary file renamed into place), so a failure
  /// never leaves a half-written `.onnx` behind.
  public func write(to path: String) throws {
    let data = try serialized()
    do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
      throw ONNXError(.io, "\(path): cannot write the model (\(error.localizedDescription))")
    }
  }

  /// `onnx::checker::check_model`; `full` adds strict shape inference with type checks.
  public func check(full: Bool = true) throws {
    try connxStatus(.check, "onnx checker") { connx_model_check(handle, full ? 1 : 0, $0) }
  }

  /// Runs ONNX shape inference in place (results appear in `valueInfo` and the outputs).
  public func inferShapes(strict: Bool = true) throws {
    try connxStatus(.check, "onnx shape inference") { connx_model_infer_shapes(handle, strict ? 1 : 0, $0) }
  }

  public var irVersion: Int { Int(connx_model_ir_version(handle)) }
  public var producer: String { String(cString: connx_model_producer(handle)) }
  public var graphName: String { String(cString: connx_graph_name(handle)) }

  /// Imported operator sets by domain ("" is the default ai.onnx domain).
  public var opsets: [String: Int] {
    var out: [String: Int] = [:]
    for i in 0..<connx_model_opset_count(handle) {
      out[String(cString: connx_model_opset_domain(handle, i))] = Int(connx_model_opset_version(handle, i))
    }
    return out
  }

  /// The version of the default domain (ai.onnx), the one Lyra's operators follow.
  public var defaultOpset: Int? { opsets[""] ?? opsets["ai.onnx"] }
}

/// `onnx::checker` on files and bytes, for callers that only want a verdict.
public enum ONNXChecker {
  /// Throws `ONNXError` (kind `.check`) naming what the checker rejected.
  public static func check(path: String, full: Bool = true) throws {
    try ONNXProtoModel(path: path).check(full: full)
  }

  public static func check(data: Data, full: Bool = true) throws {
    try ONNXProtoModel(data: data).check(full: full)
  }
}
