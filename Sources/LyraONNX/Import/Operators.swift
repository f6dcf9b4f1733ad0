/// The operator table: ONNX operator type → Lyra kernel. Each group lives in its own
/// file under Ops/; adding an operator is one entry there.
enum Operators {
  static let table: [String: ONNXKernel] = {
    var t: [String: ONNXKernel] = [:]
    for group in [ElementwiseOps.table, ActivationOps.table, MatrixOps.table, ConvOps.table, NormalizationOps.table,
                  PoolingOps.table, ShapeOps.table, JoinOps.table, PadOps.table, SoftmaxOps.table, ConstantOps.table,
                  ReduceOps.table, ResizeOps.table, RecurrentOps.table] {
      t.merge(group) { a, _ in a }
    }
    return t
  }()
}
