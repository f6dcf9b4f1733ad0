import LyraNN
import LyraTensor

/// View and Unflatten (Reshape, the batch copied with 0 so it stays symbolic), Upsample
/// (Resize to fixed sizes: nearest is ONNX's asymmetric/floor mapping and bilinear its
/// half_pixel or align_corners linear mapping, which are Lyra's and PyTorch's index
/// formulas when the output size is given), and ModuleList, refused by name since it has
/// no forward of its own.
extension ExportContext {
  func emitShaping(_ m: Module, path: String, _ x: Flow) throws -> Flow? {
    switch m {
    case let v as View:
      let y = try v(x.sample)
      let shape = try initializer(join(path, "shape"), ints: [0] + v.sizes)
      return Flow(name: try node("Reshape", path: path, inputs: [x.name, shape]), sample: y)
    case let u as Unflatten:
      let y = try u(x.sample)
      let r = x.sample.rank, d = u.dim < 0 ? u.dim + r : u.dim
      // Dimensions before `dim` are copied (0); the unflattened and the trailing ones are spelled out.
      let target = [Int](repeating: 0, count: d) + u.sizes + Array(x.sample.shape[(d + 1)...])
      let shape = try initializer(join(path, "shape"), ints: target)
      return Flow(name: try node("Reshape", path: path, inputs: [x.name, shape]), sample: y)
    case let u as Upsample:
      let y = try u(x.sample)
      let coords = u.mode == .nearest ? "asymmetric" : (u.alignCorners ? "align_corners" : "half_pixel")
      var attributes: [(String, ONNXAttribute)] = [("mode", .string(u.mode == .nearest ? "nearest" : "linear")),
                                                    ("coordinate_transformation_mode", .string(coords))]
      if u.mode == .nearest { attributes.append(("nearest_mode", .string("floor"))) }
      // N and C of `sizes` come from the input's shape (Shape, then Gather: Shape's start/end
      // need opset 15), so a symbolic batch stays symbolic.
      let shape = try node("Shape", path: path, inputs: [x.name])
      let batchAndChannels = try node("Gather", path: path, inputs: [shape, try initializer(join(path, "leading_dims"), ints: [0, 1])],
                                      attributes: [("axis", .int(0))])
      let spatial = try initializer(join(path, "spatial_sizes"), ints: [y.shape[2], y.shape[3]])
      let full = try node("Concat", path: path, inputs: [batchAndChannels, spatial], attributes: [("axis", .int(0))])
      return Flow(name: try node("Resize", path: path, inputs: [x.name, "", "", full], attributes: attributes), sample: y)
    case let p as PixelShuffle:
      // PyTorch's pixel_shuffle order is DepthToSpace's CRD mode (opset 11+).
      let y = try p(x.sample)
      return Flow(name: try node("DepthToSpace", path: path, inputs: [x.name],
                                 attributes: [("blocksize", .int(p.upscaleFactor)), ("mode", .string("CRD"))]), sample: y)
    case is ModuleList:
      throw ONNXError.unsupported("ONNX export: ModuleList at '\(path.isEmpty ? "(root)" : path)' has no forward of its own (its order of use is in Lua code the exporter cannot read); export a Sequential of its modules instead")
    default:
      return nil
    }
  }
}
