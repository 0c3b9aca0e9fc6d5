import { simulate } from "../../simulator/index.ts";
import { simulationReport, type SimulationReport } from "../simulation-report.ts";
import type { ResolvedSimulation } from "./resolve-simulation.ts";

/** Runs a resolved simulation file; `storagePath` (else the file's) receives the experiment directory. */
export function runResolvedSimulation(s: ResolvedSimulation, storagePath: string | undefined = s.storagePath): SimulationReport {
  const bench = s.benchmark;
  const run = simulate({
    objective: bench.objective,
    space: bench.space,
    metric: bench.metric,
    mode: bench.mode,
    trials: s.trials,
    seed: s.seed,
    searcher: s.searcher.instance,
    scheduler: s.scheduler.instance,
    cluster: s.cluster,
    resources: s.resources,
    maxIterations: s.maxIterations,
    ...(s.budget !== undefined ? { budget: s.budget } : {}),
    ...(s.checkpointFrequency !== undefined ? { checkpointFrequency: s.checkpointFrequency } : {}),
    ...(s.maxFailures !== undefined ? { maxFailures: s.maxFailures } : {}),
    ...(s.keepCheckpoints !== undefined ? { keepCheckpoints: s.keepCheckpoints } : {}),
    ...(s.resourceChanging !== undefined ? { resourceChanging: s.resourceChanging } : {}),
    ...(s.resourceScaling !== undefined ? { resourceScaling: s.resourceScaling } : {}),
    ...(storagePath !== undefined ? { storagePath } : {}),
  });
  const source = s.objectiveSource;
  const benchmark = "benchmark" in source ? source.benchmark : "formula" in source ? "formula" : "replay";
  return simulationReport(run, bench, { benchmark, searcher: s.searcher.name, scheduler: s.scheduler.name });
}

/** Whether a parsed experiment file asks for a simulation (`kind: simulation`); anything else is resolved as a real experiment. */
export function isSimulationFile(plain: unknown): boolean {
  return typeof plain === "object" && plain !== null && !Array.isArray(plain) && (plain as Record<string, unknown>)["kind"] === "simulation";
}
