import ArgumentParser
import Foundation
import LyraPipeline

/// `lyra _store-bench --store PATH|URL --workers 16 --trials 2000`: claims + completions per second of no-op
/// trials (scripts/bench/store_throughput.sh). Hidden: a benchmark, not a user command.
struct StoreBench: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "_store-bench", abstract: "Store throughput benchmark.", shouldDisplay: false)

  @Option var store: String
  @Option var workers: Int = 16
  @Option var trials: Int = 2000

  func run() throws {
    do {
      let o = try StoreThroughput.run(store: store, workers: workers, trials: trials)
      print(String(format: "%d trials, %d workers: %.2f s, %.0f claims+completions/s", o.trials, workers, o.seconds, o.operationsPerSecond))
    } catch {
      FileHandle.standardError.write(Data("lyra _store-bench: \(Redact.urls(in: "\(error)"))\n".utf8))
      throw ExitCode(1)
    }
  }
}
