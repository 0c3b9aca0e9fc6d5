import { checkNumber, integerAtLeast, nonEmptyString, nonNegativeNumber, OptionError } from "../core/contracts/index.ts";
import { checkAutoscaler, type AutoscalerSpec, type ResolvedAutoscaler } from "./autoscaler-spec.ts";
import { AvailabilitySchedule, checkAvailability, parseAvailabilityCsv, type AvailabilityPoint } from "./spot/availability-trace.ts";
import { checkLaunchDelay, DEFAULT_LAUNCH_DELAY, type LaunchDelay } from "./spot/launch-delay.ts";
import { noticeSecondsFor, type CloudProvider } from "./spot/notice.ts";
import { ratePerHourFromMonthly } from "./spot/poisson.ts";
import { checkStorm, type Storm } from "./spot/storm.ts";
import { checkKnownKeys } from "./spec-keys.ts";

export interface NodeType {
  readonly name: string;
  readonly cpus: number;
  readonly gpus: number;
  /** Memory in GB (reported; trials do not request memory yet). @defaultValue 0 */
  readonly memoryGb?: number;
  /** Dollars per node-hour paid. Spot types: the spot price. @defaultValue 0, or for a spot type with `onDemandPricePerHour`, that price less `cluster.spotDiscount` */
  readonly pricePerHour?: number;
  /** What the type costs on demand, for `costOnDemandDollars`. @defaultValue pricePerHour for on-demand types; pricePerHour / (1 - spotDiscount) for spot types */
  readonly onDemandPricePerHour?: number;
  /** Spot nodes can be preempted; on-demand nodes cannot. @defaultValue false */
  readonly spot?: boolean;
  /** Nodes of this type at the start. @defaultValue minCount (with maxCount); required otherwise */
  readonly count?: number;
  /** Autoscaling: the autoscaler keeps at least this many (launching or up). @defaultValue 0 */
  readonly minCount?: number;
  /** Autoscaling: the most nodes of this type at once (launching or up). Giving it makes the type autoscaled. */
  readonly maxCount?: number;
  /** Autoscaling: seconds from request to the node joining. @defaultValue lognormal, median 120 s, sigma 0.3 (see DEFAULT_LAUNCH_DELAY) */
  readonly launchDelay?: LaunchDelay;
  /** Autoscaling: a node idle (no trial placed) this long is terminated, down to minCount. @defaultValue 300 (Ray's idle_timeout_minutes: 5) */
  readonly idleTimeoutSeconds?: number;
  /** Spot types: the monthly interruption frequency p (AWS Spot Advisor), Poisson rate -ln(1-p)/730 per hour. @defaultValue cluster.interruptionFrequency, else cluster.preemptionRate */
  readonly interruptionFrequency?: number;
}

/** A node type with every default filled in. */
export interface ResolvedNodeType {
  readonly name: string;
  readonly cpus: number;
  readonly gpus: number;
  readonly memoryGb: number;
  readonly pricePerHour: number;
  readonly onDemandPricePerHour: number;
  readonly spot: boolean;
  readonly count: number;
  readonly minCount: number;
  readonly maxCount: number;
  readonly autoscaled: boolean;
  readonly launchDelay: LaunchDelay;
  readonly idleTimeoutSeconds: number;
  /** Poisson preemptions per node-hour (0: none, and always 0 for on-demand types). */
  readonly preemptionRate: number;
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
  /** Warning before a spot node is reclaimed (AWS gives 120 s); trials on it checkpoint after their next step, and nothing new is placed there. 0: no warning. @defaultValue the provider's notice, else 0 */
  readonly preemptionNoticeSeconds?: number;
  /** Sets the notice: aws 120 s, gcp and azure 30 s (an explicit preemptionNoticeSeconds wins). */
  readonly provider?: CloudProvider;
  /** Monthly interruption frequency p of every spot type (AWS Spot Advisor buckets: <5%, 5-10%, 10-15%, 15-20%, >20%): Poisson rate -ln(1-p)/730 per node-hour. Replaces preemptionRate. */
  readonly interruptionFrequency?: number;
  /** Spot price as a share off the on-demand price, in [0, 1). @defaultValue 2/3 (spot at a third of on-demand) */
  readonly spotDiscount?: number;
  /** Correlated reclaims: at each storm's time, that share of the spot nodes is lost at once (with the notice, if any). */
  readonly storms?: readonly Storm[];
  /** Replay of spot availability (and optionally price) per type: points, or `{ csv }` with a header time,type,available[,price]. */
  readonly availabilityTrace?: readonly AvailabilityPoint[] | { readonly csv: string };
  /** How the autoscaler sizes scale-up and falls back from spot (used when a node type has maxCount). */
  readonly autoscaler?: AutoscalerSpec;
}

