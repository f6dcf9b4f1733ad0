import CONNX

/// Reading the graph out of the `ModelProto` through CONNX's accessors.
extension ONNXProtoModel {
  /// The whole graph as Swift values (initialisers and attribute tensors decoded).
  public func graph() throws -> ONNXGraph {
    guard connx_graph_sparse_initializer_count(handle) == 0 else {
      throw ONNXError.unsupported("the model has sparse initialisers, which Lyra does not read")
    }
    var initializers: [ONNXTensorData] = []
    for i in 0..<connx_graph_initializer_count(handle) {
      let t = try connxCall(.invalid, "initialiser \(i)", failed: { $0 == nil }) { connx_graph_initializer(handle, i, $0) }
      defer { connx_tensor_free(t) }
      initializers.append(try ONNXTensorData(handle: t!))
    }
    return ONNXGraph(name: graphName, opsets: opsets, nodes: try (0..<connx_graph_node_count(handle)).map(node),
                     initializers: initializers, inputs: values(Int32(CONNX_GRAPH_INPUT)),
                     outputs: values(Int32(CONNX_GRAPH_OUTPUT)), valueInfo: values(Int32(CONNX_GRAPH_VALUE_INFO)))
  }

  /// Operator types of the nodes, without decoding anything else (cheap triage).
  public var operatorTypes: [String] {
    Array(Set((0..<connx_graph_node_count(handle)).map { String(cString: connx_node_op_type(handle, $0)) })).sorted()
  }

  func values(_ kind: Int32) -> [ONNXValueInfo] {
    (0..<connx_graph_value_count(handle, kind)).map { i in
      let rank = connx_graph_value_rank(handle, kind, i)
      let shape: [Int?]? = rank < 0 ? nil : (0..<Int(rank)).map { d in
        let v = connx_graph_value_dim(handle, kind, i, d)
        return v < 0 ? nil : Int(v)
      }
      let params = rank < 0 ? [] : (0..<Int(rank)).map { String(cString: connx_graph_value_dim_param(handle, kind, i, $0)) }
      return ONNXValueInfo(name: String(cString: connx_graph_value_name(handle, kind, i)),
                           dataType: ONNXDataType(code: connx_graph_value_elem_type(handle, kind, i)),
                           shape: shape, dimParams: params)
    }
  }

  func node(_ i: Int) throws -> ONNXNode {
    var attributes: [String: ONNXAttribute] = [:]
    for k in 0..<connx_node_attr_count(handle, i) {
      let name = String(cString: connx_node_attr_name(handle, i, k))
      let type = connx_node_attr_type(handle, i, k)
      switch Int(type) {
      case Int(CONNX_ATTR_INT): attributes[name] = .int(Int(connx_node_attr_int(handle, i, k)))
      case Int(CONNX_ATTR_FLOAT): attributes[name] = .float(connx_node_attr_float(handle, i, k))
      case Int(CONNX_ATTR_STRING):
        var n = 0
        let p = connx_node_attr_string(handle, i, k, &n)
        let bytes = UnsafeRawBufferPointer(start: p, count: n)
        attributes[name] = .string(String(decoding: bytes, as: UTF8.self))
      case Int(CONNX_ATTR_INTS):
        var n = 0
        let p = connx_node_attr_ints(handle, i, k, &n)
        attributes[name] = .ints((0..<n).map { Int(p![$0]) })
      case Int(CONNX_ATTR_FLOATS):
        var n = 0
        let p = connx_node_attr_floats(handle, i, k, &n)
        attributes[name] = .floats((0..<n).map { p![$0] })
      case Int(CONNX_ATTR_STRINGS):
        attributes[name] = .strings((0..<connx_node_attr_strings_count(handle, i, k)).map { s in
          var n = 0
          let p = connx_node_attr_strings_at(handle, i, k, s, &n)
          return String(decoding: UnsafeRawBufferPointer(start: p, count: n), as: UTF8.self)
        })
      case Int(CONNX_ATTR_TENSOR):
        let t = try connxCall(.invalid, "node \(i) attribute '\(name)'", failed: { $0 == nil }) { connx_node_attr_tensor(handle, i, k, $0) }
        defer { connx_tensor_free(t) }
        do { attributes[name] = .tensor(try ONNXTensorData(handle: t!)) } catch let e as ONNXError where e.kind == .unsupported {
          attributes[name] = .other(typeCode: type) // a string tensor: only an error if an operator reads it
        }
      default: attributes[name] = .other(typeCode: type)
      }
    }
    let nIn = connx_node_input_count(handle, i), nOut = connx_node_output_count(handle, i)
    return ONNXNode(opType: String(cString: connx_node_op_type(handle, i)), name: String(cString: connx_node_name(handle, i)),
                    domain: String(cString: connx_node_domain(handle, i)),
                    inputs: (0..<nIn).map { String(cString: connx_node_input(handle, i, $0)) },
                    outputs: (0..<nOut).map { String(cString: connx_node_output(handle, i, $0)) },
                    attributes: attributes)
  }
}
