import Foundation
import LyraBase

/// Lua files a config loads before its steps run (`general.plugins: [my_data.lua]`):
/// they register datasets, networks, metrics and callbacks that the YAML then names
/// by `type` (VEGA's ClassFactory plug-in point, docs/architecture.md#descriptions-are-data).
///
/// Why a loader hook instead of a Lua dependency: LyraPipeline sits below LyraLua, so
/// the Lua host installs `loader` (the `lyra` command, `lyra worker` and
/// `lyra.pipeline.run` all do), and the pipeline only says which files to run and when:
/// once in the pipeline process before any step, and once in each worker process
/// before its first trial — the same files, so both sides know the same names.
public enum Plugins {
  /// Runs one Lua file (an absolute path). Errors carry the file and line.
  public typealias Loader = (String) throws -> Void

  private static let lock = NSLock()
  nonisolated(unsafe) private static var currentLoader: Loader?
  nonisolated(unsafe) private static var loaded: Set<String> = []
  nonisolated(unsafe) private static var allowed: Set<String>?

  /// Restricts this process to the plug-in files in `files` (nil: no restriction).
  ///
  /// Why: a `lyra worker` reads the plug-in paths from the trial store, and running a
  /// path taken from a database means whoever can write the database runs code on every
  /// worker. A worker therefore calls this with the files ITS OWN command line names
  /// (`--plugin FILE`, which the runner passes from the config it read); a store that
  /// names any other file is refused. The pipeline process itself runs what its config
  /// names and is not restricted.
  public static func restrict(to files: [String]?) {
    lock.lock(); defer { lock.unlock() }
    allowed = files.map { Set($0.map(canonical)) }
  }

  /// An absolute, standardised path (symbolic links resolved), so `a/../b.lua` and
  /// `b.lua` compare equal.
  public static func canonical(_ path: String) -> String {
    var p = path
    if !(p as NSString).isAbsolutePath { p = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(p) }
    return ((p as NSString).standardizingPath as NSString).resolvingSymlinksInPath
  }

  /// Installs the loader; files already loaded by an earlier loader load again in the new one.
  public static func install(_ loader: Loader?) {
    lock.lock(); defer { lock.unlock() }
    currentLoader = loader
    loaded = []
  }

  /// The plugin files a `general` section names (absolute paths, as the config stored them).
  public static func files(_ general: JSON) -> [String] {
    if let s = general["plugins"]?.string { return [s] }
    return general["plugins"]?.array?.compactMap(\.string) ?? []
  }

  /// Loads the plugins `general` names that this process has not loaded yet.
  public static func load(_ general: JSON) throws {
    let files = files(general)
    guard !files.isEmpty else { return }
    lock.lock()
    let loader = currentLoader
    let todo = files.filter { !loaded.contains($0) }
    let allow = allowed
    lock.unlock()
    guard !todo.isEmpty else { return }
    if let allow, let bad = todo.first(where: { !allow.contains(canonical($0)) }) {
      throw PluginError("refusing to run plug-in \(bad): the trial store names it, but this worker's command line does not " +
                        "(start the worker with --plugin \(bad) if you trust that file)")
    }
    guard let loader else {
      throw PluginError("\(files.joined(separator: ", ")) need the Lua host; run the config with `lyra run` or lyra.pipeline.run")
    }
    for f in todo {
      do { try loader(f) } catch { throw PluginError("\(error)") }
      lock.lock(); loaded.insert(f); lock.unlock()
    }
  }

  /// Checks and resolves `general.plugins` (a path or a list of paths, relative to the
  /// config file's folder) to absolute paths of existing files.
  static func resolve(_ value: JSON, relativeTo folder: String, fail: (String) -> Error) throws -> JSON {
    let list: [JSON]
    if value.string != nil { list = [value] } else if let a = value.array { list = a } else {
      throw fail("expected a file name or a list of file names, got \(value.text)")
    }
    var out: [JSON] = []
    for v in list {
      guard let p = v.string, !p.isEmpty else { throw fail("expected file names, got \(v.text)") }
      var path = (p as NSString).isAbsolutePath ? p : (folder as NSString).appendingPathComponent(p)
      if !(path as NSString).isAbsolutePath {
        path = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
      }
      let full = (path as NSString).standardizingPath
      guard FileManager.default.isReadableFile(atPath: full) else { throw fail("no such file '\(p)' (looked for \(full))") }
      out.append(.string(full))
    }
    return .array(out)
  }
}

/// A plugin file failed to load (its Lua error, with file and line).
public struct PluginError: Error, CustomStringConvertible {
  public var description: String
  public init(_ d: String) { description = d }
}
