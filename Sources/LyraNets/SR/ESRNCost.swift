/// Exact parameter and multiply-accumulate counts of an ESRN (`ESRN`, `ESRBlock`) from
/// its architecture alone, without building it: ESR-EA checks its parameter constraint
/// for every mutation (VEGA estimates with a formula that leaves out biases and some
/// 1×1 convs; this is the built network's count, which a test checks).
public struct ESRNCost: Equatable {
  public var params: Int
  /// MACs per LR input pixel (HR-resolution layers counted per their own pixels).
  public var macsPerPixel: Int

  /// MACs for an LR input of `height` × `width` (the HR output is `scale` times that).
  public func macs(height: Int, width: Int) -> Int { macsPerPixel * height * width }

  static func conv(_ i: Int, _ o: Int, _ k: Int, groups: Int = 1, pixels: Double = 1) -> (Int, Double) {
    (k * k * (i / groups) * o + o, Double(k * k * (i / groups) * o) * pixels)
  }

  /// The cost of ESRN(colors, G0, scale, architecture); nil for a malformed gene.
  public static func of(architecture: [String], g0: Int, scale: Int, colors: Int = 3) -> ESRNCost? {
    var p = 0, m = 0.0
    func add(_ c: (Int, Double)) { p += c.0; m += c.1 }
    add(conv(colors, g0, 3)); add(conv(g0, g0, 3))
    var inC = g0, total = 0
    for gene in architecture {
      guard let (kind, n, g, out) = ESRBlock.parse(gene) else { return nil }
      if inC != g { add(conv(inC, g, 1)) }
      if out != g && out != inC { add(conv(inC, out, 1)) }
      switch kind {
      case .G:
        for k in 1...n { add(conv(k * g, g, 3, groups: ESRBlock.groups(k))) }
        add(conv((n + 1) * g, out, 1))
      case .S:
        for i in 0..<n { add(conv(g, g, 3)); add(conv((2 + i) * g, i == n - 1 ? out : g, 1)) }
      case .C:
        for i in 0..<n {
          let c = conv(g, g, 3, pixels: 0.25)
          p += c.0; m += 3 * c.1
          add(i == n - 1 ? conv((n + 1) * g / 4, out, 1) : conv((2 + i) * g, g, 1, pixels: 0.25))
        }
      }
      inC = out
      total += out
    }
    add(conv(total, g0, 1)); add(conv(g0, g0, 3))
    switch scale {
    case 2: add(conv(g0, 3 * g0, 3)); add(conv(3 * g0 / 4, colors, 3, pixels: 4))
    case 3: add(conv(g0, 9 * g0, 3)); add(conv(g0, colors, 3, pixels: 9))
    default: add(conv(g0, 4 * g0, 3)); add(conv(g0, 4 * g0, 3, pixels: 4)); add(conv(g0, colors, 3, pixels: 16))
    }
    return ESRNCost(params: p, macsPerPixel: Int(m.rounded()))
  }
}
