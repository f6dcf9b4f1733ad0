import Foundation
import LyraBase
import LyraSearch

/// Trial files for workers without the coordinator's disk (PostgreSQL stores): what a trial wrote into its
/// `workers/<step>/<id>/` and `checkpoints/<step>/<id>/` folders (description, hyperparameters, performance,
/// learning curve, model description and best weights: what later steps and the report read) is stored in the
/// `artifacts` table with the result, in the same transaction, and written into the coordinator's task folder
/// when it tells the algorithm the result. So `output/` is built from files in VEGA's layout as with SQLite.
///
/// Stored as bytea rows of `chunkSize` bytes (1 MiB) per file, so no single value approaches PostgreSQL's 1 GB
/// bytea limit and a row never needs a huge protocol message; a whole file is read into memory on both sides, so
/// the practical limit is a file of a few hundred MiB. `checkpoint.safetensors` (the trainer's resume state,
/// optimiser included) is left out: it only helps the same trial resume, and the weights are kept anyway.
extension TrialStore {
  static let artifactChunkSize = 1 << 20
  static let artifactSkipped: Set<String> = ["checkpoint.safetensors"]

  /// The trial's folders, relative to the task folder.
  static func artifactFolders(step: String, trial: Int) -> [String] {
    ["\(TaskLayout.workersFolderName)/\(step)/\(trial)", "\(TaskLayout.checkpointsFolderName)/\(step)/\(trial)"]
  }

  /// Writes a worker's result and, in the same transaction, the trial's files under `directory`. False (nothing
  /// written) when the worker no longer owns the trial.
  func finishWithArtifacts(step: String, trial: Int, worker: String, result: TrialResult, error: String?,
                           chunkSize: Int = TrialStore.artifactChunkSize) throws -> Bool {
    struct NotOwner: Error {}
    if artifactsDirectory != nil {  // files first, into this worker's own folder; then the result
      try copyArtifactsOut(step: step, trial: trial, worker: worker)
      return try finish(step: step, trial: trial, worker: worker, result: result, error: error)
    }
    do {
      return try transaction {
        guard try finish(step: step, trial: trial, worker: worker, result: result, error: error) else { throw NotOwner() }
        try db.query("DELETE FROM artifacts WHERE step = ? AND trial = ?", [.text(step), .integer(Int64(trial))])
        for name in try artifactFiles(step: step, trial: trial) {
          let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
          var k = 0, offset = 0
          repeat {
            let piece = Array(bytes[offset..<min(offset + chunkSize, bytes.count)])
            try db.query("INSERT INTO artifacts(step, trial, name, chunk, data) VALUES (?, ?, ?, ?, ?)",
                         [.text(step), .integer(Int64(trial)), .text(name), .integer(Int64(k)), .blob(piece)])
            k += 1
            offset += chunkSize
          } while offset < bytes.count
        }
        return true
      }
    } catch is NotOwner { return false }
  }

  /// The trial's files under `directory`, relative to it, sorted.
  func artifactFiles(step: String, trial: Int) throws -> [String] {
    var out: [String] = []
    for folder in TrialStore.artifactFolders(step: step, trial: trial) {
      guard let walk = FileManager.default.enumerator(atPath: directory + "/" + folder) else { continue }
      for case let rel as String in walk {
        var isDir: ObjCBool = false
        let full = directory + "/" + folder + "/" + rel
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue,
              !TrialStore.artifactSkipped.contains((rel as NSString).lastPathComponent) else { continue }
        out.append(folder + "/" + rel)
      }
    }
    return out.sorted()
  }

  /// Writes the trial's stored files into `directory` (the coordinator's task folder); returns their names. A name
  /// that would leave the folder (absolute, or with `..`) is refused: the database is not trusted with paths.
  @discardableResult
  public func materialiseArtifacts(step: String, trial: Int, into directory: String) throws -> [String] {
    if artifactsDirectory != nil {  // `--artifacts DIR`: from the folder of the worker whose result was accepted
      guard let found = try artifactsIn(step: step, trial: trial) else { return [] }
      for name in found.names {
        try checkArtifactName(name, step: step, trial: trial)
        try copyFile(found.folder + "/" + name, to: directory + "/" + name)
      }
      return found.names
    }
    let rows = try db.query("SELECT name, data FROM artifacts WHERE step = ? AND trial = ? ORDER BY name, chunk",
                            [.text(step), .integer(Int64(trial))])
    var files: [(String, [UInt8])] = []
    for r in rows {
      guard let name = r[0].string, case .blob(let bytes) = r[1] else { continue }
      if files.last?.0 == name { files[files.count - 1].1 += bytes } else { files.append((name, bytes)) }
    }
    for (name, bytes) in files {
      try checkArtifactName(name, step: step, trial: trial)
      let target = directory + "/" + name
      try FileAccessError.guarding(target, "write") {
        try FileManager.default.createDirectory(atPath: PathText.parent(target), withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: target), options: .atomic)
      }
    }
    return files.map(\.0)
  }

  /// A stored file name must stay inside the trial's folders (neither the database nor a shared directory is trusted).
  private func checkArtifactName(_ name: String, step: String, trial: Int) throws {
    guard !name.hasPrefix("/"), !name.split(separator: "/").contains(".."),
          TrialStore.artifactFolders(step: step, trial: trial).contains(where: { name.hasPrefix($0 + "/") }) else {
      throw StoreError("\(path): trial \(trial) of step \(step): artifact name \(name) is outside the trial's folders")
    }
  }
}
