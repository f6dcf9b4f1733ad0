import Foundation
import LyraBase
import LyraPipeline

/// `lyra.pipeline.run(cfg)`: the same code path as `lyra run cfg.yml`, from a config
/// file path or a Lua table in VEGA's schema.
enum PipelineLua {
  static func open(_ state: LuaState) {
    state.register("lyra.pipeline.run", help: """
      lyra.pipeline.run(config [, {resume = task_id, workers = n, seed = s, quiet = false, force = false}]) -> summary
      Runs a pipeline: config is a YAML file path or a table in VEGA's schema
      ({pipeline = {'hpo'}, hpo = {pipe_step = {type = 'SearchPipeStep'}, ...}}).
      Resuming a task with a config that differs from the recorded one is refused with the keys
      that differ, unless force = true (as `lyra run --force`): then the new config is recorded and used.
      Returns {task =, root =, interrupted =, steps = {{name =, status =, models =}}, best = {[step] = {id =, performance = {...}}},
      forced = {"key: recorded → new", ...}}.
      """) { call in
      let pipeline: Pipeline
      var resume: String?, workers: Int?, seed: Int?, quiet = false, force = false
      if let o = try call.options(2) {
        resume = try o.string("resume")
        workers = try o.int("workers")
        seed = try o.int("seed")
        if let s = seed, s < 0 || s > Int(UInt32.max) {
          throw LuaArgumentError(2, "seed must be in 0...\(UInt32.max), got \(s)")
        }
        if let w = workers, w < 1 || w > 4096 { throw LuaArgumentError(2, "workers must be in 1...4096, got \(w)") }
        quiet = try o.bool("quiet") ?? false
        force = try o.bool("force") ?? false
        try o.finish()
      }
      // Plugins named by the config run in this state, so their types are this script's.
      let state = call.state
      Plugins.install { [weak state] path in
        guard let state else { throw LuaFailure("the Lua state is closed") }
        try state.execute("dofile(...)", name: "=(general.plugins)", args: [.string(path)])
      }
      do {
        if call.stack.type(1) == .string {
          let doc = try YAMLDocument(contentsOf: try call.string(1))
          pipeline = try Pipeline(raw: doc.value, file: doc.file, lines: doc.lines, sourceText: doc.text, resume: resume, force: force)
        } else {
          try call.table(1)
          pipeline = try Pipeline(raw: LuaJSON.json(call.stack.value(1)), file: "(lua table)", resume: resume, force: force)
        }
      } catch let e as LuaFailure { throw e } catch let e as ConfigDrift {
        throw LuaFailure("\(e)\n(from Lua: lyra.pipeline.run(config, {resume = '\(e.taskID)', force = true}))")
      } catch {
        throw LuaFailure("\(error)") // config errors, a task locked by another runner, unwritable folders
      }
      pipeline.workers = workers
      pipeline.seedOverride = seed.map { UInt64($0) }
      if quiet { pipeline.log = { _ in } }
      let summary: Pipeline.Summary
      do { summary = try pipeline.run() } catch let e as LuaFailure { throw e } catch { throw LuaFailure("\(error)") }
      let steps: [LuaValue] = summary.steps.map {
        .table(array: [], fields: ["name": .string($0.name), "status": .string($0.status), "models": .integer($0.numModels)])
      }
      var best: [String: LuaValue] = [:]
      for (k, r) in summary.best {
        best[k] = .table(array: [], fields: ["id": .integer(r.workerID), "performance": .table(array: [], fields: r.performance.mapValues { .number($0) }),
                                             "desc": LuaJSON.lua(r.desc), "hps": LuaJSON.lua(r.hps)])
      }
      call.stack.push(.table(array: [], fields: ["task": .string(summary.taskID), "root": .string(summary.root),
                                                  "interrupted": .boolean(summary.interrupted),
                                                  "forced": .table(array: pipeline.forcedChanges.map { .string($0) }, fields: [:]),
                                                  "steps": .table(array: steps, fields: [:]), "best": .table(array: [], fields: best)]))
      return 1
    }
    state.register("lyra.pipeline.status", help: """
      lyra.pipeline.status(task_folder) -> string
      The summary `lyra status` prints for a task folder.
      """) { call in
      do { call.push(try TaskStatus.summary(root: try call.string(1))) } catch let e as LuaArgumentError { throw e } catch { throw LuaFailure("\(error)") }
      return 1
    }
    state.register("lyra.pipeline.report", help: """
      lyra.pipeline.report(task_folder) -> html_path, markdown_path
      Writes output/report.html and output/report.md of a task folder again from its
      output/reports.json and curve files (a running, finished or copied task).
      """) { call in
      do {
        let out = try ReportWriter(taskRoot: try call.string(1)).write()
        call.push(out.html)
        call.push(out.markdown)
      } catch let e as LuaArgumentError { throw e } catch { throw LuaFailure("\(error)") }
      return 2
    }
    let s = state.stack
    s.pushTable(path: "lyra.pipeline")
    state.setHelp(-1, name: "lyra.pipeline", help: "lyra.pipeline: run VEGA-style pipelines (lyra.pipeline.run) and read their status.")
    s.pop()
  }
}