export interface ResolvedCluster {
  readonly nodeTypes: readonly ResolvedNodeType[];
  readonly actorStartupSeconds: number;
  readonly gpuInitSeconds: number;
  readonly checkpointSeconds: number;
  readonly restoreSeconds: number;
  readonly reuseActors: boolean;
  readonly preemptionRate: number;
  readonly replacementDelaySeconds: number;
  readonly preemptionNoticeSeconds: number;
  readonly storms: readonly Storm[];
  readonly availability: AvailabilitySchedule | undefined;
  /** Set when some node type has maxCount. */
  readonly autoscaler: ResolvedAutoscaler | undefined;
}

export const GPUS_PER_NODE = 8;
const CPUS_PER_NODE = 32;

/**
 * Most nodes a simulated cluster may have: the simulator keeps every node (and
 * its preemption clock) in memory and places trials by scanning them, so 10^8
 * GPUs took 3.2 GB before the first event. Refused up front instead.
 */
export const MAX_SIMULATED_NODES = 10_000;
export const MAX_SIMULATED_GPUS = MAX_SIMULATED_NODES * GPUS_PER_NODE;

/** Every field of a ClusterSpec, NodeType, ...: unknown keys are refused (a typo would silently mean the default). */
const CLUSTER_KEYS: Record<keyof ClusterSpec, true> = {
  gpus: true,
  nodeTypes: true,
  actorStartupSeconds: true,
  gpuInitSeconds: true,
  checkpointSeconds: true,
  restoreSeconds: true,
  reuseActors: true,
  preemptionRate: true,
  replacementDelaySeconds: true,
  preemptionNoticeSeconds: true,
  provider: true,
  interruptionFrequency: true,
  spotDiscount: true,
  storms: true,
  availabilityTrace: true,
  autoscaler: true,
};
const NODE_TYPE_KEYS: Record<keyof NodeType, true> = {
  name: true,
  cpus: true,
  gpus: true,
  memoryGb: true,
  pricePerHour: true,
  onDemandPricePerHour: true,
  spot: true,
  count: true,
  minCount: true,
  maxCount: true,
  launchDelay: true,
  idleTimeoutSeconds: true,
  interruptionFrequency: true,
};
const STORM_KEYS: Record<keyof Storm, true> = { atSeconds: true, fraction: true, nodeType: true };
/** The field names a cluster mapping takes (for a file schema's did-you-mean and docs). */
export const clusterFieldNames: readonly string[] = Object.keys(CLUSTER_KEYS);
export const nodeTypeFieldNames: readonly string[] = Object.keys(NODE_TYPE_KEYS);

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
  checkKnownKeys("cluster", spec, CLUSTER_KEYS, "{ gpus | nodeTypes, preemptionRate, storms, ... }");
  if (spec.nodeTypes !== undefined && !Array.isArray(spec.nodeTypes)) throw new OptionError("cluster.nodeTypes", `must be a list of node types, got ${JSON.stringify(spec.nodeTypes)}`);
  if (spec.storms !== undefined && !Array.isArray(spec.storms)) throw new OptionError("cluster.storms", `must be a list of storms { atSeconds, fraction, nodeType? }, got ${JSON.stringify(spec.storms)}`);
  (spec.storms ?? []).forEach((storm, i) => checkKnownKeys(`cluster.storms[${i}]`, storm, STORM_KEYS, "{ atSeconds, fraction, nodeType? }"));
  if (spec.provider !== undefined) noticeSecondsFor("cluster.provider", spec.provider);
  const preemptionRate = nonNegative("cluster.preemptionRate", spec.preemptionRate ?? 0);
  const spotDiscount = spec.spotDiscount !== undefined ? checkNumber("cluster.spotDiscount", spec.spotDiscount, { min: 0, max: 0.99 }) : undefined;
  const clusterRate =
    spec.interruptionFrequency !== undefined ? ratePerHourFromMonthly("cluster.interruptionFrequency", spec.interruptionFrequency) : preemptionRate;
  const storms = (spec.storms ?? []).map((storm, i) => checkStorm(`cluster.storms[${i}]`, storm));
  const availability = spec.availabilityTrace === undefined ? undefined : new AvailabilitySchedule(availabilityPoints(spec.availabilityTrace));
  // The default cluster is spot whenever a spot market is described.
  const spotMarket = clusterRate > 0 || storms.length > 0 || availability !== undefined;
  const nodeTypes = spec.nodeTypes
    ? spec.nodeTypes.map((t, i) => resolveNodeType(t, i, clusterRate, spotDiscount))
    : defaultNodeTypes(spec.gpus ?? GPUS_PER_NODE, spotMarket, clusterRate, spotDiscount);
  if (nodeTypes.length === 0 || nodeTypes.every((t) => t.maxCount === 0)) {
    throw new OptionError("cluster.nodeTypes", "needs at least one node");
  }
  const names = new Set<string>();
  for (const t of nodeTypes) {
    if (names.has(t.name)) throw new OptionError("cluster.nodeTypes", `names type "${t.name}" twice`);
    names.add(t.name);
  }
  for (const [i, storm] of storms.entries()) {
    if (storm.nodeType !== undefined && !names.has(storm.nodeType)) throw new OptionError(`cluster.storms[${i}].nodeType`, `names no node type ("${storm.nodeType}"; types: ${[...names].join(", ")})`);
  }
  for (const type of availability?.types() ?? []) {
    if (!names.has(type)) throw new OptionError("cluster.availabilityTrace", `names node type "${type}", which the cluster does not have (types: ${[...names].join(", ")})`);
  }
  const nodes = nodeTypes.reduce((sum, t) => sum + t.maxCount, 0);
  if (nodes > MAX_SIMULATED_NODES) {
    throw new OptionError(spec.nodeTypes ? "cluster.nodeTypes" : "cluster.gpus", `make ${nodes} nodes; at most ${MAX_SIMULATED_NODES} (${MAX_SIMULATED_GPUS} GPUs in nodes of ${GPUS_PER_NODE}), since the simulator keeps every node in memory`);
  }
  const autoscaled = nodeTypes.some((t) => t.autoscaled);
  if (spec.autoscaler !== undefined && !autoscaled) throw new OptionError("cluster.autoscaler", "needs a node type with maxCount (an autoscaled type)");
  const notice =
    spec.preemptionNoticeSeconds !== undefined
      ? nonNegative("cluster.preemptionNoticeSeconds", spec.preemptionNoticeSeconds)
      : spec.provider !== undefined
        ? noticeSecondsFor("cluster.provider", spec.provider)
        : 0;
  return {
    nodeTypes,
    actorStartupSeconds: nonNegative("cluster.actorStartupSeconds", spec.actorStartupSeconds ?? 2),
    gpuInitSeconds: nonNegative("cluster.gpuInitSeconds", spec.gpuInitSeconds ?? 6),
    checkpointSeconds: nonNegative("cluster.checkpointSeconds", spec.checkpointSeconds ?? 2),
    restoreSeconds: nonNegative("cluster.restoreSeconds", spec.restoreSeconds ?? 2),
    reuseActors: spec.reuseActors ?? true,
    preemptionRate: clusterRate,
    replacementDelaySeconds: nonNegative("cluster.replacementDelaySeconds", spec.replacementDelaySeconds ?? 120),
    preemptionNoticeSeconds: notice,
    storms,
    availability,
    autoscaler: autoscaled ? checkAutoscaler("cluster.autoscaler", spec.autoscaler ?? {}) : undefined,
  };
}

