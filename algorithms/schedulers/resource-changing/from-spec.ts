import type { Mode, Resources, Scheduler } from "../../../core/contracts/index.ts";
import { checkNumber, oneOf, OptionError } from "../../../core/errors/index.ts";
import { DistributeResources } from "./distribute-resources.ts";
import { DistributeResourcesToTopJob } from "./distribute-resources-to-top-job.ts";
import { ResourceChangingScheduler } from "./resource-changing-scheduler.ts";

export const RESOURCE_POLICIES = ["distribute", "top-job"] as const;
export type ResourcePolicyName = (typeof RESOURCE_POLICIES)[number];

/**
 * Dynamic resources as plain data, the one shape `tunelab sim` flags and the
 * experiment file's `resourceChanging:` field take: which built-in policy, and
 * DistributeResources' options.
 */
export interface ResourceChangingSpec {
  /** "distribute": DistributeResources (even shares); "top-job": DistributeResourcesToTopJob. */
  readonly policy: ResourcePolicyName;
  readonly increaseBy?: ResourceAmounts | undefined;
  readonly increaseByTimes?: number | undefined;
  readonly reserveResources?: ResourceAmounts | undefined;
}

/** Some CPUs and GPUs (a growth step, a reserve); either may be left out. */
export interface ResourceAmounts {
  readonly cpu?: number | undefined;
  readonly gpu?: number | undefined;
}

/**
 * Wraps `base` in a ResourceChangingScheduler built from `spec` (validated
 * here; `field` names it in errors). The top job is ranked by the experiment's metric and mode.
 */
export function resourceChangingFromSpec(field: string, spec: unknown, base: Scheduler, metric: string, mode: Mode): ResourceChangingScheduler {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new OptionError(field, `must be { policy: ${RESOURCE_POLICIES.join(" | ")}, increaseBy?, increaseByTimes?, reserveResources? }, got ${JSON.stringify(spec)}`);
  }
  const s = spec as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    if (!["policy", "increaseBy", "increaseByTimes", "reserveResources"].includes(key)) {
      throw new OptionError(`${field}.${key}`, "is not an option; known: policy, increaseBy, increaseByTimes, reserveResources");
    }
  }
  const policy = oneOf(`${field}.policy`, s.policy, RESOURCE_POLICIES);
  const options = {
    ...(s.increaseBy !== undefined ? { increaseBy: resourcesField(`${field}.increaseBy`, s.increaseBy) } : {}),
    ...(s.increaseByTimes !== undefined ? { increaseByTimes: checkNumber(`${field}.increaseByTimes`, s.increaseByTimes, { integer: true }) } : {}),
    ...(s.reserveResources !== undefined ? { reserveResources: resourcesField(`${field}.reserveResources`, s.reserveResources) } : {}),
  };
  const allocation = policy === "distribute" ? new DistributeResources(options, field) : new DistributeResourcesToTopJob({ ...options, metric, mode });
  return new ResourceChangingScheduler({ baseScheduler: base, resourcesAllocationFunction: allocation, metric, mode });
}

function resourcesField(field: string, value: unknown): Partial<Resources> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new OptionError(field, `must be { cpu?, gpu? }, got ${JSON.stringify(value)}`);
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) if (key !== "cpu" && key !== "gpu") throw new OptionError(`${field}.${key}`, "is not a resource; known: cpu, gpu");
  return {
    ...(v.cpu !== undefined ? { cpu: checkNumber(`${field}.cpu`, v.cpu, { min: 0 }) } : {}),
    ...(v.gpu !== undefined ? { gpu: checkNumber(`${field}.gpu`, v.gpu, { min: 0 }) } : {}),
  };
}
