import ArgumentParser
import Foundation
import LyraBase
import LyraPipeline

/// `lyra status TASK`: a finished or running task's summary, from its reports.json and store.
struct Status: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Summarise a task (running or finished).")

  @Argument(help: "The task id (a folder under --tasks) or a task folder path.")
  var task: String

  @Option(help: "Where tasks live.")
  var tasks: String = "./tasks"

  func run() throws {
    let root = FileManager.default.fileExists(atPath: TaskLayout(root: task).outputFolder) ? task : tasks + "/" + task
    do {
      print(try TaskStatus.summary(root: root))
    } catch {
      FileHandle.standardError.write(Data("lyra status: \(error)\n".utf8))
      throw ExitCode(1)
    }
  }
}
