import Foundation
import LyraBase

/// `--artifacts DIR`: trial files kept in a directory every machine of the search mounts (NFS, a cluster file
/// system) instead of the database's `artifacts` table. Why offer it: files of hundreds of MiB (weights of big
/// networks) stream through a file system without passing through PostgreSQL's WAL and memory; the database then
/// holds only trials and states.
///
/// Layout: a worker writes its trial's files into `DIR/<task>/<step>/<trial>/<worker>/`, then stores its result;
/// the coordinator copies the files of the worker whose result the database accepted into its task folder (as
/// it does from the database), so a refused late result's files, in their own folder, are never read. The task
/// records that its files are in a directory (meta `artifacts`), so a worker started without `--artifacts`
/// (or with it, for a task that uses the database) is refused rather than producing files nobody reads.
public enum ArtifactsDirectory {
  static let metaKey = "artifacts"

  /// A directory path, or a `file:` URL of one, made absolute. Other URL schemes (s3:, gs:, http:) are refused.
  public static func parse(_ text: String) throws -> String {
    var path = text
    if let colon = text.range(of: "://") {
      let scheme = String(text[..<colon.lowerBound]).lowercased()
      guard scheme == "file" else {
        throw StoreError("--artifacts \(Redact.urls(in: text)): only a directory is supported (a path, or file:///path); "
                         + "\(scheme): URLs are not: mount it as a directory on every machine, or leave --artifacts out to keep trial files in the database")
      }
      path = String(text[colon.upperBound...])
      guard path.hasPrefix("/") else { throw StoreError("--artifacts \(text): a file: URL needs an absolute path (file:///path)") }
    }
    guard !path.isEmpty else { throw StoreError("--artifacts: give a directory") }
    return path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
  }
}

extension TrialStore {
  /// Where this process's trial files go (a worker) or come from (the coordinator): `dir` (parsed by
  /// `ArtifactsDirectory.parse`), or nil for the database. The coordinator records the choice in the task; a worker
  /// must make the same one.
  public func useArtifacts(_ dir: String?, coordinator: Bool) throws {
    guard let task else {
      if dir != nil { throw StoreError("--artifacts is for a PostgreSQL store: with SQLite the trial files are in the task folder already") }
      return
    }
    let recorded = try meta(ArtifactsDirectory.metaKey)?.string
    if coordinator {
      if recorded == "directory" && dir == nil {
        throw StoreError("task \(task) keeps its trial files in a directory: resume it with --artifacts DIR")
      }
      if recorded != nil && recorded != "directory" && dir != nil {
        throw StoreError("task \(task) keeps its trial files in the database: resume it without --artifacts")
      }
      try setMeta(ArtifactsDirectory.metaKey, .string(dir == nil ? "database" : "directory"))
    } else if (recorded == "directory") != (dir != nil) {
      throw StoreError(dir == nil ? "task \(task) keeps its trial files in a directory: start the worker with --artifacts DIR (where that directory is mounted here)"
                                  : "task \(task) keeps its trial files in the database: start the worker without --artifacts")
    }
    if let dir {
      try FileAccessError.guarding(dir, "create") { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    }
    artifactsDirectory = dir
  }

  /// `DIR/<task>/<step>/<trial>/<worker>`: one folder per attempt's worker.
  func artifactsFolder(step: String, trial: Int, worker: String) -> String? {
    guard let dir = artifactsDirectory, let task else { return nil }
    let name = worker.replacingOccurrences(of: "/", with: "_")
    return "\(dir)/\(task)/\(step)/\(trial)/" + (name.hasPrefix(".") ? "_" + name : name)
  }

  /// Copies the trial's files (`artifactFiles`) from `directory` into the artifacts directory's folder of `worker`.
  func copyArtifactsOut(step: String, trial: Int, worker: String) throws {
    guard let folder = artifactsFolder(step: step, trial: trial, worker: worker) else { return }
    try? FileManager.default.removeItem(atPath: folder)
    for name in try artifactFiles(step: step, trial: trial) {
      try copyFile(directory + "/" + name, to: folder + "/" + name)
    }
  }

  /// The files the accepted worker of the trial left in the artifacts directory, relative to its folder.
  func artifactsIn(step: String, trial: Int) throws -> (folder: String, names: [String])? {
    guard let owner = try self.trial(step: step, id: trial)?.worker,
          let folder = artifactsFolder(step: step, trial: trial, worker: owner) else { return nil }
    let names = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).filter { rel in
      var isDir: ObjCBool = false
      return FileManager.default.fileExists(atPath: folder + "/" + rel, isDirectory: &isDir) && !isDir.boolValue
    }
    return (folder, names.sorted())
  }

  func copyFile(_ from: String, to target: String) throws {
    try FileAccessError.guarding(target, "write") {
      try FileManager.default.createDirectory(atPath: PathText.parent(target), withIntermediateDirectories: true)
      try Data(contentsOf: URL(fileURLWithPath: from)).write(to: URL(fileURLWithPath: target), options: .atomic)
    }
  }
}
