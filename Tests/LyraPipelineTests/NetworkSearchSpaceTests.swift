import Foundation
import XCTest
import LyraBase
import LyraNets
import LyraNN
import LyraSpace
@testable import LyraSearch
import LyraTensor
@testable import LyraPipeline

/// Issue 19: a search space written as a network (VEGA's compression/prune_ea/prune.yml and
/// compression/quant_ea/quant_ea.yml) — the genome derived from the described ResNet, the
/// trials run through the pipeline, the described network's weights inherited, and
/// malformed spaces named by key.
final class NetworkSearchSpaceTests: XCTestCase {
  let fashion = ProcessInfo.processInfo.environment["LYRA_FASHION_MNIST"] ?? "/usr/share/datasets/fashion-mnist"

  /// A ResNet-20 cut to 2 stages of 3 basic blocks from 4 channels: stage 1 keeps 4
  /// channels (identity shortcuts: the stem and its blocks share one residual group),
  /// stage 2 doubles to 8 behind a projection.
  static let space = """
    {type: SearchSpace, modules: [backbone, head],
         backbone: {type: ResNetGeneral, stage: 2, base_depth: 20, base_channel: 4},
         head: {type: LinearClassificationHead, base_channel: 8, num_classes: 10}}
    """

  func section(_ algorithm: String, space: String = NetworkSearchSpaceTests.space, callbacks: String? = nil) -> String {
    """
      pipe_step: {type: SearchPipeStep}
      dataset: {type: FashionMnist, common: {data_path: \(fashion), batch_size: 32}, train: {max_samples: 64}, test: {max_samples: 32}}
      search_algorithm: {type: \(algorithm), codec: \(algorithm == "PruneEA" ? "PruneCodec" : "QuantCodec"), policy: {length: 464, num_generation: 1, num_individual: 2, random_samples: 2}}
      search_space: \(space)
      trainer: {type: Trainer, epochs: 1, \(callbacks.map { "callbacks: \($0)," } ?? "") optimizer: {type: SGD, params: {lr: 0.05, momentum: 0.9}},
                lr_scheduler: {type: StepLR, params: {step_size: 20, gamma: 0.5}}}
    """
  }

  func sample(_ algorithm: String, space: String = NetworkSearchSpaceTests.space) throws -> Config {
    let doc = try YAMLDocument(text: "pipeline: [nas]\nnas:\n" + section(algorithm, space: space), file: "space.yml")
    let config = try PipelineConfig(json: doc.value, file: doc.file, lines: doc.lines)
    let step = try XCTUnwrap(config.steps.first)
    let made = try SearchAlgorithmFactory.make(step: "nas", section: step.section, seed: 3, config: config)
    return try XCTUnwrap(made.sample)(Generator(seed: 3))
  }

  func testPruneGenomeHasOneMaskPerChannelGroupOfTheDescribedResNet() throws {
    let c = try sample("PruneEA")
    guard case .list(let masks)? = c[PruneCodec.masksKey] else { return XCTFail("no masks in \(c)") }
    // Inner widths of the six blocks (4, 4, 4, 8, 8, 8), then the residual groups: the stem
    // with stage 1 (4), stage 2 from its projection on (8).
    XCTAssertEqual(masks.map { GenomeOps.ints($0)?.count ?? -1 }, [4, 4, 4, 8, 8, 8, 4, 8])
    // `stage` is honoured: three stages add three inner groups of 16 and a residual group of 16.
    let three = try sample("PruneEA", space: Self.space.replacingOccurrences(of: "stage: 2", with: "stage: 3"))
    guard case .list(let more)? = three[PruneCodec.masksKey] else { return XCTFail("no masks") }
    XCTAssertEqual(more.map { GenomeOps.ints($0)?.count ?? -1 }, [4, 4, 4, 8, 8, 8, 16, 16, 16, 4, 8, 16])
  }

