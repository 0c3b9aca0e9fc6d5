import { integerAtLeast, nonEmptyString, nonNegativeNumber, OptionError } from "../core/contracts/index.ts";

export interface NodeType {
  readonly name: string;
  readonly cpus: number;
  readonly gpus: number;
  /** Dollars per node-hour. @defaultValue 0 */
  readonly pricePerHour?: number;
  /** Spot nodes can be preempted; on-demand nodes cannot. @defaultValue false */
  readonly spot?: boolean;
  /** Nodes of this type at the start. */
  readonly count: number;
}

/** The simulated cluster. Every field has a default; `gpus` alone is a full description. */
export interface ClusterSpec {
  /** Shorthand: this many GPUs on nodes of 8 GPUs and 32 CPUs (the last node takes the remainder). Ignored when `nodeTypes` is given. @defaultValue 8 */
  readonly gpus?: number;
  readonly nodeTypes?: readonly NodeType[];
  /** Seconds to start a trial actor (process + framework import). @defaultValue 2 */
  readonly actorStartupSeconds?: number;
  /** Extra start-up seconds for an actor holding a GPU (CUDA context). @defaultValue 6 */
  readonly gpuInitSeconds?: number;
  /** Seconds to save one checkpoint (objectives may override). @defaultValue 2 */
  readonly checkpointSeconds?: number;
  /** Seconds to restore one checkpoint (objectives may override). @defaultValue 2 */
  readonly restoreSeconds?: number;
  /** Reuse a finished trial's actor for the next trial of the same shape on that node: no start-up. @defaultValue true */
  readonly reuseActors?: boolean;
  /** Spot preemptions per node-hour (Poisson, per spot node). @defaultValue 0 */
  readonly preemptionRate?: number;
  /** Seconds between losing a spot node and its replacement joining. @defaultValue 120 */
  readonly replacementDelaySeconds?: number;
  /** Warning before a spot node is reclaimed (AWS gives 120 s); trials on it checkpoint after their next step, and nothing new is placed there. 0: no warning. @defaultValue 0 */
  readonly preemptionNoticeSeconds?: number;
}

export interface ResolvedCluster {
  readonly nodeTypes: readonly Required<NodeType>[];
  readonly actorStartupSeconds: number;
  readonly gpuInitSeconds: number;
  readonly checkpointSeconds: number;
  readonly restoreSeconds: number;
  readonly reuseActors: boolean;
  readonly preemptionRate: number;
  readonly replacementDelaySeconds: number;
  readonly preemptionNoticeSeconds: number;
}

const GPUS_PER_NODE = 8;
const CPUS_PER_NODE = 32;

/**
 * Most nodes a simulated cluster may have: the simulator keeps every node (and
 * its preemption clock) in memory and places trials by scanning them, so 10^8
 * GPUs took 3.2 GB before the first event. Refused up front instead.
 */
export const MAX_SIMULATED_NODES = 10_000;
export const MAX_SIMULATED_GPUS = MAX_SIMULATED_NODES * GPUS_PER_NODE;

/** Checks a GPU count of the default cluster (nodes of 8) against MAX_SIMULATED_GPUS; `field` is the option or flag. */
export function checkSimulatedGpus(field: string, gpus: number): number {
  if (gpus > MAX_SIMULATED_GPUS) {
    throw new OptionError(
      field,
      `at most ${MAX_SIMULATED_GPUS} (${MAX_SIMULATED_NODES} simulated nodes of ${GPUS_PER_NODE}), since the simulator keeps every node in memory, got ${gpus}`,
    );
  }
  return gpus;
}

export function resolveCluster(spec: ClusterSpec = {}): ResolvedCluster {
  const preemptionRate = nonNegative("cluster.preemptionRate", spec.preemptionRate ?? 0);
  const nodeTypes = spec.nodeTypes
    ? spec.nodeTypes.map((t, i) => resolveNodeType(t, i))
    : defaultNodeTypes(spec.gpus ?? GPUS_PER_NODE, preemptionRate > 0);
  if (nodeTypes.length === 0 || nodeTypes.every((t) => t.count === 0)) {
    throw new OptionError("cluster.nodeTypes", "needs at least one node");
  }
  const nodes = nodeTypes.reduce((sum, t) => sum + t.count, 0);
  if (nodes > MAX_SIMULATED_NODES) {
    throw new OptionError(spec.nodeTypes ? "cluster.nodeTypes" : "cluster.gpus", `make ${nodes} nodes; at most ${MAX_SIMULATED_NODES} (${MAX_SIMULATED_GPUS} GPUs in nodes of ${GPUS_PER_NODE}), since the simulator keeps every node in memory`);
  }
  return {
    nodeTypes,
    actorStartupSeconds: nonNegative("cluster.actorStartupSeconds", spec.actorStartupSeconds ?? 2),
    gpuInitSeconds: nonNegative("cluster.gpuInitSeconds", spec.gpuInitSeconds ?? 6),
    checkpointSeconds: nonNegative("cluster.checkpointSeconds", spec.checkpointSeconds ?? 2),
    restoreSeconds: nonNegative("cluster.restoreSeconds", spec.restoreSeconds ?? 2),
    reuseActors: spec.reuseActors ?? true,
    preemptionRate,
    replacementDelaySeconds: nonNegative("cluster.replacementDelaySeconds", spec.replacementDelaySeconds ?? 120),
    preemptionNoticeSeconds: nonNegative("cluster.preemptionNoticeSeconds", spec.preemptionNoticeSeconds ?? 0),
  };
}

function defaultNodeTypes(gpus: number, spot: boolean): Required<NodeType>[] {
  integerAtLeast("cluster.gpus", gpus, 1);
  const full = Math.floor(gpus / GPUS_PER_NODE);
  const rest = gpus % GPUS_PER_NODE;
  // Prices: on-demand 8-GPU node at $24/h; spot at a third of that, the usual discount.
  const price = (n: number) => (spot ? 8 : 24) * (n / GPUS_PER_NODE);
  const types: Required<NodeType>[] = [];
  if (full > 0) {
    types.push({ name: "gpu8", cpus: CPUS_PER_NODE, gpus: GPUS_PER_NODE, pricePerHour: price(GPUS_PER_NODE), spot, count: full });
  }
  if (rest > 0) {
    types.push({ name: `gpu${rest}`, cpus: 4 * rest, gpus: rest, pricePerHour: price(rest), spot, count: 1 });
  }
  return types;
}

function resolveNodeType(t: NodeType, i: number): Required<NodeType> {
  const at = `cluster.nodeTypes[${i}]`;
  nonEmptyString(`${at}.name`, t.name);
  integerAtLeast(`${at}.count`, t.count, 0);
  return {
    name: t.name,
    cpus: nonNegative(`${at}.cpus`, t.cpus),
    gpus: nonNegative(`${at}.gpus`, t.gpus),
    pricePerHour: nonNegative(`${at}.pricePerHour`, t.pricePerHour ?? 0),
    spot: t.spot ?? false,
    count: t.count,
  };
}

const nonNegative = nonNegativeNumber;
