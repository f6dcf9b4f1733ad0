import Foundation
import LyraBase
import LyraNets
import LyraNN
import LyraSpace

/// VEGA's search space written as a network (its compression examples):
///
/// ```yaml
/// search_space:
///   type: SearchSpace
///   modules: [backbone, head]
///   backbone: {type: ResNetGeneral, stage: 3, base_depth: 20, base_channel: 16}
///   head: {type: LinearClassificationHead, base_channel: 64, num_classes: 10}
///   bit_candidates: [4, 8]        # QuantEA only
/// ```
///
/// It has no hyperparameters: it is the network PruneEA's and QuantEA's codecs read their
/// genome from (VEGA's PruneCodec reads the ResNet's channels, QuantCodec its
/// convolutions), the network each trial narrows or quantises, and, with
/// `trainer.init_model_file`, the trained network whose weights the trials start from.
/// Lyra's other form of these searches (`model.models_folder`, a model an earlier step
/// trained) stays as it was.
struct NetworkSearchSpace {
  /// `{modules: [...], part: {...}}`: the network, as a model description.
  var description: JSON
  /// The part the codec reads (the first `ResNetGeneral` or `ResNet` part).
  var backbone: String
  /// Whether the parts are several (their weights are then named `<part>.…`).
  var composite: Bool
  /// QuantEA's widths when the space gives them (VEGA puts `bit_candidates` there).
  var bitCandidates: [Int]?

  /// VEGA's spaces generated from `model.model_desc`'s convolutions (one HALF mask or one
  /// width choice per Conv2d, keyed by module name), and what to write instead.
  static let derivedSpaces = [
    "PruneSearchSpace": "search channel masks with search_algorithm PruneEA on a search space written as a network "
      + "(modules: [backbone, head], backbone: {type: ResNetGeneral, ...}) or on model.models_folder (a trained model)",
    "BackboneNasSearchSpace": "search the ResNet's widths with search_algorithm BackboneNas and hyperparameters "
      + "network.backbone.{depth, base_channel, doublechannel, downsample} (VEGA's nas/backbone_nas/backbone_nas.yml)",
  ]

  static let hyperparameterKeys: Set<String> = ["hyperparameters", "condition", "conditions", "forbidden"]

  /// Whether a step's `search_space` is written as a network: it lists `modules`, or
  /// holds a part description (a mapping with a `type`) and no hyperparameters.
  static func isNetwork(_ json: JSON?) -> Bool {
    guard var o = json?.object else { return false }
    if let inner = o["search_space"]?.object { o = inner }
    if o["modules"] != nil { return true }
    if o.keys.contains(where: hyperparameterKeys.contains) { return false }
    return o.contains { k, v in k != "type" && v["type"] != nil }
  }

  /// The hyperparameters a search step samples besides its algorithm's genome: none when
  /// `search_space` is absent or written as a network (which only PruneEA and QuantEA
  /// read; any other algorithm is an error naming the key); nil for the usual form.
  static func hyperparameters(type: String, step: String, section: JSON, config: PipelineConfig) throws -> SearchSpace? {
    let space = section["search_space"]
    if let t = space?["type"]?.string, let instead = derivedSpaces[t] {
      throw config.error("\(step).search_space.type", "\(t) (VEGA derives it from the model's convolutions) is not available; \(instead)")
    }
    guard space == nil || isNetwork(space) else { return nil }
    if space != nil, !["PruneEA", "QuantEA"].contains(type) {
      throw config.error("\(step).search_space", "a search space written as a network (modules: [...] with part descriptions) is read by "
                         + "PruneEA and QuantEA, whose codecs derive their genome from it; \(type) samples a space of hyperparameters "
                         + "(hyperparameters: [{key, type, range}]) and takes the network from model.model_desc")
    }
    return try SearchSpace(parameters: [])
  }

