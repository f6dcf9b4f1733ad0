import ArgumentParser
import Foundation
import LyraBase
import LyraPipeline

/// `lyra status TASK`: a finished or running task's summary, from its reports.json and store.
struct Status: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Summarise a task (running or finished).")

  @Argument(help: "The task id (a folder under --tasks) or a task folder path.")
  var task: String?

  @Option(help: ArgumentHelp("A PostgreSQL trial store: every task in the database, or with TASK that task's steps.", valueName: "URL"))
  var store: String?

  @Option(help: "Where tasks live.")
  var tasks: String = "./tasks"

  @Flag(help: "Print the effective config the task runs with (every --set applied) instead of the summary.")
  var config = false

  func run() throws {
    if let store {
      do { print(try PostgresTasks.status(store, task: task)) } catch {
        FileHandle.standardError.write(Data("lyra status: \(Redact.urls(in: "\(error)"))\n".utf8))
        throw ExitCode(1)
      }
      return
    }
    guard let task else {
      FileHandle.standardError.write(Data("lyra status: give a task (lyra status TASK) or a database (lyra status --store URL)\n".utf8))
      throw ExitCode(2)
    }
    let root = FileManager.default.fileExists(atPath: TaskLayout(root: task).outputFolder) ? task : tasks + "/" + task
    do {
      print(config ? try TaskStatus.recordedConfig(root: root) : try TaskStatus.summary(root: root))
    } catch {
      FileHandle.standardError.write(Data("lyra status: \(error)\n".utf8))
      throw ExitCode(1)
    }
  }
}
