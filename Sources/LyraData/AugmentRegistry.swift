import LyraBase

/// The augmentation ops by their PBA/AutoAugment names, so policies written as
/// (name, probability, magnitude) triples, from a search or a config file, resolve here.
public enum AugmentRegistry {
  private static let ops = Registry<any AugmentOp>(kind: "augmentation op", ([
    AutoContrast(), Enhance(.brightness), Enhance(.color), Enhance(.contrast), Crop(), Cutout(), Equalize(), Flip(),
    IdentityOp(), Invert(), Posterize(), Rotate(), Enhance(.sharpness), Shear(.x), Shear(.y), Solarize(),
    Translate(.x), Translate(.y),
  ] as [any AugmentOp]).map { ($0.name, $0) })

  /// All known names, sorted.
  public static var names: [String] { ops.names }

  /// The op called `name`; an unknown name is an error that lists the known ones.
  public static func op(named name: String) throws -> any AugmentOp {
    guard let op = ops[name] else {
      throw DataError(file: "augment", "unknown augmentation op '\(name)'; known ops: \(names.joined(separator: ", "))")
    }
    return op
  }
}
