import type { ResolvedCluster } from "../../simulator/index.ts";
import { HOURS_PER_MONTH } from "../../simulator/spot/poisson.ts";
import { renderAlgorithm } from "./render.ts";
import type { ResolvedSimulation } from "./resolve-simulation.ts";

/**
 * The resolved simulation as a plain document in the file's own format (what `--dry-run`
 * prints, and a file that runs the same): the objective as named, each algorithm's settled options, and the cluster
 * with every default the simulator will use filled in (node types with their prices and
 * Poisson rates, the notice in seconds, the autoscaler's settings). Nothing is invented: each
 * value is read back from the resolved objects.
 */
export function renderSimulation(s: ResolvedSimulation): Record<string, unknown> {
  const space = s.benchmark.space;
  return {
    kind: "simulation",
    name: s.name,
    ...(s.storagePath !== undefined ? { storagePath: s.storagePath } : {}),
    objective: { ...s.objectiveSource },
    // Unlimited trials (a budget decides) are written as no trials field, as in the file.
    ...(Number.isFinite(s.trials) ? { trials: s.trials } : {}),
    ...(s.budget !== undefined ? { budget: { ...s.budget } } : {}),
    maxIterations: s.maxIterations,
    seed: s.seed,
    searcher: renderAlgorithm("searcher", s.searcher, space),
    scheduler: renderAlgorithm("scheduler", s.scheduler, space),
    ...(s.resourceChanging !== undefined ? { resourceChanging: s.resourceChanging } : {}),
    ...(s.resourceScaling !== undefined ? { resourceScaling: s.resourceScaling } : {}),
    resources: { ...s.resources },
    ...(s.checkpointFrequency !== undefined ? { checkpointFrequency: s.checkpointFrequency } : {}),
    ...(s.maxFailures !== undefined ? { maxFailures: s.maxFailures } : {}),
    ...(s.keepCheckpoints !== undefined ? { keepCheckpoints: s.keepCheckpoints } : {}),
    cluster: renderCluster(s.resolvedCluster, s.availabilityTraceFile),
  };
}

function renderCluster(c: ResolvedCluster, traceFile: string | undefined): Record<string, unknown> {
  return {
    nodeTypes: c.nodeTypes.map((t) => ({
      name: t.name,
      gpus: t.gpus,
      cpus: t.cpus,
      memoryGb: t.memoryGb,
      spot: t.spot,
      pricePerHour: round(t.pricePerHour),
      onDemandPricePerHour: round(t.onDemandPricePerHour),
      ...(t.autoscaled ? { count: t.count, minCount: t.minCount, maxCount: t.maxCount, launchDelay: { ...t.launchDelay }, idleTimeoutSeconds: t.idleTimeoutSeconds } : { count: t.count }),
      // The Poisson rate as the monthly frequency that gives it, so the document reads back as a file.
      ...(t.spot && t.preemptionRate > 0 ? { interruptionFrequency: round(-Math.expm1(-t.preemptionRate * HOURS_PER_MONTH)) } : {}),
    })),
    actorStartupSeconds: c.actorStartupSeconds,
    gpuInitSeconds: c.gpuInitSeconds,
    checkpointSeconds: c.checkpointSeconds,
    restoreSeconds: c.restoreSeconds,
    reuseActors: c.reuseActors,
    replacementDelaySeconds: c.replacementDelaySeconds,
    preemptionNoticeSeconds: c.preemptionNoticeSeconds,
    ...(c.storms.length > 0 ? { storms: c.storms.map((storm) => ({ ...storm })) } : {}),
    ...(c.availability !== undefined
      ? { availabilityTrace: { ...(traceFile !== undefined ? { file: traceFile } : {}), points: c.availability.points.length, types: c.availability.types() } }
      : {}),
    ...(c.autoscaler !== undefined
      ? {
          autoscaler: {
            pendingTrials: c.autoscaler.pendingTrials,
            upscalingSpeed: c.autoscaler.upscalingSpeed,
            spotFallback: { failures: c.autoscaler.fallbackFailures, windowSeconds: c.autoscaler.fallbackWindowSeconds },
          },
        }
      : {}),
  };
}

/** Six significant digits: a derived rate or price, not a float's last bits. */
function round(value: number): number {
  return Number(value.toPrecision(6));
}
