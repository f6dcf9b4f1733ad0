import LyraBase
import LyraTensor

/// Maps a foreign state dict (PyTorch's, VEGA's) onto a Lyra model's parameters and
/// buffers, and says what it did.
///
/// Order of rules: the `module.` prefix that DataParallel adds is dropped when every name
/// has it; names under an excluded prefix (VEGA's `head`, the layer a fine-tuning replaces)
/// are set aside; then names match exactly; what is left on both sides is paired in order
/// (PyTorch's order and Lyra's are both module by module, parameters before buffers), which
/// covers names that differ systematically (`features.conv` against Lyra's `0`). A pair
/// whose shapes differ is a mismatch: reported and skipped, or an error with `strict`.
/// Integer entries with no float counterpart (`num_batches_tracked`) are skipped.
public struct StateDictMapping {
  public struct Pair { public var source: String; public var target: String; public var byOrder: Bool }
  public struct Mismatch { public var source: String; public var target: String; public var sourceShape: [Int]; public var targetShape: [Int] }

  public var pairs: [Pair] = []
  public var mismatches: [Mismatch] = []
  /// Source entries nothing took, target entries nothing filled.
  public var unmatchedSource: [String] = []
  public var unmatchedTarget: [String] = []
  public var excluded: [String] = []
  public var skippedIntegers: [String] = []
  public var strippedPrefix: String?
  /// The tensors on both sides by (prefix-stripped) name, for `apply`.
  private var sources: [String: Tensor] = [:]
  private var targets: [String: Tensor] = [:]

  /// A model's parameters and buffers in PyTorch's state-dict order: module by module
  /// (depth first), each module's parameters, then its buffers.
  public static func targetOrder(_ model: Module) -> [(name: String, tensor: Tensor)] {
    var out: [(String, Tensor)] = []
    for (path, m) in model.namedModules() {
      let p = path.isEmpty ? "" : path + "."
      out += m.ownParameters.map { (p + $0.name, $0.tensor) }
      out += m.ownBuffers.map { (p + $0.name, $0.tensor) }
    }
    return out
  }

  /// Works out the mapping (nothing is copied yet). `source` holds each entry's tensor and
  /// whether it was an integer type in its file.
  public init(source: [(name: String, tensor: Tensor, isInteger: Bool)], target: [(name: String, tensor: Tensor)],
              exclude: [String] = []) {
    var src = source
    for p in ["module."] where !src.isEmpty && src.allSatisfy({ $0.name.hasPrefix(p) }) {
      src = src.map { (String($0.name.dropFirst(p.count)), $0.tensor, $0.isInteger) }
      strippedPrefix = p
    }
    let heads = exclude.filter { !$0.isEmpty }.map { $0.hasSuffix(".") ? $0 : $0 + "." }
    src = src.filter { e in
      guard heads.contains(where: { e.name.hasPrefix($0) }) else { return true }
      excluded.append(e.name)
      return false
    }
    sources = Dictionary(src.map { ($0.name, $0.tensor) }) { a, _ in a }
    targets = Dictionary(target.map { ($0.name, $0.tensor) }) { a, _ in a }
    var targets = Set(target.map(\.name))
    let targetShape = Dictionary(target.map { ($0.name, $0.tensor.shape) }) { a, _ in a }
    var left: [(name: String, tensor: Tensor, isInteger: Bool)] = []
    for e in src {
      if targets.contains(e.name), let shape = targetShape[e.name] {
        targets.remove(e.name)
        if shape == e.tensor.shape { pairs.append(Pair(source: e.name, target: e.name, byOrder: false)) } else {
          mismatches.append(Mismatch(source: e.name, target: e.name, sourceShape: e.tensor.shape, targetShape: shape))
        }
      } else if e.isInteger {
        skippedIntegers.append(e.name)
      } else {
        left.append(e)
      }
    }
    let rest = target.filter { targets.contains($0.name) }
    for (s, t) in zip(left, rest) {
      if s.tensor.shape == t.tensor.shape { pairs.append(Pair(source: s.name, target: t.name, byOrder: true)) } else {
        mismatches.append(Mismatch(source: s.name, target: t.name, sourceShape: s.tensor.shape, targetShape: t.tensor.shape))
      }
    }
    unmatchedSource = left.dropFirst(rest.count).map(\.name)
    unmatchedTarget = rest.dropFirst(left.count).map(\.name)
  }

  /// True when every target was filled and no shapes differed.
  public var isComplete: Bool { mismatches.isEmpty && unmatchedTarget.isEmpty }

  /// A readable report, one line per group.
  public var report: String {
    var lines: [String] = []
    let byName = pairs.filter { !$0.byOrder }.count, byOrder = pairs.filter(\.byOrder)
    lines.append("\(pairs.count) tensors loaded (\(byName) by name, \(byOrder.count) by order and shape)"
      + (strippedPrefix.map { "; prefix '\($0)' dropped" } ?? ""))
    func list(_ names: [String]) -> String { names.prefix(12).joined(separator: ", ") + (names.count > 12 ? ", … (\(names.count) in all)" : "") }
    if !byOrder.isEmpty { lines.append("by order: " + list(byOrder.map { "\($0.source) → \($0.target)" })) }
    if !mismatches.isEmpty {
      lines.append("shape mismatches (skipped): " + list(mismatches.map {
        "\($0.source) \(ShapeText.format($0.sourceShape)) → \($0.target) \(ShapeText.format($0.targetShape))" }))
    }
    if !excluded.isEmpty { lines.append("excluded (head): " + list(excluded)) }
    if !unmatchedSource.isEmpty { lines.append("in the file, not in the model: " + list(unmatchedSource)) }
    if !unmatchedTarget.isEmpty { lines.append("in the model, not in the file (left as initialised): " + list(unmatchedTarget)) }
    if !skippedIntegers.isEmpty { lines.append("integer entries skipped: " + list(skippedIntegers)) }
    return lines.joined(separator: "\n")
  }

  /// Copies the matched tensors into the model's (float32 targets only).
  public func apply() {
    Tensor.noGrad {
      for p in pairs {
        guard let s = sources[p.source], let t = targets[p.target], t.dtype == .float32 else { continue }
        _ = t.copy_(s)
      }
    }
  }
}
