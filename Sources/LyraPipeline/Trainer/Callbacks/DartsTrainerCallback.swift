import Foundation
import LyraBase
import LyraData
import LyraNN
import LyraNets
import LyraTensor

/// The DARTS keys of a trainer section (VEGA's names): `unrolled` (second order),
/// `darts_template_file` (accepted; Lyra derives the network from the search's own
/// description, see DartsTrainerCallback), `drop_path_prob` (fully_train's drop-path,
/// raised linearly over the epochs by DartsFullTrainerCallback) and `arch_optim` (the α
/// optimiser, which the DifferentialAlgorithm step passes from its search_algorithm section).
public struct DartsTrainerSettings: Equatable {
  public var unrolled = false
  public var templateFile: String?
  public var dropPathProb = 0.0
  public var archLR = 3e-4
  public var archBetas = (0.5, 0.999)
  public var archWeightDecay = 1e-3

  public init() {}

  public static func == (a: Self, b: Self) -> Bool {
    a.unrolled == b.unrolled && a.templateFile == b.templateFile && a.dropPathProb == b.dropPathProb && a.archLR == b.archLR
      && a.archBetas == b.archBetas && a.archWeightDecay == b.archWeightDecay
  }

  init(_ r: ParamReader, path: String) throws {
    unrolled = try r.bool("unrolled", false)
    templateFile = try r.optionalString("darts_template_file")
    dropPathProb = try r.optionalDouble("drop_path_prob") ?? 0
    guard (0..<1).contains(dropPathProb) else { throw TrainerError.config(key: "\(path).drop_path_prob", "must be in [0, 1), got \(dropPathProb)") }
    guard let a = r.raw("arch_optim") else { return }
    guard let o = a.object else { throw TrainerError.config(key: "\(path).arch_optim", "expected {type: Adam, lr, betas, weight_decay}, got \(a.text)") }
    for k in o.keys.sorted() where !["type", "lr", "betas", "weight_decay"].contains(k) {
      throw TrainerError.config(key: "\(path).arch_optim.\(k)", "unknown key '\(k)'\(Suggest.hint(k, in: ["type", "lr", "betas", "weight_decay"]))")
    }
    if let t = o["type"], t.string != "Adam" { throw TrainerError.config(key: "\(path).arch_optim.type", "only Adam (DARTS' α optimiser), got \(t.text)") }
    if let v = o["lr"] {
      guard let x = v.double, x >= 0 else { throw TrainerError.config(key: "\(path).arch_optim.lr", "must be a number ≥ 0, got \(v.text)") }
      archLR = x
    }
    if let v = o["weight_decay"] {
      guard let x = v.double, x >= 0 else { throw TrainerError.config(key: "\(path).arch_optim.weight_decay", "must be a number ≥ 0, got \(v.text)") }
      archWeightDecay = x
    }
    if let v = o["betas"] {
      guard let b = v.array?.compactMap(\.double), b.count == 2, b.allSatisfy({ (0..<1).contains($0) }) else {
        throw TrainerError.config(key: "\(path).arch_optim.betas", "must be two numbers in [0, 1), got \(v.text)")
      }
      archBetas = (b[0], b[1])
    }
  }
}

/// `DartsTrainerCallback` (VEGA's name): makes the trainer's loop DARTS' bilevel search.
/// Before every weight step (the trainer's own: its SGD, schedule and clipping on the
/// supernet's weights, α being no parameter), one α step on the next validation batch
/// (`DartsArchitect`: Adam, first or second order as `trainer.unrolled`). After each epoch
/// it logs the genotype and keeps softmax(α); after training it writes the α trajectory
/// (`darts_alphas_<id>.json` in the trial folder) and hands on, as the trial's description,
/// the search's description with `search: false` and the derived genotype (what
/// `fully_train` builds), the genotype text in the paper's notation beside it.
public final class DartsTrainerCallback: TrainerCallback {
  public override var priority: Int { 210 }  // after ModelBuilder (200) built the supernet
  private var architect: DartsArchitect?
  private var supernet: DartsSupernet?
  private var validBatches: DataLoader.Iterator?
  /// softmax(α) after each epoch: [epoch][normal, reduce][edge][op].
  public private(set) var trajectory: [[[[Float]]]] = []

  public override func beforeTrain() throws {
    guard let t = trainer, let model = t.model else { return }
    guard let net = model.namedModules().lazy.compactMap({ $0.module as? DartsSupernet }).first else {
      throw TrainerError.config(key: "trainer.callbacks", "DartsTrainerCallback needs a DartsNetwork with search: true as the model")
    }
    guard t.validLoader != nil else {
      throw TrainerError.config(key: "dataset", "DartsTrainerCallback steps α on a validation split: give dataset.common.train_portion < 1 or a val section")
    }
    let s = t.config.darts
    let loss = t.loss
    architect = DartsArchitect(model: model, alphas: net.alphas, weights: model.parameters(), unrolled: s.unrolled,
                               optimizer: Adam(net.alphas, lr: s.archLR, betas: s.archBetas, weightDecay: s.archWeightDecay),
                               loss: { try loss($0, $1) })
    supernet = net
    let original = t.makeBatch
    t.makeBatch = { [weak self, weak t] batch in
      let xy = try original(batch)
      if let self, let t, !t.validating { try self.archStep(train: xy, make: original) }
      return xy
    }
  }

