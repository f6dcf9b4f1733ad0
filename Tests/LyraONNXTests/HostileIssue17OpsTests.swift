@testable import LyraONNX
import LyraTensor
import XCTest

/// Malformed attributes and inputs of the operators issue 17's export added to the
/// importer (Resize, InstanceNormalization, LayerNormalization, PRelu, RNN/LSTM/GRU):
/// each is an `ONNXError` naming the node and what is wrong, never a trap or a huge
/// allocation.
extension HostileModelTests {
  /// x [1, 1, 8, 8] viewed as a sequence [8, 1, 8] and fed to `op` with weights W, R (and B).
  func recurrent(_ op: String, gates: Int, hidden: Int = 2, w: [Int]? = nil, bias: [Int]? = nil, extraInputs: [String] = [],
                 attributes: [(String, ONNXAttribute)]) throws -> ONNXProtoModel {
    try model { m in
      try m.addInitializer(name: "seq_shape", ints: [8, 1, 8], shape: [3])
      try m.addNode("Reshape", name: "view", inputs: ["x", "seq_shape"], outputs: ["seq"])
      try m.addInitializer(name: "W", Tensor.ones(w ?? [1, gates * hidden, 8]))
      try m.addInitializer(name: "R", Tensor.ones([1, gates * hidden, hidden]))
      var inputs = ["seq", "W", "R"]
      if let bias {
        try m.addInitializer(name: "B", Tensor.ones(bias))
        inputs.append("B")
      }
      try m.addNode(op, name: "r1", inputs: inputs + extraInputs, outputs: ["y"], attributes: attributes)
    }
  }

  func testRecurrentAttributesAreChecked() throws {
    assertInvalid(try load(try recurrent("LSTM", gates: 4, attributes: [("hidden_size", .int(1 << 40))])),
                  ["LSTM node 'r1'", "attribute 'hidden_size'", "must be positive"])
    assertInvalid(try load(try recurrent("LSTM", gates: 4, attributes: [("hidden_size", .int(-3))])), ["attribute 'hidden_size'"])
    // hidden_size against initialiser weights: at load.
    assertInvalid(try load(try recurrent("GRU", gates: 3, attributes: [("hidden_size", .int(5))])),
                  ["GRU node 'r1'", "recurrence weight 'R'", "hidden_size 5 needs [1, 15, 5]"])
    assertInvalid(try load(try recurrent("RNN", gates: 1, w: [1, 3, 8], attributes: [("hidden_size", .int(2))])),
                  ["RNN node 'r1'", "input weight 'W'", "[1, 2, input_size]"])
    assertInvalid(try load(try recurrent("RNN", gates: 1, w: [1, 2, 7], attributes: []))(x), ["RNN node 'r1'", "W must be [1, 2, 8]"])
    assertInvalid(try load(try recurrent("LSTM", gates: 4, bias: [1, 3], attributes: []))(x), ["LSTM node 'r1'", "B must be [1, 16]"])
    assertInvalid(try load(try recurrent("LSTM", gates: 4, attributes: [("direction", .string("bidirectional"))]))(x),
                  ["LSTM node 'r1'", "direction 'bidirectional'"])
    assertInvalid(try load(try recurrent("GRU", gates: 3, attributes: [("linear_before_reset", .int(7))]))(x),
                  ["GRU node 'r1'", "'linear_before_reset' must be 0 or 1"])
    assertInvalid(try load(try recurrent("RNN", gates: 1, attributes: [("clip", .float(1))]))(x), ["RNN node 'r1'", "attribute 'clip'"])
    assertInvalid(try load(try recurrent("RNN", gates: 1, attributes: [("activations", .strings(["Sigmoid"]))]))(x),
                  ["RNN node 'r1'", "attribute 'activations'", "Sigmoid"])
    assertInvalid(try load(try recurrent("LSTM", gates: 4, attributes: [("activations", .strings(["Relu", "Tanh", "Tanh"]))]))(x),
                  ["LSTM node 'r1'", "attribute 'activations'"])
    assertInvalid(try load(try recurrent("GRU", gates: 3, attributes: [("activations", .ints([1]))]))(x),
                  ["GRU node 'r1'", "'activations' must be a list of strings"])
    assertInvalid(try load(try recurrent("LSTM", gates: 4, extraInputs: ["", "seq"], attributes: []))(x),
                  ["LSTM node 'r1'", "sequence_lens"])
    // A well-formed one runs: [T, 1, N, H].
    XCTAssertEqual(try load(try recurrent("LSTM", gates: 4, bias: [1, 16], attributes: [("hidden_size", .int(2))]))(x).shape, [8, 1, 1, 2])
  }

