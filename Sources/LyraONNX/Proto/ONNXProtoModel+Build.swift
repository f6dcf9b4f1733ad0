import CONNX
import LyraTensor

/// Building a graph: values, initialisers, nodes with attributes (what the exporter uses).
extension ONNXProtoModel {
  enum ValueKind: Int32 { case input = 0, output = 1, valueInfo = 2 }

  /// Adds a tensor value info; a nil dimension is symbolic, named by `dimParams`.
  func addValue(_ kind: ValueKind, name: String, type: ONNXDataType, shape: [Int?], dimParams: [String?] = []) throws {
    var dims = shape.map { Int64($0 ?? 0) }
    let params = shape.indices.map { d -> String in
      shape[d] != nil ? "" : ((d < dimParams.count ? dimParams[d] : nil) ?? "d\(d)")
    }
    try withCStrings(params) { p in
      try connxStatus(.invalid, "graph value '\(name)'") {
        connx_graph_add_value(handle, kind.rawValue, name, type.rawValue, &dims, p, Int64(shape.count), $0)
      }
    }
  }

  /// Adds a float32 initialiser with the tensor's values.
  func addInitializer(name: String, _ t: Tensor) throws {
    let values = t.toArray()
    var dims = t.shape.map { Int64($0) }
    try values.withUnsafeBytes { raw in
      try connxStatus(.invalid, "initialiser '\(name)'") {
        connx_graph_add_initializer(handle, name, ONNXDataType.float.rawValue, &dims, dims.count, raw.baseAddress, raw.count, $0)
      }
    }
  }

  /// Adds an int64 initialiser (shapes, axes, pads).
  func addInitializer(name: String, ints: [Int64], shape: [Int]) throws {
    var dims = shape.map { Int64($0) }
    try ints.withUnsafeBytes { raw in
      try connxStatus(.invalid, "initialiser '\(name)'") {
        connx_graph_add_initializer(handle, name, ONNXDataType.int64.rawValue, &dims, dims.count, raw.baseAddress, raw.count, $0)
      }
    }
  }

  /// Appends a node with its attributes (in the given order).
  func addNode(_ opType: String, name: String, inputs: [String], outputs: [String],
               attributes: [(String, ONNXAttribute)] = []) throws {
    let index = try withCStrings(inputs) { ins in
      try withCStrings(outputs) { outs in
        try connxCall(.invalid, "node '\(name)'", failed: { $0 < 0 }) {
          connx_graph_add_node(handle, opType, name, "", ins, ins.count, outs, outs.count, $0)
        }
      }
    }
    let node = Int(index)
    for (key, value) in attributes {
      let context = "node '\(name)' attribute '\(key)'"
      switch value {
      case .int(let v): try connxStatus(.invalid, context) { connx_node_set_attr_int(handle, node, key, Int64(v), $0) }
      case .float(let v): try connxStatus(.invalid, context) { connx_node_set_attr_float(handle, node, key, v, $0) }
      case .string(let s):
        try connxStatus(.invalid, context) { connx_node_set_attr_string(handle, node, key, s, s.utf8.count, $0) }
      case .ints(let v):
        var a = v.map { Int64($0) }
        try connxStatus(.invalid, context) { connx_node_set_attr_ints(handle, node, key, &a, a.count, $0) }
      case .floats(let v):
        var a = v
        try connxStatus(.invalid, context) { connx_node_set_attr_floats(handle, node, key, &a, a.count, $0) }
      case .strings(let v):
        try withCStrings(v) { ptrs in
          try connxStatus(.invalid, context) { connx_node_set_attr_strings(handle, node, key, ptrs, ptrs.count, $0) }
        }
      case .tensor(let t):
        var dims = t.dims.map { Int64($0) }
        switch t.values {
        case .floats(let f):
          try f.withUnsafeBytes { raw in
            try connxStatus(.invalid, context) {
              connx_node_set_attr_tensor(handle, node, key, ONNXDataType.float.rawValue, &dims, dims.count, raw.baseAddress, raw.count, $0)
            }
          }
        case .ints(let i):
          try i.withUnsafeBytes { raw in
            try connxStatus(.invalid, context) {
              connx_node_set_attr_tensor(handle, node, key, ONNXDataType.int64.rawValue, &dims, dims.count, raw.baseAddress, raw.count, $0)
            }
          }
        }
      case .other(let code): throw ONNXError.invalid("\(context): cannot write an attribute of type \(code)")
      }
    }
  }
}
