/// Series colours: the Tableau 10 palette (distinct in print and for most colour-blind
/// readers), assigned in series order so the same plot always gets the same colours.
public enum Palette {
  public static let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                              "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
  /// Neutral colour for background points (e.g. all trials behind a Pareto front).
  public static let muted = "#b0b0b0"
  public static func color(_ i: Int) -> String { colors[((i % colors.count) + colors.count) % colors.count] }
}