  func archStep(train: (input: Tensor, target: Tensor), make: TrainerBatch.Maker) throws {
    guard let t = trainer, let architect, let loader = t.validLoader else { return }
    var batch = validBatches?.next()
    if batch == nil {
      validBatches?.stop()
      validBatches = loader.batches(epoch: t.globalStep)
      batch = validBatches?.next()
    }
    guard let b = batch else { return }
    let v = try make(b)
    let wd = Float(t.optimizer?.hyperparameters["weight_decay"] ?? 0)
    try architect.step(train: (train.input, train.target), valid: (v.input, v.target), xi: Float(t.optimizer?.lr ?? 0), weightDecay: wd)
  }

  public override func afterEpoch(_ epoch: Int) throws {
    guard let net = supernet else { return }
    trajectory.append(net.alphas.map { a in
      let cols = a.shape[1]
      let v = a.detach().softmax(-1).toArray()
      return stride(from: 0, to: v.count, by: cols).map { Array(v[$0..<$0 + cols]) }
    })
    trainer?.log("DARTS epoch \(epoch + 1): \(net.genotype())")
  }

  public override func afterTrain() throws {
    validBatches?.stop()
    validBatches = nil
    guard let t = trainer, let net = supernet else { return }
    let g = net.genotype()
    // The supernet's own description (with what it took from the data): the trainer's model
    // is the DartsNetwork part, or a composite holding it.
    let searched = t.model.map(NetworkRegistry.describe) ?? t.modelDescription ?? t.config.modelDesc ?? .object([:])
    let outer = try Self.template(t.config.darts.templateFile, steps: net.options.steps) ?? searched
    t.handOffDescription = Self.replacingSuperNetwork(outer, with: DartsDescription.derived(Self.superNetwork(outer), genotype: g))
    if let dir = t.workDir {
      let path = (dir as NSString).appendingPathComponent("darts_alphas_\(t.trialID).json")
      let json = JSON.object(["primitives": .array(net.options.primitives.map { .string($0) }), "genotype": .string(g.description),
                              "epochs": .array(trajectory.map { e in .array(e.map { c in .array(c.map { r in .array(r.map { .number(Double($0)) }) }) }) })])
      try? Data(json.description.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
  }

  /// The description the genotype goes into (`trainer.darts_template_file`): a JSON or YAML
  /// file, or VEGA's `{default_darts_cifar10_template}` (the paper's evaluation network: 20
  /// cells of 36 channels, the auxiliary head after cell 13, drop-path 0.2); nil without one
  /// (the searched description itself, with `search: false`).
  static func template(_ file: String?, steps: Int) throws -> JSON? {
    guard let file else { return nil }
    if file == "{default_darts_cifar10_template}" {
      let cells = (0..<20).map { JSON.string($0 == 6 || $0 == 13 ? "reduce" : "normal") }
      let cell: (String) -> JSON = { .object(["type": .string($0), "steps": JSON(steps), "genotype": .array([])]) }
      return .object(["type": .string("DartsNetwork"), "search": .bool(false), "init_channels": JSON(36), "num_classes": JSON(10),
                      "auxiliary": .bool(true), "auxiliary_layer": JSON(13), "drop_path_prob": .number(0.2),
                      "stem": .object(["type": .string("PreOneStem"), "init_channels": JSON(16), "stem_multi": JSON(3)]),
                      "head": .object(["type": .string("LinearClassificationHead")]),
                      "cells": .object(["modules": .array(cells), "normal": cell("NormalCell"), "reduce": cell("ReduceCell")])])
    }
    guard !file.hasPrefix("{") else {
      throw TrainerError.config(key: "trainer.darts_template_file", "unknown placeholder \(file); Lyra knows {default_darts_cifar10_template}, or give a description file")
    }
    do { return try ModelFiles.description(file) } catch {
      throw TrainerError.config(key: "trainer.darts_template_file", "\(error)")
    }
  }

  /// The DartsNetwork part of a description: itself, or the part of a `{modules: [...]}` one.
  static func superNetwork(_ d: JSON) -> JSON {
    if d["type"]?.string == "DartsNetwork" { return d }
    for n in d["modules"]?.array?.compactMap(\.string) ?? [] where d[n]?["type"]?.string == "DartsNetwork" { return d[n]! }
    return d
  }

  static func replacingSuperNetwork(_ d: JSON, with net: JSON) -> JSON {
    if d["type"]?.string == "DartsNetwork" { return net }
    guard var o = d.object else { return net }
    for n in o["modules"]?.array?.compactMap(\.string) ?? [] where o[n]?["type"]?.string == "DartsNetwork" { o[n] = net }
    return .object(o)
  }
}

/// `DartsFullTrainerCallback` (VEGA's name): drop-path in a derived network, raised
/// linearly from 0 to `trainer.drop_path_prob` (else the description's `drop_path_prob`)
/// over the epochs, as DARTS' evaluation does.
public final class DartsFullTrainerCallback: TrainerCallback {
  public override func beforeEpoch(_ epoch: Int) throws {
    guard let t = trainer, let model = t.model else { return }
    let ramp = Float(epoch) / Float(max(1, t.epochs))
    for case let net as DartsNetwork in model.namedModules().map(\.module) {
      // The trainer's drop_path_prob, else the description's own (VEGA's template has one).
      let top = t.config.darts.dropPathProb > 0 ? Float(t.config.darts.dropPathProb) : net.options.dropPath
      net.setDropPath(top * ramp)
    }
  }
}
