/// A dataset that brings its own training transform (a super-resolution set's aligned
/// LR/HR crops and flips, which no generic image op can do on a packed pair); the loader
/// of the training split applies it before any configured transforms.
public protocol SelfAugmenting {
  var augmentation: (any Transform)? { get }
}
