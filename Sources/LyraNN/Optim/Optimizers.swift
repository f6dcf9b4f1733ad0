import LyraBase
import LyraTensor

/// Builds optimisers by name from config options, so a VEGA/PyTorch config such as
/// `optimizer: {type: SGD, params: {lr: 0.1, momentum: 0.9, weight_decay: 1e-4}}` works
/// unchanged. Names match case-insensitively; option keys are PyTorch's snake_case
/// (camelCase spellings are accepted too). Unknown names, unknown keys, values of the
/// wrong kind and invalid values throw an `OptimizerError` whose text lists what is valid.
/// Omitted options take PyTorch's defaults (lr 1e-3 for SGD and the Adams, as PyTorch ≥ 2.0; RMSprop, Adagrad
/// and Adadelta in AdaptiveOptimizers.swift).
public enum Optimizers {
  /// The optimiser names `make` accepts.
  public static let names = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta"]

  /// The option keys each optimiser accepts (snake_case).
  public static func optionKeys(for name: String) -> [String] {
    switch canonical(name) {
    case "SGD": return ["dampening", "lr", "momentum", "nesterov", "weight_decay"]
    case "Adam", "AdamW": return ["amsgrad", "beta1", "beta2", "betas", "eps", "lr", "weight_decay"]
    default: return canonical(name).flatMap { adaptiveOptionKeys[$0] } ?? []
    }
  }

  public static func make(name: String, params: [Tensor], options: [String: OptimizerOption] = [:]) throws -> Optimizer {
    guard let kind = canonical(name) else {
      throw OptimizerError("unknown optimizer '\(name)'\(Suggest.hint(name, in: names)); valid optimizers: \(names.joined(separator: ", "))")
    }
    let o = try Reader(kind: kind, options: options, valid: optionKeys(for: kind))
    if let adaptive = try makeAdaptive(kind, params, o) { return adaptive }
    switch kind {
    case "SGD":
      let lr = try o.number("lr", 1e-3), momentum = try o.number("momentum", 0)
      let dampening = try o.number("dampening", 0), wd = try o.number("weight_decay", 0)
      let nesterov = try o.flag("nesterov", false)
      try SGD.validate(lr: lr, momentum: momentum, dampening: dampening, weightDecay: wd, nesterov: nesterov)
      return SGD(params, lr: lr, momentum: momentum, dampening: dampening, weightDecay: wd, nesterov: nesterov)
    default:
      let lr = try o.number("lr", 1e-3), eps = try o.number("eps", 1e-8)
      let wd = try o.number("weight_decay", kind == "AdamW" ? 0.01 : 0), amsgrad = try o.flag("amsgrad", false)
      var betas = (0.9, 0.999)
      if let b = try o.numbers("betas") {
        guard b.count == 2 else { throw OptimizerError("\(kind): betas needs two numbers, got \(b)") }
        betas = (b[0], b[1])
      }
      betas = (try o.number("beta1", betas.0), try o.number("beta2", betas.1))
      try AdamBuffers.validate(kind, lr: lr, beta1: betas.0, beta2: betas.1, eps: eps, weightDecay: wd)
      return kind == "Adam"
        ? Adam(params, lr: lr, betas: betas, eps: eps, weightDecay: wd, amsgrad: amsgrad)
        : AdamW(params, lr: lr, betas: betas, eps: eps, weightDecay: wd, amsgrad: amsgrad)
    }
  }

  static func canonical(_ name: String) -> String? {
    names.first { $0.lowercased() == name.lowercased() }
  }

  /// Option lookup by snake_case key, accepting the camelCase spelling of the same key.
  struct Reader {
    let kind: String
    var values: [String: OptimizerOption] = [:]

    init(kind: String, options: [String: OptimizerOption], valid: [String]) throws {
      self.kind = kind
      for (key, value) in options {
        let snake = Reader.snakeCase(key)
        guard valid.contains(snake) else {
          throw OptimizerError("unknown option '\(key)' for \(kind); valid options: \(valid.joined(separator: ", "))")
        }
        guard values[snake] == nil else { throw OptimizerError("\(kind): option '\(snake)' given twice") }
        values[snake] = value
      }
    }

    /// "weightDecay" → "weight_decay"; snake_case keys pass through.
    static func snakeCase(_ key: String) -> String {
      var out = ""
      for ch in key {
        if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
      }
      return out
    }

    func number(_ key: String, _ fallback: Double) throws -> Double {
      switch values[key] {
      case nil: return fallback
      case .number(let d)?: return d
      case let v?: throw OptimizerError("\(kind): option '\(key)' must be a number, got \(v)")
      }
    }

    /// Flags also accept 0/1 (configs written by tools that have no booleans).
    func flag(_ key: String, _ fallback: Bool) throws -> Bool {
      switch values[key] {
      case nil: return fallback
      case .flag(let b)?: return b
      case .number(let d)? where d == 0 || d == 1: return d == 1
      case let v?: throw OptimizerError("\(kind): option '\(key)' must be true or false, got \(v)")
      }
    }

    func numbers(_ key: String) throws -> [Double]? {
      switch values[key] {
      case nil: return nil
      case .numbers(let a)?: return a
      case let v?: throw OptimizerError("\(kind): option '\(key)' must be a list of numbers, got \(v)")
      }
    }
  }
}
