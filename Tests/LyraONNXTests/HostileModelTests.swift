import CONNX
@testable import LyraONNX
import LyraTensor
import XCTest

/// Hostile ONNX models found by fuzzing (issue 14), each built here byte for byte: every
/// one used to abort, crash or spin; each is now an `ONNXError` naming the node (or
/// tensor) and the attribute, at load where the attribute alone is wrong, at the first
/// forward where it is wrong only for the input's shape.
final class HostileModelTests: XCTestCase {
  /// A model `x [1, 1, 8, 8] → node → y`, with whatever `build` adds.
  func model(opset: Int = 13, _ build: (ONNXProtoModel) throws -> Void) throws -> ONNXProtoModel {
    let m = try ONNXProtoModel(opset: opset, irVersion: 7, producer: "test", producerVersion: "0", graphName: "g")
    try m.addValue(.input, name: "x", type: .float, shape: [1, 1, 8, 8])
    try m.addValue(.output, name: "y", type: .float, shape: [nil, nil, nil, nil])
    try build(m)
    return m
  }

  /// Serialises and re-reads, as `lyra.onnx.load` does with a file.
  func load(_ m: ONNXProtoModel) throws -> ONNXModel { try ONNXModel(data: try m.serialized()) }

  func assertInvalid(_ body: @autoclosure () throws -> Any, _ parts: [String], file: StaticString = #filePath, line: UInt = #line) {
    do {
      _ = try body()
      XCTFail("expected an ONNXError containing \(parts)", file: file, line: line)
    } catch let e as ONNXError {
      for p in parts { XCTAssertTrue(e.description.contains(p), "'\(e.description)' lacks '\(p)'", file: file, line: line) }
    } catch {
      XCTFail("expected an ONNXError, got \(error)", file: file, line: line)
    }
  }

  var x: Tensor { Tensor((0..<64).map(Float.init), shape: [1, 1, 8, 8]) }

  /// A serialised float `TensorProto` named "w" with `dims` and 4 bytes of raw_data,
  /// written field by field (ONNX's own writer refuses dims that do not match the data).
  func lyingTensor(dims: [Int64]) -> Data {
    func varint(_ v: UInt64) -> [UInt8] {
      var v = v, out: [UInt8] = []
      repeat { out.append(UInt8(v & 0x7F) | (v >= 0x80 ? 0x80 : 0)); v >>= 7 } while v != 0
      return out
    }
    var b: [UInt8] = []
    for d in dims { b += [0x08] + varint(UInt64(bitPattern: d)) }  // dims (field 1)
    b += [0x10, 0x01]                                               // data_type FLOAT (field 2)
    b += [0x42, 0x01, UInt8(ascii: "w")]                            // name (field 8)
    b += [0x4A, 0x04, 0, 0, 0x80, 0x3F]                             // raw_data 1.0f (field 9)
    return Data(b)
  }

  /// dims [2^20, 2^20] (4 TiB as float32) backed by 4 bytes: the decoder allocated the
  /// claimed size before comparing it with the data (allocation abort). Initialisers,
  /// Constant values and test tensors all decode through this path.
  func testTensorDimsBeyondTheCapAreRefusedBeforeAllocating() {
    assertInvalid(try ONNXTensorData(serialized: lyingTensor(dims: [1 << 20, 1 << 20])), ["tensor 'w'", "[1048576, 1048576]", "above the limit"])
  }

  /// dims of ~5e18 whose product overflows (2^62 × 4 wrapped to 0 elements).
  func testTensorDimsThatOverflowAreRefused() {
    assertInvalid(try ONNXTensorData(serialized: lyingTensor(dims: [1 << 62, 4])), ["tensor 'w'", "more elements than can be counted"])
    assertInvalid(try ONNXTensorData(serialized: lyingTensor(dims: [-1, 4])), ["tensor 'w'", "negative size -1"])
  }

