import Foundation

struct CampaignError: Error, CustomStringConvertible { let description: String }

/// What `lyra-fuzz run` was asked for.
struct CampaignOptions {
  var target: String
  var seconds: Double?
  var runs: Int?
  var seed: UInt64 = 1
  /// CPU seconds one input may take before it counts as a hang (see `execute`).
  var timeout: Double = 10
  var corpus: String
  var out: String

  init(target: String, arguments: [String]) throws {
    self.target = target
    corpus = "Tests/fuzz/corpus/" + target
    out = "Tests/fuzz/regressions/" + target
    var rest = arguments[...]
    while let flag = rest.popFirst() {
      guard let value = rest.popFirst() else { throw CampaignError(description: "\(flag) needs a value") }
      switch flag {
      case "--seconds": seconds = Double(value)
      case "--runs": runs = Int(value)
      case "--seed": seed = UInt64(value) ?? 1
      case "--timeout": timeout = Double(value) ?? 10
      case "--corpus": corpus = value
      case "--out": out = value
      default: throw CampaignError(description: "unknown option \(flag) (--seconds, --runs, --seed, --timeout, --corpus, --out)")
      }
    }
    if seconds == nil && runs == nil { seconds = 10 }
  }
}

/// A mutation campaign: a child process runs the inputs (`ChildServer`); when it dies or
/// stops answering, the input it was given is saved under `out` as crash-… or hang-… and
/// a fresh child takes over. The campaign ends after `seconds` or `runs`, whichever first.
final class Campaign {
  let options: CampaignOptions
  private(set) var findings: [String] = []
  /// Findings per signature (the reason with addresses and numbers blanked): one bug found
  /// ten thousand times is kept as its first two inputs, and counted.
  private var signatures: [String: Int] = [:]
  private var child: Process?
  private var toChild: FileHandle?
  private var fromChild: Int32 = -1
  private var stderrLog: String

  init(_ options: CampaignOptions) {
    self.options = options
    stderrLog = NSTemporaryDirectory() + "/lyra-fuzz-\(options.target)-\(getpid()).log"
  }

  struct Result { var executions: Int; var findings: [String]; var seconds: Double }

  func seeds() -> [[UInt8]] {
    let fm = FileManager.default
    let names = ((try? fm.contentsOfDirectory(atPath: options.corpus)) ?? []).sorted()
    let files = names.compactMap { fm.contents(atPath: options.corpus + "/" + $0) }.map { [UInt8]($0) }
    return files.isEmpty ? [[]] : files
  }

  func run() -> Result {
    signal(SIGPIPE, SIG_IGN)
    let corpus = seeds()
    var mutator = Mutator(seed: options.seed, dictionary: FuzzTargets.dictionary(options.target))
    let start = Date()
    var executions = 0
    var lastReport = start
    // A fingerprint of every input run, printed at the end: equal seeds give equal runs.
    var inputsHash: UInt64 = 0xcbf2_9ce4_8422_2325
    print("lyra-fuzz \(options.target): \(corpus.count) seeds, seed \(options.seed), "
      + (options.runs.map { "\($0) runs" } ?? "") + (options.seconds.map { " \($0) s" } ?? ""))
    while true {
      if let r = options.runs, executions >= r { break }
      if let s = options.seconds, Date().timeIntervalSince(start) >= s { break }
      // Seeds first, unmutated: they must pass too.
      let input: [UInt8] = executions < corpus.count
        ? corpus[executions]
        : mutator.mutate(corpus[mutator.below(corpus.count)], other: corpus[mutator.below(corpus.count)])
      executions += 1
      for b in input { inputsHash = (inputsHash ^ UInt64(b)) &* 0x100_0000_01b3 }
      inputsHash = (inputsHash ^ 0xFF) &* 0x100_0000_01b3
      switch execute(input) {
      case .ok: break
      case .crashed(let why): record(input, kind: "crash", why: why)
      case .hung: record(input, kind: "hang", why: "no answer within \(options.timeout) s of CPU time")
      }
      if Date().timeIntervalSince(lastReport) >= 10 {
        lastReport = Date()
        print("  \(executions) executions, \(findings.count) findings, \(Int(Date().timeIntervalSince(start))) s")
      }
    }
    stopChild()
    try? FileManager.default.removeItem(atPath: stderrLog)
    let seconds = Date().timeIntervalSince(start)
    print("lyra-fuzz \(options.target): \(executions) executions in \(String(format: "%.1f", seconds)) s, "
      + "\(findings.count) crashes or hangs, \(signatures.count) distinct; inputs " + String(format: "%016llx", inputsHash))
    for (sig, n) in signatures.sorted(by: { $0.value > $1.value }) { print("  \(n) × \(sig)") }
    return Result(executions: executions, findings: findings, seconds: seconds)
  }