  func testResizeAttributesAreChecked() throws {
    func resize(sizes: [Int]? = nil, scales: [Float]? = nil, _ attributes: [(String, ONNXAttribute)] = []) throws -> ONNXModel {
      try load(try model { m in
        var inputs = ["x", "", ""]
        if let scales {
          try m.addInitializer(name: "scales", Tensor(scales, shape: [scales.count]))
          inputs[2] = "scales"
        }
        if let sizes {
          try m.addInitializer(name: "sizes", ints: sizes.map { Int64($0) }, shape: [sizes.count])
          inputs.append("sizes")
        }
        try m.addNode("Resize", name: "z1", inputs: inputs, outputs: ["y"], attributes: attributes)
      })
    }
    assertInvalid(try resize(sizes: [1, 1, 1 << 30, 1 << 30])(x), ["Resize node 'z1'", "the resized output"])
    assertInvalid(try resize(sizes: [1, 1, 0, 4])(x), ["Resize node 'z1'", "must be positive"])
    assertInvalid(try resize(sizes: [1, 3, 4, 4])(x), ["Resize node 'z1'", "batch or channel"])
    assertInvalid(try resize(sizes: [1, 4, 4])(x), ["Resize node 'z1'", "3 values for an input of rank 4"])
    assertInvalid(try resize(scales: [1, 1, .nan, 2])(x), ["Resize node 'z1'", "must be positive and finite"])
    assertInvalid(try resize(scales: [1, 1, -2, 2])(x), ["Resize node 'z1'", "must be positive and finite"])
    assertInvalid(try resize(scales: [1, 1, 1e30, 2])(x), ["Resize node 'z1'", "must be positive and finite"])
    assertInvalid(try resize(scales: [1, 1, 0.01, 2])(x), ["Resize node 'z1'", "leaves no output"])
    assertInvalid(try resize(sizes: [1, 1, 4, 4], [("mode", .string("cubic"))])(x), ["Resize node 'z1'", "mode 'cubic'"])
    assertInvalid(try resize(sizes: [1, 1, 4, 4], [("coordinate_transformation_mode", .string("tf_crop_and_resize"))])(x),
                  ["Resize node 'z1'", "tf_crop_and_resize"])
    assertInvalid(try resize(sizes: [1, 1, 4, 4], [("nearest_mode", .string("sideways"))])(x), ["Resize node 'z1'", "nearest_mode"])
    assertInvalid(try resize()(x), ["Resize node 'z1'", "needs 'scales' or 'sizes'"])
    // Halving 0..63 by nearest (asymmetric, floor) keeps every other row and column.
    let half = try resize(sizes: [1, 1, 4, 4], [("coordinate_transformation_mode", .string("asymmetric")), ("nearest_mode", .string("floor"))])(x)
    XCTAssertEqual(half.toArray(), [0, 2, 4, 6, 16, 18, 20, 22, 32, 34, 36, 38, 48, 50, 52, 54])
  }

  func testNormalizationAndPReluInputsAreChecked() throws {
    func node(_ op: String, _ params: [(String, [Int])], _ attributes: [(String, ONNXAttribute)] = []) throws -> ONNXModel {
      try load(try model { m in
        for (name, shape) in params { try m.addInitializer(name: name, Tensor.ones(shape)) }
        try m.addNode(op, name: "n1", inputs: ["x"] + params.map(\.0), outputs: ["y"], attributes: attributes)
      })
    }
    assertInvalid(try node("InstanceNormalization", [("s", [3]), ("b", [1])])(x), ["InstanceNormalization node 'n1'", "must have shape [1]"])
    assertInvalid(try node("InstanceNormalization", [("s", [1]), ("b", [1])], [("epsilon", .float(.nan))])(x), ["'epsilon'"])
    assertInvalid(try node("InstanceNormalization", [("s", [1]), ("b", [1])], [("epsilon", .float(-1))])(x), ["'epsilon'"])
    assertInvalid(try node("LayerNormalization", [("s", [8])], [("axis", .int(9))])(x), ["LayerNormalization node 'n1'", "axis"])
    assertInvalid(try node("LayerNormalization", [("s", [5])])(x), ["LayerNormalization node 'n1'", "does not broadcast"])
    assertInvalid(try node("LayerNormalization", [("s", [8]), ("b", [2, 8])], [("axis", .int(-1))])(x), ["does not broadcast"])
    assertInvalid(try node("PRelu", [("s", [3])])(x), ["PRelu node 'n1'", "does not broadcast"])
    assertInvalid(try node("PRelu", [("s", [2, 1, 8, 8])])(x), ["PRelu node 'n1'", "does not broadcast"])
    // Well-formed: LayerNormalization over the last two dimensions standardises each 8×8 plane.
    let y = try node("LayerNormalization", [("s", [8, 8])], [("axis", .int(-2))])(x)
    XCTAssertEqual(y.mean().item(), 0, accuracy: 1e-5)
    XCTAssertEqual(y.mul(y).mean().item(), 1, accuracy: 1e-3)
  }
}
