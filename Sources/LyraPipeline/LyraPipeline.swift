import LyraData
import LyraNets
import LyraSearch

/// LyraPipeline: configs, steps, trainer, records, trial store (docs/architecture.md#a-pipeline-run). It sits
/// on every lower layer; this file only re-exports the names its callers need.

/// Objectives the pipeline reports on.
public typealias PipelineObjective = Objective