  func testQuantGenomeHasWeightAndInputWidthsPerConvolutionAfterTheStem() throws {
    let c = try sample("QuantEA", space: Self.space.replacingOccurrences(of: "modules:", with: "bit_candidates: [2, 8], modules:"))
    // 6 blocks × 2 convolutions + stage 2's shortcut projection; the stem stays float (VEGA's Quantizer).
    let bits = try XCTUnwrap(GenomeOps.ints(c[QuantCodec.bitsKey]))
    let inputs = try XCTUnwrap(GenomeOps.ints(c[QuantCodec.activationBitsKey]))
    XCTAssertEqual(bits.count, 13)
    XCTAssertEqual(inputs.count, 13)
    XCTAssertTrue((bits + inputs).allSatisfy { $0 == 2 || $0 == 8 }, "\(bits) \(inputs)")
  }

  /// The trial's model holds the kept channels of the network `init_model_file` fills
  /// (VEGA's PruneTrainerCallback loads its pretrained ResNet-20 before pruning).
  func testInitModelFileIsLoadedIntoTheDescribedNetworkBeforePruning() throws {
    let doc = try YAMLDocument(text: "s: \(Self.space)", file: "s.yml")
    let spaceJSON = try XCTUnwrap(doc.value["s"])
    Tensor.manualSeed(77)
    let trained = try NetworkRegistry.build(try NetworkSearchSpace(json: spaceJSON, step: "nas").description, input: [1, 28, 28])
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-netspace-\(getpid()).safetensors").path
    defer { try? FileManager.default.removeItem(atPath: file) }
    try Checkpoint.save(trained, to: file)
    // Keep channels 1 and 3 of the stem's residual group and the first 5 of stage 2's; all else kept.
    let widths = [4, 4, 4, 8, 8, 8, 4, 8]
    var masks = widths.map { [Int](repeating: 1, count: $0) }
    masks[6] = [0, 1, 0, 1]
    masks[7] = [1, 1, 1, 1, 1, 0, 0, 0]
    let hps = JSON.object(["prune": .object(["masks": .array(masks.map { .array($0.map { JSON($0) }) })])])
    var trainer = TrainerConfig()
    trainer.pretrainedModelFile = file
    let section = JSON.object(["search_space": spaceJSON])
    let model = try XCTUnwrap(CompressionAlgorithms.networkCompressed(section: section, hps: hps, step: "nas", trainer: trainer, input: { [1, 28, 28] }))
    let before = trained.stateDict(), after = model.stateDict()
    let stem = try XCTUnwrap(before["backbone.stem.conv1.conv.weight"]).toArray(), stemAfter = try XCTUnwrap(after["backbone.stem.conv1.conv.weight"])
    XCTAssertEqual(stemAfter.shape, [2, 1, 3, 3])
    XCTAssertEqual(stemAfter.toArray(), Array(stem[9..<18]) + Array(stem[27..<36]), "rows 1 and 3 of the trained stem")
    // Stage 1, block 2's second convolution reads its block's inner group (all 4) and writes the stem group (2 of 4).
    let conv = try XCTUnwrap(before["backbone.stage1.block2.conv2.conv.weight"]).toArray()
    XCTAssertEqual(try XCTUnwrap(after["backbone.stage1.block2.conv2.conv.weight"]).toArray(), Array(conv[36..<72]) + Array(conv[108..<144]))
    let bn = try XCTUnwrap(before["backbone.stage1.block1.conv2.bn.weight"]).toArray()
    XCTAssertEqual(try XCTUnwrap(after["backbone.stage1.block1.conv2.bn.weight"]).toArray(), [bn[1], bn[3]])
    // The head reads the first 5 of stage 2's 8 channels; its width follows in the description.
    let head = try XCTUnwrap(before["head.linear.weight"]).toArray(), headAfter = try XCTUnwrap(after["head.linear.weight"])
    XCTAssertEqual(headAfter.shape, [10, 5])
    XCTAssertEqual(headAfter.toArray(), (0..<10).flatMap { r in Array(head[(r * 8)..<(r * 8 + 5)]) })
    XCTAssertEqual(NetworkRegistry.describe(model)["head"]?["base_channel"], JSON(5))
    // The narrowed model rebuilds from its description alone (a later TrainPipeStep does).
    XCTAssertEqual(try NetworkRegistry.build(NetworkRegistry.describe(model)).parameterCount, model.parameterCount)
  }