  /// dims under the cap but not backed by data: refused before the values are allocated.
  func testTensorDataMustMatchItsDims() throws {
    assertInvalid(try ONNXTensorData(serialized: lyingTensor(dims: [16, 16])), ["tensor 'w'", "raw_data holds 4 bytes for 256 elements"])
    XCTAssertEqual(try ONNXTensorData(serialized: lyingTensor(dims: [1, 1])).tensor().toArray(), [1])
  }

  /// MaxPool with pads of 2^62: SIGSEGV in the pooling kernel. Now refused at load.
  func testHugePoolingPadsAreRefusedAtLoad() throws {
    let m = try model { m in
      try m.addNode("MaxPool", name: "pool1", inputs: ["x"], outputs: ["y"],
                    attributes: [("kernel_shape", .ints([2, 2])), ("pads", .ints([1 << 62, 0, 0, 0]))])
    }
    assertInvalid(try load(m), ["MaxPool node 'pool1'", "attribute 'pads'", "4611686018427387904"])
  }

  /// Conv with dilations of 2^62 and ConvTranspose with strides of 2^62 (im2col SIGSEGV,
  /// heap corruption); a group of 2^40.
  func testHugeConvolutionAttributesAreRefusedAtLoad() throws {
    for (op, attribute) in [("Conv", "dilations"), ("ConvTranspose", "strides")] {
      let m = try model { m in
        try m.addInitializer(name: "w", Tensor.ones([1, 1, 3, 3]))
        try m.addNode(op, name: "c1", inputs: ["x", "w"], outputs: ["y"], attributes: [(attribute, .ints([1 << 62, 1]))])
      }
      assertInvalid(try load(m), ["\(op) node 'c1'", "attribute '\(attribute)'", "must be positive"])
    }
    let g = try model { m in
      try m.addInitializer(name: "w", Tensor.ones([1, 1, 3, 3]))
      try m.addNode("Conv", name: "c2", inputs: ["x", "w"], outputs: ["y"], attributes: [("group", .int(1 << 40))])
    }
    assertInvalid(try load(g), ["Conv node 'c2'", "attribute 'group'", "1099511627776"])
  }

  /// Pads within int32 but far larger than the 8×8 input: a convolution padded by a
  /// million asked for a 4-terabyte output; a pooling window padded by 1000 is meaningless.
  func testPadsLargerThanTheInputAreRefusedAtForward() throws {
    let conv = try load(try model { m in
      try m.addInitializer(name: "w", Tensor.ones([1, 1, 3, 3]))
      try m.addNode("Conv", name: "c3", inputs: ["x", "w"], outputs: ["y"], attributes: [("pads", .ints([1_000_000, 1, 1, 1]))])
    })
    assertInvalid(try conv(x), ["Conv node 'c3'", "attribute 'pads'", "1000000"])
    let pool = try load(try model { m in
      try m.addNode("AveragePool", name: "p2", inputs: ["x"], outputs: ["y"],
                    attributes: [("kernel_shape", .ints([3, 3])), ("pads", .ints([1000, 0, 0, 0]))])
    })
    assertInvalid(try pool(x), ["AveragePool node 'p2'", "attribute 'pads'", "1000"])
    // The same operators with sane pads still run.
    let ok = try load(try model { m in
      try m.addNode("MaxPool", name: "p3", inputs: ["x"], outputs: ["y"], attributes: [("kernel_shape", .ints([3, 3])), ("pads", .ints([1, 1, 1, 1]))])
    })
    XCTAssertEqual(try ok(x).shape, [1, 1, 8, 8])
  }

  /// A pooling window far beyond the input with pads to match (2^20 per side).
  func testPoolingWindowBeyondTheInputIsRefused() throws {
    let pool = try load(try model { m in
      try m.addNode("MaxPool", name: "p4", inputs: ["x"], outputs: ["y"],
                    attributes: [("kernel_shape", .ints([1 << 21, 1 << 21])), ("pads", .ints([1 << 20, 1 << 20, 1 << 20, 1 << 20]))])
    })
    assertInvalid(try pool(x), ["MaxPool node 'p4'", "attribute 'pads'"])
  }

