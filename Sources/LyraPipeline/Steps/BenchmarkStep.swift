import Foundation
import LyraBase
import LyraNets
import LyraNN
import LyraSearch

/// BenchmarkPipeStep: evaluates the models of `models_folder` (default: the previous
/// step's output; weights required) on the step's dataset with its evaluator metrics.
struct BenchmarkStep {
  let pipeline: Pipeline
  let step: PipelineConfig.Step
  let previous: String?

  func run() throws -> StepResult {
    guard let folder = step.section["pipe_step"]?["models_folder"]?.string ?? previous.map({ pipeline.output.layout.stepFolder($0) }) else {
      throw pipeline.config.error("\(step.name).pipe_step", "BenchmarkPipeStep needs a models_folder or an earlier step")
    }
    let data = try DatasetSection(json: step.section["dataset"] ?? .object(["type": .string("FashionMnist")]), path: "\(step.name).dataset")
    let loader = try data.loader(.test)
    let evaluatorJSON = step.section["evaluator"]?["host_evaluator"] ?? step.section["evaluator"] ?? .object([:])
    var records: [TrialRecord] = []
    for m in try HandedModel.load(folder: folder) {
      guard let w = m.weights else { throw pipeline.config.error("\(step.name).pipe_step.models_folder", "model \(m.id) in \(folder) has no weights") }
      let model = try NetworkRegistry.build(m.desc, input: try data.sampleShape())
      try Checkpoint.loadWeights(into: model, from: w)
      var evaluator = try Evaluator(json: evaluatorJSON, path: "\(step.name).evaluator")
      evaluator.makeBatch = data.batchMaker
      let perf = try evaluator.evaluate(model, on: loader)
      let r = TrialRecord(step: step.name, workerID: m.id, desc: m.desc, hps: m.hps, performance: perf,
                          objectives: perf.keys.sorted().map { Objective($0, SearchAlgorithmFactory.direction(of: $0)) })
      try? pipeline.output.writeTrialFiles(r)
      records.append(r)
      pipeline.log("[\(step.name)] model \(m.id): " + Pipeline.describe(r))
    }
    return StepResult(records: records, chosen: records)
  }
}
