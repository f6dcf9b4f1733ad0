import LyraNN
import LyraTensor

/// `nn.NLLLoss`, `nn.BCELoss`, `nn.SmoothL1Loss`, `nn.HuberLoss`, `nn.KLDivLoss`: criteria
/// over `LyraNN.Loss`, with PyTorch's `reduction` option ('mean', 'sum', 'none'; KLDivLoss
/// also 'batchmean'). Class targets are 1-based in Lua, as for CrossEntropyLoss.
enum LossConstructors {
  struct Options {
    var reduction = Reduction.mean
    var numbers: [String: Float] = [:]
    var logTarget = false
    /// NLLLoss: a weight per class and the (1-based) label to skip.
    var classWeight: Tensor?
    var ignoreIndex: Int?
  }

  /// A criterion constructor: `name([number] [, {options}])`, where the optional leading
  /// number is `numberKey` (HuberLoss(delta), SmoothL1Loss(beta)).
  static func make(_ name: String, _ help: String, numberKey: String? = nil, batchmean: Bool = false, logTarget: Bool = false,
                   classOptions: Bool = false,
                   _ build: @escaping (Options) -> (Tensor, Tensor) throws -> Tensor) -> LuaMethod {
    LuaMethod(name, help: help) { call in
      var o = Options()
      var next = 1
      if let numberKey, call.count >= 1, call.stack.type(1) == .number {
        o.numbers[numberKey] = Float(try call.number(1))
        next = 2
      }
      if let t = try call.options(next) {
        if let numberKey, let v = try t.number(numberKey) { o.numbers[numberKey] = Float(v) }
        if logTarget, let v = try t.bool("log_target") { o.logTarget = v }
        if classOptions {
          o.classWeight = try t.object("weight", Tensor.self, what: "float tensor of one weight per class")
          if let w = o.classWeight, !w.dtype.isLegacy { throw LuaFailure("option 'weight' must be a float tensor, got \(w.dtype) (convert with :float())") }
          o.ignoreIndex = try t.int("ignore_index")
          if let k = o.ignoreIndex, k < Int(Int32.min) || k > Int(Int32.max) { throw LuaFailure("ignore_index must be a label value (within ±2^31), got \(k)") }
        }
        if let r = try t.string("reduction") {
          let allowed = Reduction.allCases.filter { batchmean || $0 != .batchmean }
          guard let red = Reduction(rawValue: r), allowed.contains(red) else {
            throw LuaFailure("reduction must be one of \(allowed.map { "'\($0.rawValue)'" }.joined(separator: ", ")), got '\(r)'")
          }
          o.reduction = red
        }
        try t.finish()
        next += 1
      }
      if next <= call.count { throw LuaArgumentError(next, "unexpected argument (\(call.stack.typeName(Int32(next)))); see ? lyra.nn.\(name)") }
      if let numberKey, let v = o.numbers[numberKey], !(v.isFinite && v >= 0) {
        throw LuaFailure("\(numberKey) must be a finite number of at least 0, got \(v)")
      }
      if name == "HuberLoss", o.numbers["delta"] == 0 { throw LuaFailure("delta must be positive") }
      let compute = build(o)
      call.stack.push(object: Criterion(name: name, compute: { x, y in
        do { return try compute(x, y) } catch let e as ShapeError { throw LuaFailure(e.message) }
      }), className: CriterionLua.className)
      return 1
    }
  }

  static var all: [LuaMethod] {
    [
      make("NLLLoss", """
        nn.NLLLoss([{reduction = 'mean', weight = w, ignore_index = k}]) -> criterion
        Negative log-likelihood of log-probabilities [N, C] (nn.LogSoftmax's output) at 1-based class labels [N]:
        -w[label] * logp[i, label]. weight: a float tensor [C] (default all 1); ignore_index: a label value that
        counts for nothing (e.g. 0 for padding). reduction 'mean' (divided by the counted labels' weights, as
        PyTorch), 'sum' or 'none'. LogSoftmax + NLLLoss equals CrossEntropyLoss.
        """, classOptions: true) { o in
        { x, y in
          guard y.dtype == .int32 else { throw LuaFailure("class labels must be an int tensor (lyra.tensor({...}, 'int'))") }
          guard x.rank == 2 else { throw LuaFailure("expected log-probabilities [N, C], got \(ShapeText.format(x.shape))") }
          guard y.rank == 1, y.shape[0] == x.shape[0] else {
            throw LuaFailure("expected \(x.shape[0]) class labels, got a tensor of shape \(ShapeText.format(y.shape))")
          }
          let c = x.shape[1]
          if let bad = y.toIntArray().first(where: { ($0 < 1 || $0 > c) && $0 != o.ignoreIndex }) {
            throw LuaFailure("class label \(bad) is outside 1..\(c) (labels are 1-based in Lua)")
          }
          // 0-based for LyraNN; an ignored label becomes -1 (never a class, and no overflow).
          let zeroBased = y.toIntArray().map { $0 == o.ignoreIndex ? -1 : $0 - 1 }
          return try Loss.nll(x, Tensor(indices: zeroBased), weight: o.classWeight,
                              ignoreIndex: o.ignoreIndex == nil ? nil : -1, reduction: o.reduction)
        }
      },
      make("BCELoss", """
        nn.BCELoss([{reduction = 'mean'}]) -> criterion
        Binary cross-entropy of probabilities in [0, 1] (after nn.Sigmoid) against targets of the same shape;
        each log is clamped at -100 as PyTorch does. For logits nn.BCEWithLogitsLoss is more stable.
        """) { o in { x, y in try Loss.bce(x, y, reduction: o.reduction) } },
      make("HuberLoss", """
        nn.HuberLoss([delta = 1] [, {reduction = 'mean'}]) -> criterion
        0.5 d^2 where |d| < delta, delta (|d| - 0.5 delta) beyond, d = input - target (delta > 0).
        """, numberKey: "delta") { o in { x, y in try Loss.huber(x, y, delta: o.numbers["delta"] ?? 1, reduction: o.reduction) } },
      make("SmoothL1Loss", """
        nn.SmoothL1Loss([beta = 1] [, {reduction = 'mean'}]) -> criterion
        HuberLoss(beta) / beta: 0.5 d^2 / beta where |d| < beta, |d| - 0.5 beta beyond; beta = 0 is L1Loss.
        """, numberKey: "beta") { o in { x, y in try Loss.smoothL1(x, y, beta: o.numbers["beta"] ?? 1, reduction: o.reduction) } },
      make("KLDivLoss", """
        nn.KLDivLoss([{reduction = 'mean', log_target = false}]) -> criterion
        KL divergence, PyTorch's convention: input holds log-probabilities, target probabilities (log-probabilities
        with log_target = true); per element target * (log(target) - input). reduction 'batchmean' (sum / N, the
        true KL per sample), 'mean' (over every element), 'sum' or 'none'.
        Example: nn.KLDivLoss({reduction = 'batchmean'})(x:log_softmax(2), p)
        """, batchmean: true, logTarget: true) { o in
        { x, y in try Loss.klDiv(x, y, reduction: o.reduction, logTarget: o.logTarget) }
      },
    ]
  }
}