  /// Reads and checks the space of step `step` (keys are named `<step>.search_space.…`);
  /// the network is built once, so an unknown part type or a bad key is found here.
  init(json: JSON, step: String) throws {
    let path = "\(step).search_space"
    var o = json.object ?? [:]
    if let inner = o["search_space"]?.object { o = inner }
    if let t = o["type"], t.string != "SearchSpace" {
      throw KeyedError("\(path).type", "a search space written as a network has type SearchSpace (or none), got \(t.text)")
    }
    let parts = o.keys.filter { !["type", "modules", "bit_candidates"].contains($0) }.sorted()
    guard let listed = o["modules"] else {
      throw KeyedError("\(path).modules", "missing: a search space written as a network lists its parts in order, e.g. modules: [\(parts.joined(separator: ", "))]")
    }
    guard let names = listed.array?.compactMap(\.string), names.count == listed.array?.count, !names.isEmpty else {
      throw KeyedError("\(path).modules", "must be a list of part names such as [backbone, head], got \(listed.text)")
    }
    for name in names where o[name] == nil {
      throw KeyedError("\(path).\(name)", "'\(name)' is listed in modules but not described; add \(name): {type: ...}")
    }
    for name in names where o[name]?.object == nil {
      throw KeyedError("\(path).\(name)", "expected a part description {type: ..., ...}, got \(o[name]!.text)")
    }
    if let b = o["bit_candidates"] {
      guard let a = b.array?.compactMap(\.int), a.count == b.array?.count, !a.isEmpty else {
        throw KeyedError("\(path).bit_candidates", "expected a list of bit widths such as [4, 8], got \(b.text)")
      }
      bitCandidates = a
    }
    var desc = o
    desc.removeValue(forKey: "type")
    desc.removeValue(forKey: "bit_candidates")
    description = .object(desc)
    // Unknown part types, keys, and parts described but not listed: the builder's own errors.
    do { _ = try NetworkRegistry.build(description, path: path) } catch let e as DescriptionError {
      throw e.keyed ?? NetworkSearchSpace.keyed(e.message, under: path)
    }
    guard let found = names.first(where: { ["ResNetGeneral", "ResNet"].contains(o[$0]?["type"]?.string ?? "") }) else {
      let kinds = names.map { "\($0) (\(o[$0]?["type"]?.string ?? "no type"))" }.joined(separator: ", ")
      throw KeyedError("\(path).modules", "PruneEA and QuantEA read their genome from a ResNetGeneral or ResNet part; the parts are \(kinds)")
    }
    backbone = found
    composite = names.count > 1
  }

  /// A builder's message `path.part(Type).key: what` as the key `path.part.key` and `what`,
  /// so the problem points at the key's line; under `path` as a whole otherwise.
  static func keyed(_ message: String, under path: String) -> KeyedError {
    guard message.hasPrefix(path), let colon = message.range(of: ": ") else { return KeyedError(path, message) }
    let key = message[..<colon.lowerBound].replacingOccurrences(of: #"\([^)]*\)"#, with: "", options: .regularExpression)
    guard !key.contains(" ") else { return KeyedError(path, message) }
    return KeyedError(key, String(message[colon.upperBound...]))
  }

  /// The part the codec reads, as described.
  var backboneDescription: JSON { description[backbone] ?? .null }

  /// `desc` (this space's network, perhaps completed with input keys) with the backbone
  /// part replaced, and the part after it told the new width when it is a
  /// LinearClassificationHead reading it.
  func replacing(_ desc: JSON, backbone part: JSON, outputWidth: Int? = nil) -> JSON {
    var o = desc.object ?? [:]
    o[backbone] = part
    if let w = outputWidth, let names = o["modules"]?.array?.compactMap(\.string), let i = names.firstIndex(of: backbone),
       i + 1 < names.count, var head = o[names[i + 1]]?.object, head["type"]?.string == "LinearClassificationHead" {
      head["base_channel"] = JSON(w)
      o[names[i + 1]] = .object(head)
    }
    return .object(o)
  }

  /// Prefix of the backbone's weights in the built network.
  var weightPrefix: String { composite ? backbone + "." : "" }
}
