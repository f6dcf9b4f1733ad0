import Foundation
import XCTest

/// Issue 6 §2 and §8: datasets, networks, metrics and callbacks written in Lua and named
/// by a YAML config (`general.plugins`), and the live status line on a terminal.
final class PipelinePluginTests: XCTestCase {
  var dir = ""

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("lyra-plugins-\(getpid())-\(abs(name.hashValue))").path
    try? FileManager.default.removeItem(atPath: dir)
    try FileManager.default.createDirectory(atPath: dir + "/plugins", withIntermediateDirectories: true)
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  /// Two separable classes (the sign of a + b) as a Lua dataset; a Lua network; an error
  /// rate metric (minimised); a callback that appends one line per epoch to EPOCH_LOG.
  static let plugin = """
    lyra.pipeline.register_dataset('Blobs', function(params, split)
      local n = params.n or 256
      local s = split == 'train' and 1 or 2
      local function rnd() s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648 end
      local pts = {}
      for i = 1, n do
        local a, b = rnd() * 2 - 1, rnd() * 2 - 1
        pts[i] = {a, b, (a + b > 0) and 2 or 1}
      end
      return {size = function() return n end,
              get = function(_, i) return lyra.tensor({pts[i][1], pts[i][2]}), pts[i][3] end}
    end)
    lyra.pipeline.register_network('TinyNet', function(p)
      local h = p.hidden or 8
      return lyra.nn.Sequential(lyra.nn.Linear(2, h), lyra.nn.ReLU(), lyra.nn.Linear(h, 2))
    end)
    lyra.pipeline.register_metric('error_rate', function()
      return {objective = 'min', n = 0, wrong = 0,
        reset = function(m) m.n, m.wrong = 0, 0 end,
        update = function(m, out, y)
          local _, pred = out:max(2)
          for i = 1, y:size(1) do
            m.n = m.n + 1
            if pred[i] ~= y[i] then m.wrong = m.wrong + 1 end
          end
        end,
        summary = function(m) return m.wrong / m.n end}
    end)
    lyra.pipeline.register_callback('EpochCounter', function()
      return {priority = 150,
        after_epoch = function(self, info, model)
          local f = assert(io.open(os.getenv('EPOCH_LOG'), 'a'))
          f:write(string.format('trial %s epoch %d/%d params %d\\n', info.trial, info.epoch, info.epochs, model:num_parameters()))
          f:close()
        end}
    end)
    """

  func config(plugins: String = "[plugins/blobs.lua]", metric: String = "error_rate", samples: Int = 3, extra: String = "") -> String {
    """
    general:
      seed: 0
      plugins: \(plugins)
      task: {local_base_path: \(dir)/tasks}
    pipeline: [hpo]
    hpo:
      pipe_step: {type: SearchPipeStep}
      dataset: {type: Blobs, common: {batch_size: 32, n: 256}}
      search_algorithm: {type: RandomSearch, objective_keys: \(metric), policy: {num_samples: \(samples)}}
      search_space:
        hyperparameters:
          - {key: trainer.optimizer.params.lr, type: FLOAT_EXP, range: [0.03, 0.3]}
          - {key: network.backbone.hidden, type: CATEGORY, range: [4, 16]}
      model:
        model_desc: {modules: [backbone], backbone: {type: TinyNet}}
      trainer:
        epochs: 2
        optimizer: {type: SGD, params: {lr: 0.1, momentum: 0.9}}
        metric: {type: \(metric)}
        callbacks: [EpochCounter]
    \(extra)
    """
  }

  func write(_ name: String, _ text: String) throws -> String {
    let p = dir + "/" + name
    try text.write(toFile: p, atomically: true, encoding: .utf8)
    return p
  }