function availabilityPoints(trace: NonNullable<ClusterSpec["availabilityTrace"]>): AvailabilityPoint[] {
  if (Array.isArray(trace)) return checkAvailability("cluster.availabilityTrace", trace);
  const csv = (trace as { csv?: unknown }).csv;
  if (typeof csv !== "string") throw new OptionError("cluster.availabilityTrace", "must be a list of points { time, type, available, price? } or { csv: string }");
  return parseAvailabilityCsv("cluster.availabilityTrace", csv);
}

/** Spot price from the on-demand one: a third of it unless `spotDiscount` says otherwise. */
const DEFAULT_SPOT_DISCOUNT = 2 / 3;

function defaultNodeTypes(gpus: number, spot: boolean, rate: number, spotDiscount: number | undefined): ResolvedNodeType[] {
  integerAtLeast("cluster.gpus", gpus, 1);
  const full = Math.floor(gpus / GPUS_PER_NODE);
  const rest = gpus % GPUS_PER_NODE;
  // Prices: on-demand 8-GPU node at $24/h; spot at a third of that, the usual discount.
  const onDemand = (n: number) => 24 * (n / GPUS_PER_NODE);
  const price = (n: number) => (spot ? (spotDiscount === undefined ? 8 * (n / GPUS_PER_NODE) : onDemand(n) * (1 - spotDiscount)) : onDemand(n));
  const types: ResolvedNodeType[] = [];
  const fixed = (name: string, cpus: number, n: number, count: number): ResolvedNodeType => ({
    name,
    cpus,
    gpus: n,
    memoryGb: 0,
    pricePerHour: price(n),
    onDemandPricePerHour: onDemand(n),
    spot,
    count,
    minCount: count,
    maxCount: count,
    autoscaled: false,
    launchDelay: DEFAULT_LAUNCH_DELAY,
    idleTimeoutSeconds: DEFAULT_IDLE_TIMEOUT_SECONDS,
    preemptionRate: spot ? rate : 0,
  });
  if (full > 0) types.push(fixed("gpu8", CPUS_PER_NODE, GPUS_PER_NODE, full));
  if (rest > 0) types.push(fixed(`gpu${rest}`, 4 * rest, rest, 1));
  return types;
}