  func run(_ step: String, fullyTrain: String, name: String) throws -> Pipeline {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-netspace-\(getpid())-\(name)").path
    addTeardownBlock { try? FileManager.default.removeItem(atPath: base) }
    let text = """
      general: {seed: 0, task: {local_base_path: \(base)}}
      pipeline: [nas, fully_train]
      nas:
      \(step)
      fully_train:
        pipe_step: {type: TrainPipeStep, models_folder: "{local_base_path}/output/nas/", load_weights: false}
        dataset: {ref: nas.dataset}
        trainer:
          ref: nas.trainer
      \(fullyTrain)
          lr_scheduler: {type: MultiStepLR, params: {milestones: [1], gamma: 0.1}}
      """
    let p = try Pipeline(document: try YAMLDocument(text: text, file: "\(name).yml"))
    p.log = { _ in }
    let s = try p.run()
    XCTAssertEqual(s.steps.map(\.status), ["finished", "finished"])
    return p
  }

  /// prune.yml's shape, tiny: PruneTrainerCallback, init_model_file without its `.pth`, the
  /// fully_train step's own schedule through `ref` (VEGA replaces lr_scheduler whole),
  /// narrowed trials that rebuild.
  func testPruneYmlShapedConfigRunsThroughThePipeline() throws {
    // The pretrained network, named as VEGA names it: without `.pth`. fully_train inherits
    // the key through `ref` and must not load the dense weights into a narrowed model.
    let doc = try YAMLDocument(text: "s: \(Self.space)", file: "s.yml")
    let trained = try NetworkRegistry.build(try NetworkSearchSpace(json: try XCTUnwrap(doc.value["s"]), step: "nas").description, input: [1, 28, 28])
    let stem = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-netspace-pretrained-\(getpid())").path
    try Checkpoint.save(trained, to: stem + ".pth") // safetensors inside; the reader goes by the first bytes
    defer { for f in [stem + ".pth", stem + ".json"] { try? FileManager.default.removeItem(atPath: f) } }
    let withFile = section("PruneEA", callbacks: "PruneTrainerCallback").replacingOccurrences(of: "epochs: 1,", with: "epochs: 1, init_model_file: \(stem),")
    let p = try run(withFile, fullyTrain: "", name: "prune")
    let trials = try XCTUnwrap(p.records["nas"])
    XCTAssertEqual(trials.count, 4)
    let full = try NetworkRegistry.build(try NetworkSearchSpace(json: try YAMLDocument(text: "s: \(Self.space)", file: "s").value["s"]!, step: "nas").description,
                                         input: [1, 28, 28]).parameterCount
    for r in trials {
      XCTAssertEqual(r.status, .finished)
      XCTAssertNotNil(r.desc["backbone"]?["convs"], "a narrowed ResNet description")
      XCTAssertLessThan(try NetworkRegistry.build(r.desc).parameterCount, full)
    }
    XCTAssertFalse(try XCTUnwrap(p.records["fully_train"]).isEmpty)
  }

  /// quant_ea.yml's shape, tiny: QuantTrainerCallback in both steps, bit_candidates in the
  /// space, trainer.limits as a quota; the fully-trained model is the quantised one.
  func testQuantEaYmlShapedConfigRunsThroughThePipeline() throws {
    let space = Self.space.replacingOccurrences(of: "modules:", with: "bit_candidates: [4, 8], modules:")
    let step = section("QuantEA", space: space, callbacks: "QuantTrainerCallback")
      .replacingOccurrences(of: "epochs: 1,", with: "epochs: 1, save_weight: false, limits: {flop_range: [0, 1e10]},")
    let p = try run(step, fullyTrain: "    callbacks: QuantTrainerCallback", name: "quant")
    let trials = try XCTUnwrap(p.records["nas"])
    XCTAssertEqual(trials.count, 4)
    for r in trials {
      XCTAssertEqual(r.status, .finished)
      XCTAssertEqual(r.desc["backbone"]?["nbit_w_list"]?.array?.count, 13)
      let model = try NetworkRegistry.build(r.desc)
      XCTAssertEqual(model.namedModules().filter { $0.1 is QuantConv2d }.count, 13)
    }
    XCTAssertFalse(try XCTUnwrap(p.records["fully_train"]).isEmpty)
  }