  func performances() throws -> [[String: Double]] {
    let tasks = try FileManager.default.contentsOfDirectory(atPath: dir + "/tasks")
    XCTAssertEqual(tasks.count, 1)
    let folder = dir + "/tasks/" + tasks[0] + "/output/hpo"
    return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("performance_") }.map {
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/" + $0))) as? [String: Double] ?? [:]
    }
  }

  func testLuaDatasetNetworkMetricAndCallbackRunFromYAML() throws {
    _ = try write("plugins/blobs.lua", PipelinePluginTests.plugin)
    let cfg = try write("cfg.yml", config())
    let log = dir + "/epochs.log"
    let r = try runLyra(["run", cfg], environment: ["EPOCH_LOG": log, "LYRA_PROGRESS": "plain"])
    XCTAssertEqual(r.status, 0, r.err)
    // The callback ran after every epoch of every trial and saw the built model.
    let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
    XCTAssertEqual(lines.count, 6, lines.joined(separator: "\n"))
    XCTAssertTrue(lines.contains { $0.hasPrefix("trial 0 epoch 2/2 params ") }, lines.joined(separator: "\n"))
    // The Lua metric was the objective, minimised: the chosen trial has the lowest error.
    let perf = try performances()
    XCTAssertEqual(perf.count, 1)
    let best = try XCTUnwrap(perf.first?["error_rate"])
    XCTAssertLessThan(best, 0.2, "a linear problem: the best of 3 trials learns it")
    let all = r.err.split(separator: "\n").filter { $0.contains(": #") }.compactMap { line -> Double? in
      guard let range = line.range(of: "error_rate ") else { return nil }
      return Double(line[range.upperBound...].prefix { $0 != "," })
    }
    XCTAssertEqual(all.count, 3, r.err)
    XCTAssertEqual(best, all.min()!, accuracy: 1e-3)
    // Plain lines off a terminal: no carriage returns or escapes.
    XCTAssertFalse(r.err.contains("\r") || r.err.contains("\u{1B}["))
  }

  func testMissingPluginFileNamesTheKeyAndLine() throws {
    let cfg = try write("cfg.yml", config(plugins: "[plugins/nope.lua]"))
    let r = try runLyra(["run", cfg])
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(r.err.contains("cfg.yml:3"), r.err)
    XCTAssertTrue(r.err.contains("general.plugins") && r.err.contains("no such file 'plugins/nope.lua'"), r.err)
  }

  func testPluginLuaErrorNamesThePluginFileAndLine() throws {
    _ = try write("plugins/blobs.lua", "local x = 1\nerror('broken plugin')\n")
    let cfg = try write("cfg.yml", config())
    let r = try runLyra(["run", cfg])
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(r.err.contains("blobs.lua:2: broken plugin"), r.err)
    XCTAssertTrue(r.err.contains("general.plugins"), r.err)
  }

  /// With parallel_search the plug-ins run in `lyra worker` processes, which run only
  /// the files their command line names (issue 14): the runner must pass them along.
  func testPluginsReachParallelWorkersThroughTheirCommandLine() throws {
    _ = try write("plugins/blobs.lua", PipelinePluginTests.plugin)
    let cfg = try write("cfg.yml", config(samples: 2).replacingOccurrences(of: "  seed: 0\n", with: "  seed: 0\n  parallel_search: true\n  workers: 2\n"))
    let r = try runLyra(["run", cfg], environment: ["EPOCH_LOG": dir + "/e.log"])
    XCTAssertEqual(r.status, 0, r.err)
    XCTAssertFalse(r.err.contains("refusing"), r.err)
    let epochs = (try? String(contentsOfFile: dir + "/e.log", encoding: .utf8))?.split(separator: "\n") ?? []
    XCTAssertEqual(epochs.count, 4, "2 trials × 2 epochs, trained by workers that loaded the plug-in")
  }

  func testUnknownTypeSuggestsARegisteredOne() throws {
    _ = try write("plugins/blobs.lua", PipelinePluginTests.plugin)
    let cfg = try write("cfg.yml", config(metric: "error_rat"))
    let r = try runLyra(["run", cfg], environment: ["EPOCH_LOG": dir + "/e.log"])
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(r.err.contains("unknown metric 'error_rat'") && r.err.contains("did you mean 'error_rate'"), r.err)
  }

  func testAFailingLuaDatasetFailsTheTrialsNotTheProcess() throws {
    _ = try write("plugins/blobs.lua", PipelinePluginTests.plugin + """

      lyra.pipeline.register_dataset('Broken', function(params, split)
        return {size = function() return 4 end, get = function(_, i) error('no sample ' .. i) end}
      end)
      """)
    let cfg = try write("cfg.yml", config().replacingOccurrences(of: "type: Blobs", with: "type: Broken"))
    let r = try runLyra(["run", cfg], environment: ["EPOCH_LOG": dir + "/e.log"])
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(r.err.contains("no sample 1") && r.err.contains("blobs.lua:"), r.err)
  }

  func testLiveStatusLineOnATerminal() throws {
    _ = try write("plugins/blobs.lua", PipelinePluginTests.plugin)
    let cfg = try write("cfg.yml", config(samples: 4))
    let session = try PtySession(arguments: ["run", cfg], environment: ["EPOCH_LOG": dir + "/e.log"], unsetting: ["LYRA_PROGRESS"])
    XCTAssertTrue(session.expect("report:", timeout: 60))
    XCTAssertEqual(session.waitExit(timeout: 10), 0)
    let raw = session.raw
    // Redrawn in place (carriage return + erase line), with counts, the best and an ETA.
    XCTAssertTrue(raw.contains("\r\u{1B}[K[hpo] "), raw)
    XCTAssertTrue(raw.contains(" done · ") && raw.contains(" running · ") && raw.contains(" failed"), raw)
    XCTAssertTrue(raw.contains("best error_rate "), raw)
    XCTAssertTrue(raw.contains("ETA ~"), raw)
    XCTAssertTrue(raw.contains("[hpo] finished: 4 trials"), raw)
  }
}
