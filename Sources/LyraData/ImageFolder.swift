import Foundation
import LyraBase

/// torchvision's `ImageFolder`: images laid out as `root/CLASS/.../NAME.png|jpg|jpeg`, one
/// class per subdirectory of `root`, classes sorted by name (label = position, 0-based here),
/// files found recursively and sorted by path within each class.
///
/// Why decoded up front (torchvision decodes lazily): a `Dataset` item cannot fail, so every
/// bad file must be reported when the dataset is built, naming the file; and 8-bit CHW pixels
/// in memory are what `ImageDataset` already serves to the loader, augmentation included.
public struct ImageFolder: Dataset {
  /// File name endings read as images (case-insensitive); other files are skipped.
  public static let extensions = ["png", "jpg", "jpeg"]

  /// The images as raw [0, 255] pixels, CHW; `data.classes` are the class directory names.
  public var data: ImageDataset
  /// The image files in sample order.
  public let files: [String]

  /// Reads every image under `root`. `size` (height, width) resizes each image with
  /// nearest-neighbour sampling; without it all images must have the same size.
  /// `grayscale` gives 1 channel, otherwise 3 (RGB).
  public init(root: String, size: (height: Int, width: Int)? = nil, grayscale: Bool = false) throws {
    if let size, size.height < 1 || size.width < 1 {
      throw DataError(file: root, "ImageFolder: size must be positive, got \(size.height)x\(size.width)")
    }
    let (classes, found) = try ImageFolder.scan(root)
    let channels = grayscale ? 1 : 3
    var pixels: [UInt8] = []
    var labels: [Int32] = []
    var shape: [Int]?
    var first = ""
    for (file, label) in found {
      try Interruption.check()  // tens of thousands of files take a while; Ctrl-C stops the read
      let image = try ImageDecoder.read(file, channels: channels)
      let (h, w) = size ?? (image.height, image.width)
      if let shape, shape != [channels, h, w] {
        throw DataError(file: file, "ImageFolder: image is \(image.height)x\(image.width) but \(first) is \(shape[1])x\(shape[2]); "
          + "give size = {h, w} to resize every image to one size")
      }
      if shape == nil {
        shape = [channels, h, w]
        first = file
      }
      let total = pixels.count + channels * h * w
      do { try CheckedSize.bytes(count: total, elementSize: 1, "ImageFolder \(root)") } catch {
        throw DataError(file: file, "ImageFolder: the decoded images so far take more memory than allowed (\(error))")
      }
      image.appendCHW(to: &pixels, height: h, width: w)
      labels.append(Int32(label))
    }
    data = ImageDataset(pixels: pixels, labels: labels, imageShape: shape ?? [channels, 0, 0], classes: classes)
    files = found.map(\.file)
  }

  /// The class names (sorted subdirectories of `root`) and every image file with its label.
  /// Throws when `root` is missing, has no class directory, or a class has no image.
  public static func scan(_ root: String) throws -> (classes: [String], files: [(file: String, label: Int)]) {
    let fm = FileManager.default
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
      throw DataError(file: root, "ImageFolder: no such directory")
    }
    let classes = try entries(root).filter { isDirectory("\(root)/\($0)") }
    guard !classes.isEmpty else {
      throw DataError(file: root, "ImageFolder: no class directories (expected root/CLASS/image.png, one directory per class)")
    }
    var files: [(file: String, label: Int)] = []
    for (label, name) in classes.enumerated() {
      let found = try images(in: "\(root)/\(name)")
      guard !found.isEmpty else {
        throw DataError(file: "\(root)/\(name)", "ImageFolder: class '\(name)' has no image (.png, .jpg or .jpeg files)")
      }
      files += found.map { ($0, label) }
    }
    return (classes, files)
  }

  /// How deep class directories may nest: symbolic links are followed (as torchvision does),
  /// so a link to a parent would otherwise recurse until the stack overflows.
  public static let maxDepth = 32

  /// Image files under `dir`, recursively, sorted by name at each level; a directory whose
  /// name ends in an image extension is an error (it would otherwise be skipped silently).
  static func images(in dir: String, depth: Int = 0) throws -> [String] {
    guard depth < maxDepth else {
      throw DataError(file: dir, "ImageFolder: directories nest more than \(maxDepth) deep (a symbolic link to a parent directory?)")
    }
    var out: [String] = []
    for name in try entries(dir) {
      let path = "\(dir)/\(name)"
      let isImageName = extensions.contains((name as NSString).pathExtension.lowercased())
      if isDirectory(path) {
        if isImageName { throw DataError(file: path, "ImageFolder: is a directory, not an image file; rename or move it") }
        out += try images(in: path, depth: depth + 1)
      } else if isImageName {
        out.append(path)
      }
    }
    return out
  }

  static func entries(_ dir: String) throws -> [String] {
    do { return try FileManager.default.contentsOfDirectory(atPath: dir).sorted() } catch {
      throw DataError(file: dir, "ImageFolder: cannot list the directory (\(error.localizedDescription))")
    }
  }

  static func isDirectory(_ path: String) -> Bool {
    var isDir: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
  }

  public var count: Int { data.count }
  public func item(at index: Int) -> Sample { data.item(at: index) }
}
