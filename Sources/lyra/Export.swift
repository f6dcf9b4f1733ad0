import ArgumentParser
import Foundation
import LyraBase
import LyraNets
import LyraNN
import LyraONNX
import LyraPipeline
import LyraTensor

/// `lyra export MODEL -o model.onnx`: writes a model as ONNX that passes onnx::checker,
/// then imports the file again and compares it with the native model on a random batch.
///
/// MODEL is a checkpoint (`x.safetensors` with `x.json` beside it, or a pipeline's
/// `model_<id>.safetensors` with `desc_<id>.json`), a model description `.json` (with
/// those weights when they are beside it, else freshly initialised), or a reference
/// model name (mlp, cnn, resnet_mini).
struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Export a model (checkpoint, description .json or reference name) to ONNX.")

  @Argument(help: ArgumentHelp("A checkpoint (.safetensors), a model description (.json) or mlp|cnn|resnet_mini.", valueName: "MODEL"))
  var model: String

  @Option(name: .shortAndLong, help: ArgumentHelp("The .onnx file to write.", valueName: "PATH"))
  var output: String

  @Option(help: ArgumentHelp("Input shape with a batch first, e.g. 1,1,28,28 (default: from the first layer).", valueName: "DIMS"))
  var inputShape: String?

  @Option(help: "ONNX opset (13 to 17).")
  var opset: Int = 13

  @Flag(help: "Write the batch size as fixed instead of symbolic.")
  var fixedBatch = false

  @Option(help: ArgumentHelp("After exporting, time inference of the re-imported model against the native one on batches of this size (scripts/bench/onnx).", valueName: "N"))
  var benchBatch: Int?

  func run() throws {
    do {
      let (module, origin) = try loadModel()
      let shape = try inputShape.map(parseShape) ?? defaultShape(module)
      var options = ONNXExporter.Options()
      options.opset = opset
      if fixedBatch { options.batchDimension = nil }
      try ONNXExporter.export(module, inputShape: shape, to: output, options: options)
      let imported = try ONNXModel(path: output)
      // A batch of two checks the symbolic batch too; a fixed batch must be fed as written.
      let x = Tensor.randn([fixedBatch ? shape[0] : 2] + shape.dropFirst(), generator: Generator(seed: 0))
      let native = try Tensor.noGrad { try module.eval()(x) }
      let diff = try imported(x).sub(native).abs().max().item()
      print("""
        \(origin)
        wrote \(output): opset \(opset), \(imported.graph.nodes.count) nodes, \(module.parameterCount) parameters, \
        input \(label(shape)) -> output \(label([shape[0]] + native.shape.dropFirst()))
        onnx checker: passed; re-imported max |onnx - native| = \(diff)
        """)
      if let benchBatch { try bench(module, ONNXModule(imported), shape: shape, batch: benchBatch) }
    } catch {
      FileHandle.standardError.write(Data("lyra export: \(error)\n".utf8))
      throw ExitCode(1)
    }
  }

  /// A shape as printed, with the symbolic batch named.
  func label(_ s: [Int]) -> String {
    "[" + ([fixedBatch ? "\(s[0])" : "batch"] + s.dropFirst().map(String.init)).joined(separator: ", ") + "]"
  }

  /// The model and a line saying where its architecture and weights came from: a saved
  /// model (SavedModel, LyraPipeline) or a reference model by name.
  func loadModel() throws -> (Module, String) {
    if let saved = try SavedModel.load(model) { return saved }
    if let m = ReferenceModels.named(model) { return (m, "model: reference \(model) (freshly initialised)") }
    throw DescriptionError("\(model): not a .safetensors checkpoint, a .json description or a reference model (mlp, cnn, resnet_mini)")
  }

  func parseShape(_ s: String) throws -> [Int] {
    let dims = s.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !dims.isEmpty, dims.allSatisfy({ ($0 ?? 0) > 0 }) else {
      throw ValidationError("--input-shape: expected positive sizes separated by commas, got '\(s)'")
    }
    return dims.map { $0! }
  }

  /// The first shape the model accepts among the usual ones for its first layer: images of
  /// 28×28 (Fashion-MNIST, the default dataset), 32×32 (CIFAR-10) or 224×224 for
  /// convolutional models; for linear ones the first Linear's width, or first such images
  /// when a Flatten comes before it.
  func defaultShape(_ m: Module) throws -> [Int] {
    var candidates: [[Int]] = [], flattens = false
    for (_, sub) in m.namedModules() {
      if sub is Flatten { flattens = true }
      if let conv = sub as? Conv2d {
        candidates = [28, 32, 224].map { [1, conv.inChannels, $0, $0] }
        break
      }
      if let linear = sub as? Linear {
        let vector = [1, linear.inFeatures], images = [[1, 1, 28, 28], [1, 3, 32, 32]]
        candidates = flattens ? images + [vector] : [vector] + images
        break
      }
    }
    m.eval()
    for shape in candidates where (try? Tensor.noGrad { try m(Tensor.zeros(shape)) }) != nil { return shape }
    throw ValidationError("cannot guess the input shape of this model; give --input-shape (e.g. 1,3,32,32)")
  }
}

extension Export {
  /// Images per second of the native module and of the imported model on the same batch,
  /// alternating and keeping each one's best of several repeats (the machine is shared).
  func bench(_ native: Module, _ imported: Module, shape: [Int], batch: Int) throws {
    guard batch > 0, !fixedBatch || batch == shape[0] else { throw ValidationError("--bench-batch must be positive (and the fixed batch)") }
    let x = Tensor.randn([batch] + shape.dropFirst(), generator: Generator(seed: 1))
    native.eval()
    func seconds(_ m: Module) throws -> Double {
      let t0 = DispatchTime.now().uptimeNanoseconds
      _ = try Tensor.noGrad { try m(x) }
      return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }
    _ = try seconds(native)
    _ = try seconds(imported)
    var bestNative = Double.infinity, bestImported = Double.infinity, spent = 0.0, reps = 0
    while reps < 3 || (spent < 3 && reps < 50) {
      let a = try seconds(native), b = try seconds(imported)
      bestNative = min(bestNative, a)
      bestImported = min(bestImported, b)
      spent += a + b
      reps += 1
    }
    let n = Double(batch) / bestNative, o = Double(batch) / bestImported
    print(String(format: "inference, batch %d, best of %d: native %.0f images/s, imported ONNX %.0f images/s (%.2fx native)",
                 batch, reps, n, o, o / n))
  }
}
