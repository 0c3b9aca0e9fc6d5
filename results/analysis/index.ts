export { loadExperiment } from "./load-experiment.ts";
export { ExperimentAnalysis, type AnalysisStatus, type AnalysisTrial, type BestOptions, type LearningCurve } from "./experiment-analysis.ts";
export { pbtLineage, type LineageEdge, type PbtLineage, type ScheduleStep } from "./pbt-lineage.ts";
export { readJsonLines } from "./read-files.ts";