  /// ConvTranspose whose dilations (within int32) make a 4e12-element output.
  func testTransposedConvolutionOutputIsChecked() throws {
    let m = try load(try model { m in
      try m.addInitializer(name: "w", Tensor.ones([1, 1, 3, 3]))
      try m.addNode("ConvTranspose", name: "t1", inputs: ["x", "w"], outputs: ["y"], attributes: [("dilations", .ints([1 << 20, 1 << 20]))])
    })
    assertInvalid(try m(x), ["ConvTranspose node 't1'", "transposed convolution's output", "above the limit"])
  }

  /// Reflect-Pad with a pad of 2^30: folded indices back one reflection at a time for
  /// minutes. ONNX requires reflect pads smaller than the dimension.
  func testHugeReflectPadIsRefused() throws {
    let m = try load(try model(opset: 13) { m in
      try m.addInitializer(name: "pads", ints: [0, 0, 0, 1 << 30, 0, 0, 0, 0], shape: [8])
      try m.addNode("Pad", name: "pad1", inputs: ["x", "pads"], outputs: ["y"], attributes: [("mode", .string("reflect"))])
    })
    assertInvalid(try m(x), ["Pad node 'pad1'", "reflect pads", "smaller than dimension 3"])
    let edge = try load(try model(opset: 13) { m in
      try m.addInitializer(name: "pads", ints: [0, 0, 1 << 30, 1 << 30, 0, 0, 1 << 30, 1 << 30], shape: [8])
      try m.addNode("Pad", name: "pad2", inputs: ["x", "pads"], outputs: ["y"], attributes: [("mode", .string("edge"))])
    })
    assertInvalid(try edge(x), ["Pad node 'pad2'", "padded output", "above the limit"])
  }

  /// ConstantOfShape of [2^20, 2^20] and a Reshape to a shape whose product overflows.
  func testShapesFromTensorsAreChecked() throws {
    let c = try load(try model { m in
      try m.addInitializer(name: "s", ints: [1 << 20, 1 << 20], shape: [2])
      try m.addNode("ConstantOfShape", name: "k", inputs: ["s"], outputs: ["y"])
    })
    assertInvalid(try c.run(["x": x]), ["ConstantOfShape node 'k'", "above the limit"])
    let r = try load(try model { m in
      try m.addInitializer(name: "s", ints: [Int64(Int32.max), Int64(Int32.max), Int64(Int32.max)], shape: [3])
      try m.addNode("Reshape", name: "r", inputs: ["x", "s"], outputs: ["y"])
    })
    assertInvalid(try r(x), ["Reshape node 'r'", "cannot reshape"])
  }

  /// Where the weight is an initialiser, kernel_shape and group are checked against it
  /// at load, before any input is seen.
  func testConvolutionAttributesAreCheckedAgainstTheWeightAtLoad() throws {
    let k = try model { m in
      try m.addInitializer(name: "w", Tensor.ones([2, 1, 3, 3]))
      try m.addNode("Conv", name: "c4", inputs: ["x", "w"], outputs: ["y"], attributes: [("kernel_shape", .ints([5, 5]))])
    }
    assertInvalid(try load(k), ["Conv node 'c4'", "attribute 'kernel_shape' [5, 5]", "[3, 3]"])
    let g = try model { m in
      try m.addInitializer(name: "w", Tensor.ones([3, 1, 3, 3]))
      try m.addNode("Conv", name: "c5", inputs: ["x", "w"], outputs: ["y"], attributes: [("group", .int(2))])
    }
    assertInvalid(try load(g), ["Conv node 'c5'", "attribute 'group' 2", "3 output channels"])
  }
}