  func problems(_ space: String, algorithm: String = "PruneEA", callbacks: String? = nil) throws -> [ConfigError] {
    var text = section(algorithm, space: space, callbacks: callbacks)
    if algorithm == "RandomSearch" { text = text.replacingOccurrences(of: "length: 464, num_generation: 1, num_individual: 2, random_samples: 2", with: "num_sample: 2") }
    let doc = try YAMLDocument(text: "pipeline: [nas]\nnas:\n" + text, file: "bad.yml")
    return Pipeline.problems(raw: doc.value, file: doc.file, lines: doc.lines)
  }

  func assertProblem(_ found: [ConfigError], key: String, mentions: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertTrue(found.contains { $0.key == key && $0.message.contains(mentions) }, "\(found)", file: file, line: line)
  }

  func testMalformedNetworkSpacesNameTheKey() throws {
    assertProblem(try problems(Self.space.replacingOccurrences(of: "type: ResNetGeneral", with: "type: ResNetGenral")),
                  key: "nas.search_space.backbone", mentions: "ResNetGenral")
    assertProblem(try problems(Self.space.replacingOccurrences(of: "modules: [backbone, head],", with: "")),
                  key: "nas.search_space.modules", mentions: "modules: [backbone, head]")
    assertProblem(try problems(Self.space.replacingOccurrences(of: "modules: [backbone, head]", with: "modules: [backbone, neck, head]")),
                  key: "nas.search_space.neck", mentions: "listed in modules but not described")
    assertProblem(try problems(Self.space.replacingOccurrences(of: "stage: 2", with: "stage: 5")),
                  key: "nas.search_space.backbone.stage", mentions: "stage must be 1…3")
    // A network space for an algorithm that samples hyperparameters.
    assertProblem(try problems(Self.space, algorithm: "RandomSearch"), key: "nas.search_space", mentions: "PruneEA and QuantEA")
    // The compression callbacks outside their algorithm's steps.
    assertProblem(try problems(Self.space, algorithm: "QuantEA", callbacks: "[PruneTrainerCallback]"),
                  key: "nas.trainer.callbacks", mentions: "PruneTrainerCallback belongs to a PruneEA search step")
    XCTAssertEqual(try problems(Self.space, callbacks: "PruneTrainerCallback").map(\.message), [])
  }

  func testInitModelFileEmptyMeansNoneAndVegasPthIsCompleted() throws {
    XCTAssertNil(try TrainerConfig(json: .object(["init_model_file": .string("")])).pretrainedModelFile)
    let stem = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-netspace-init-\(getpid())").path
    FileManager.default.createFile(atPath: stem + ".pth", contents: Data())
    defer { try? FileManager.default.removeItem(atPath: stem + ".pth") }
    XCTAssertEqual(try TrainerConfig(json: .object(["init_model_file": .string(stem)])).pretrainedModelFile, stem + ".pth")
    XCTAssertEqual(try TrainerConfig(json: .object(["limits": .object(["flop_range": .array([.number(0), .number(2e9)]), "param_range": .array([.number(0), .number(5000)])])])).limits,
                   "flops in [0.0, 2.0] and params in [0.0, 5.0]")
  }

  /// VEGA's dnet_nas.yml searches ResNet's `doublechannel`/`downsample` in a DblockNas space;
  /// its codec never reads them, and they must not reach the DNet (which has no such keys).
  func testDblockNasDropsDoublechannelAndDownsample() throws {
    let keys = ["op_num": [2], "skip_num": [1], "base_channel": [8], "doublechannel": [3, 4], "downsample": [3, 4]]
    let space = try SearchSpace(parameters: keys.sorted { $0.key < $1.key }.map { k, v in
      try Hyperparameter(key: "network.backbone.\(k)", type: .category, range: v.map { .int($0) })
    })
    let c = try DblockNasCodec(space: space).sample(Generator(seed: 1))
    XCTAssertNotNil(c[DblockNasCodec.encodingKey])
    XCTAssertEqual(c.keys.filter { $0.hasSuffix("doublechannel") || $0.hasSuffix("downsample") }, [])
  }
}
