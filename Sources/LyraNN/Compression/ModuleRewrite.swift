import LyraTensor
import LyraBase

/// Builds a new module tree from an old one, layer by layer: what pruning and
/// quantisation need, since both must return a genuinely different network (new shapes,
/// new layer types) while leaving the trained model untouched.
///
/// Only LyraNN's own containers (`Sequential`, `Add`, `Concat`) are walked into, because
/// their `forward` is fully determined by their children and their description. Any other
/// module is a leaf: `leaf` may replace it, otherwise it is copied through its description
/// (`ModuleRegistry.build(describe())` plus its state), so the copy shares nothing with
/// the original. A module whose description does not rebuild it (a Lua module, a network
/// type that was never registered) is an error naming it.
public enum ModuleRewrite {
  /// The new tree. `leaf(name, module)` returns a replacement, or nil to copy the module.
  static func rebuild(_ m: Module, name: String = "", leaf: (String, Module) throws -> Module?) throws -> Module {
    func child(_ c: (name: String, module: Module)) throws -> Module {
      try rebuild(c.module, name: name.isEmpty ? c.name : name + "." + c.name, leaf: leaf)
    }
    let out: Module
    switch m {
    case let s as Sequential where type(of: s) == Sequential.self:
      let n = Sequential()
      for c in s.children {
        let sub = try child(c)
        if Int(c.name) != nil { n.add(sub) } else { n.add(c.name, sub) }
      }
      out = n
    case let a as Add where type(of: a) == Add.self:
      out = Add(try a.children.map(child))
    case let c as Concat where type(of: c) == Concat.self:
      out = Concat(try c.children.map(child), dim: c.dim)
    default:
      out = try leaf(name, m) ?? copy(m, name: name)
    }
    out.train(m.training)
    return out
  }

  /// A deep copy of one module through its description and state.
  static func copy(_ m: Module, name: String) throws -> Module {
    let label = name.isEmpty ? "the model" : "module '\(name)'"
    let c: Module
    do { c = try ModuleRegistry.build(m.describe()) } catch {
      throw DescriptionError("\(label) (\(m.typeName)) cannot be copied from its description: \(error)")
    }
    do { try c.loadStateDict(m.stateDict()) } catch {
      throw DescriptionError("\(label) (\(m.typeName)): its description rebuilds a different module: \(error)")
    }
    c.train(m.training)
    return c
  }

  /// `t` viewed as [rows, cols, inner] (contiguous), keeping the listed rows and columns
  /// (nil keeps all) in the given order: kept output/input channels of a weight.
  public static func select(_ t: Tensor, rows: [Int]?, cols: [Int]?, shape: [Int]) -> Tensor {
    let r = t.shape[0], c = t.rank > 1 ? t.shape[1] : 1
    let inner = t.count / max(r * c, 1)
    let v = t.contiguous().toArray()
    let rs = rows ?? Array(0..<r), cs = cols ?? Array(0..<c)
    var out: [Float] = []
    out.reserveCapacity(rs.count * cs.count * inner)
    for i in rs {
      for j in cs {
        let base = (i * c + j) * inner
        out.append(contentsOf: v[base ..< base + inner])
      }
    }
    return Tensor(out, shape: shape)
  }

  /// A generator for layers whose initial weights are overwritten at once: building them
  /// must not advance the default generator (a trial's later draws stay reproducible).
  static var scratch: Generator { Generator(seed: 0) }

  /// Copies `value` into a parameter or buffer without recording.
  static func assign(_ dst: Tensor, _ value: Tensor) {
    precondition(dst.shape == value.shape, "ModuleRewrite.assign: \(value.shape) into \(dst.shape)")
    Tensor.noGrad { _ = dst.copy_(value) }
  }
}
