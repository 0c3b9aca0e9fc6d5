// Experiments from a file: `tunelab run experiment.yaml`.
export { readExperimentFile, type ExperimentSource } from "./read-file.ts";
export { resolveExperiment, DEFAULT_RESOURCES, type ResolvedExperiment, type FileTrainable } from "./resolve.ts";
export { experimentToTuneOptions, type ExperimentTuneOptions } from "./tune-options.ts";
export { renderExperiment } from "./render.ts";
export { runSummary, formatRunSummary, type RunSummary } from "./summary.ts";
export { experimentFileSchema, type ExperimentFile } from "./schema.ts";
export { loadFileCallbacks, callbackProblem } from "./load-callbacks.ts";
export type { FileCallback } from "./resolve.ts";
export { resolveSimulation, DEFAULT_SIMULATION_RESOURCES, type ResolvedSimulation } from "./resolve-simulation.ts";
export { renderSimulation } from "./render-simulation.ts";
export { runResolvedSimulation, isSimulationFile } from "./run-simulation.ts";
export { simulationFileSchema, type SimulationFile } from "./simulation-schema.ts";
