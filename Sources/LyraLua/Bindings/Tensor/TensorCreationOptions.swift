import LyraBase
import LyraTensor

/// The trailing options table of the creation functions, PyTorch's keywords:
/// `lyra.zeros(2, 3, {dtype = 'int64'})`, `lyra.tensor({1, 2}, {dtype = lyra.float64})`,
/// `lyra.ones(3, {requires_grad = true})`.
struct TensorCreationOptions {
  var dtype: DType?
  var requiresGrad = false

  /// The element type to make (float32 unless `dtype` says otherwise).
  var type: DType { dtype ?? .float32 }

  /// Applies `requires_grad` (float32 only, as autograd is).
  func finish(_ t: Tensor) throws -> Tensor {
    guard requiresGrad else { return t }
    guard t.dtype == .float32 else {
      throw LuaFailure("option 'requires_grad': only float32 tensors can require gradients, not \(t.dtype)")
    }
    return t.requiresGrad_()
  }
}

extension LuaCall {
  /// Reads and removes a trailing options table (an argument after `first` with no array
  /// items and not a tensor), so the arguments before it read as they always did. Unknown
  /// keys are an error.
  func creationOptions(after first: Int = 1) throws -> TensorCreationOptions {
    let last = Int32(count)
    guard count > first, stack.type(last) == .table, stack.rawLength(last) == 0 else { return TensorCreationOptions() }
    guard let o = try options(count) else { return TensorCreationOptions() }
    var out = TensorCreationOptions()
    out.dtype = try TensorDTypeNames.option(o)
    out.requiresGrad = try o.bool("requires_grad") ?? false
    try o.finish()
    stack.setTop(last - 1)
    return out
  }
}
