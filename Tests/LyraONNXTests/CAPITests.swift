import CONNX
import XCTest

/// The C API over libonnx on its own: a tiny model built, serialised, parsed back and
/// checked, and a bad model rejected with a message rather than an exception.
final class CAPITests: XCTestCase {
  func testBuildSerialiseParseCheck() throws {
    var err: UnsafeMutablePointer<CChar>?
    let m = try XCTUnwrap(connx_model_create(7, 13, "test", "0", "g", &err))
    defer { connx_model_free(m) }
    var dims: [Int64] = [2, 3]
    XCTAssertEqual(connx_graph_add_value(m, Int32(CONNX_GRAPH_INPUT), "x", Int32(CONNX_FLOAT), &dims, nil, 2, &err), 0)
    XCTAssertEqual(connx_graph_add_value(m, Int32(CONNX_GRAPH_OUTPUT), "y", Int32(CONNX_FLOAT), &dims, nil, 2, &err), 0)
    let inputs: [UnsafePointer<CChar>?] = [UnsafePointer(strdup("x"))]
    let outputs: [UnsafePointer<CChar>?] = [UnsafePointer(strdup("y"))]
    defer { (inputs + outputs).forEach { free(UnsafeMutablePointer(mutating: $0)) } }
    let node = connx_graph_add_node(m, "LeakyRelu", "n0", "", inputs, 1, outputs, 1, &err)
    XCTAssertEqual(node, 0)
    XCTAssertEqual(connx_node_set_attr_float(m, 0, "alpha", 0.5, &err), 0)
    XCTAssertEqual(connx_model_check(m, 1, &err), 0, err.map { String(cString: $0) } ?? "")

    var count = 0
    let bytes = try XCTUnwrap(connx_model_serialize(m, &count, &err))
    defer { connx_bytes_free(bytes) }
    let back = try XCTUnwrap(connx_model_parse(bytes, count, &err))
    defer { connx_model_free(back) }
    XCTAssertEqual(connx_graph_node_count(back), 1)
    XCTAssertEqual(String(cString: connx_node_op_type(back, 0)), "LeakyRelu")
    XCTAssertEqual(connx_node_attr_float(back, 0, 0), 0.5)
    XCTAssertEqual(connx_graph_value_dim(back, Int32(CONNX_GRAPH_INPUT), 0, 1), 3)
  }

  func testCheckerErrorIsAMessage() throws {
    var err: UnsafeMutablePointer<CChar>?
    let m = try XCTUnwrap(connx_model_create(7, 13, "test", "0", "g", &err))
    defer { connx_model_free(m) }
    let inputs: [UnsafePointer<CChar>?] = [UnsafePointer(strdup("nowhere"))]
    let outputs: [UnsafePointer<CChar>?] = [UnsafePointer(strdup("y"))]
    defer { (inputs + outputs).forEach { free(UnsafeMutablePointer(mutating: $0)) } }
    _ = connx_graph_add_node(m, "NoSuchOp", "n0", "", inputs, 1, outputs, 1, &err)
    XCTAssertEqual(connx_model_check(m, 0, &err), -1)
    let message = try XCTUnwrap(err.map { String(cString: $0) })
    connx_string_free(err)
    XCTAssertFalse(message.isEmpty)
  }

  func testGarbageIsNotAModel() {
    var err: UnsafeMutablePointer<CChar>?
    let junk: [UInt8] = [0xff, 0xff, 0xff, 0x01, 0x02]
    XCTAssertNil(connx_model_parse(junk, junk.count, &err))
    XCTAssertNotNil(err)
    connx_string_free(err)
  }
}