/** Ray's autoscaler removes a node idle for idle_timeout_minutes, 5 by default. */
const DEFAULT_IDLE_TIMEOUT_SECONDS = 300;

function resolveNodeType(t: NodeType, i: number, clusterRate: number, spotDiscount: number | undefined): ResolvedNodeType {
  const at = `cluster.nodeTypes[${i}]`;
  checkKnownKeys(at, t, NODE_TYPE_KEYS, "{ name, cpus, gpus, count | maxCount, ... }");
  nonEmptyString(`${at}.name`, t.name);
  const autoscaled = t.maxCount !== undefined;
  const minCount = t.minCount !== undefined ? integerAtLeast(`${at}.minCount`, t.minCount, 0) : 0;
  if (!autoscaled) {
    if (t.minCount !== undefined) throw new OptionError(`${at}.minCount`, "needs maxCount (minCount and maxCount make a type autoscaled)");
    for (const key of ["launchDelay", "idleTimeoutSeconds"] as const) {
      if (t[key] !== undefined) throw new OptionError(`${at}.${key}`, "applies to autoscaled types only; give maxCount");
    }
  }
  const maxCount = autoscaled ? integerAtLeast(`${at}.maxCount`, t.maxCount, 0) : undefined;
  if (maxCount !== undefined && minCount > maxCount) throw new OptionError(`${at}.minCount`, `must be <= maxCount (${maxCount}), got ${minCount}`);
  if (!autoscaled && t.count === undefined) throw new OptionError(`${at}.count`, "is required for a fixed-size type (or give maxCount to autoscale it)");
  const count = t.count !== undefined ? integerAtLeast(`${at}.count`, t.count, 0) : minCount;
  if (maxCount !== undefined && (count < minCount || count > maxCount)) {
    throw new OptionError(`${at}.count`, `must be between minCount (${minCount}) and maxCount (${maxCount}), got ${count}`);
  }
  const spot = t.spot ?? false;
  const discount = spotDiscount ?? DEFAULT_SPOT_DISCOUNT;
  const onDemandGiven = t.onDemandPricePerHour !== undefined ? nonNegative(`${at}.onDemandPricePerHour`, t.onDemandPricePerHour) : undefined;
  const pricePerHour =
    t.pricePerHour !== undefined
      ? nonNegative(`${at}.pricePerHour`, t.pricePerHour)
      : spot && onDemandGiven !== undefined
        ? onDemandGiven * (1 - discount)
        : 0;
  const rate = t.interruptionFrequency !== undefined ? ratePerHourFromMonthly(`${at}.interruptionFrequency`, t.interruptionFrequency) : clusterRate;
  if (!spot && t.interruptionFrequency !== undefined) throw new OptionError(`${at}.interruptionFrequency`, "applies to spot types only (on-demand nodes are not preempted)");
  return {
    name: t.name,
    cpus: nonNegative(`${at}.cpus`, t.cpus),
    gpus: nonNegative(`${at}.gpus`, t.gpus),
    memoryGb: nonNegative(`${at}.memoryGb`, t.memoryGb ?? 0),
    pricePerHour,
    onDemandPricePerHour: onDemandGiven ?? (spot ? pricePerHour / (1 - discount) : pricePerHour),
    spot,
    count,
    minCount: autoscaled ? minCount : count,
    maxCount: maxCount ?? count,
    autoscaled,
    launchDelay: t.launchDelay !== undefined ? checkLaunchDelay(`${at}.launchDelay`, t.launchDelay) : DEFAULT_LAUNCH_DELAY,
    idleTimeoutSeconds: t.idleTimeoutSeconds !== undefined ? nonNegative(`${at}.idleTimeoutSeconds`, t.idleTimeoutSeconds) : DEFAULT_IDLE_TIMEOUT_SECONDS,
    preemptionRate: spot ? rate : 0,
  };
}

const nonNegative = nonNegativeNumber;