  enum Outcome { case ok, crashed(String), hung }

  func execute(_ input: [UInt8]) -> Outcome {
    if child == nil {
      do { try startChild() } catch { return .crashed("cannot start the child: \(error)") }
    }
    var frame = withUnsafeBytes(of: UInt32(input.count).littleEndian) { Array($0) }
    frame += input
    do { try toChild!.write(contentsOf: Data(frame)) } catch { return finishCrashed() }
    // A hang is judged by the child's CPU time (not by the clock, which a loaded machine
    // stretches): more than `timeout` CPU seconds on one input, or 10 × timeout of wall time
    // without an answer (a child blocked without computing).
    let pid = child!.processIdentifier
    let cpu0 = Campaign.cpuSeconds(pid)
    let wall0 = Date()
    var pfd = pollfd(fd: fromChild, events: Int16(POLLIN), revents: 0)
    while poll(&pfd, 1, Int32(min(options.timeout, 1) * 1000)) == 0 {
      if Campaign.cpuSeconds(pid) - cpu0 > options.timeout || Date().timeIntervalSince(wall0) > 10 * options.timeout {
        kill(pid, SIGKILL)
        stopChild()
        return .hung
      }
    }
    var byte: UInt8 = 0
    if read(fromChild, &byte, 1) == 1 { return .ok }
    return finishCrashed()
  }

  /// User + system CPU seconds of a process, from /proc/PID/stat (0 where unreadable).
  static func cpuSeconds(_ pid: Int32) -> Double {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = text.lastIndex(of: ")") else { return 0 }
    let fields = text[text.index(after: close)...].split(separator: " ")
    // After the command name: state is field 3, utime 14 and stime 15 (1-based).
    guard fields.count > 13, let u = Double(fields[11]), let s = Double(fields[12]) else { return 0 }
    return (u + s) / Double(sysconf(Int32(_SC_CLK_TCK)))
  }

  private func finishCrashed() -> Outcome {
    guard let c = child else { return .crashed("no child") }
    c.waitUntilExit()
    let why = c.terminationReason == .uncaughtSignal ? "signal \(c.terminationStatus)" : "exit status \(c.terminationStatus)"
    let log = (try? String(contentsOfFile: stderrLog, encoding: .utf8)) ?? ""
    stopChild()
    let tail = log.split(separator: "\n").suffix(3).joined(separator: " | ")
    return .crashed(why + (tail.isEmpty ? "" : ": " + tail))
  }

  private func startChild() throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0].hasPrefix("/")
      ? CommandLine.arguments[0] : FileManager.default.currentDirectoryPath + "/" + CommandLine.arguments[0])
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { p.executableURL = URL(fileURLWithPath: exe) }
    p.arguments = ["child", options.target]
    let inPipe = Pipe(), outPipe = Pipe()
    FileManager.default.createFile(atPath: stderrLog, contents: nil)
    p.standardInput = inPipe
    p.standardOutput = outPipe
    p.standardError = FileHandle(forWritingAtPath: stderrLog)
    try p.run()
    child = p
    toChild = inPipe.fileHandleForWriting
    fromChild = outPipe.fileHandleForReading.fileDescriptor
    self.outPipe = outPipe
  }
  private var outPipe: Pipe?

  private func stopChild() {
    if let c = child {
      try? toChild?.close()
      if c.isRunning { kill(c.processIdentifier, SIGKILL) }
      c.waitUntilExit()
      try? FileManager.default.removeItem(atPath: FuzzTargets.scratchFolder(target: options.target, pid: c.processIdentifier))
    }
    child = nil
    toChild = nil
    outPipe = nil
    fromChild = -1
  }

  /// Saves the input under `out` (named by a hash of its bytes, so the same input is kept once).
  private func record(_ input: [UInt8], kind: String, why: String) {
    let signature = kind + ":" + why.replacingOccurrences(of: "0x[0-9a-f]+", with: "_", options: .regularExpression)
    signatures[signature, default: 0] += 1
    if signatures[signature]! > 2 {
      if signatures[signature]! == 3 { print("  (more inputs with this signature are counted, not kept: \(signature))") }
      findings.append("(same as an earlier \(kind)) \(why)")
      return
    }
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in input { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    let path = options.out + "/\(kind)-" + String(format: "%016llx", h)
    try? FileManager.default.createDirectory(atPath: options.out, withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: path, contents: Data(input))
    findings.append("\(path) (\(why))")
    print("  FOUND \(kind): \(path) (\(why))")
  }
}
