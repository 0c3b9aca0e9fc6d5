import { readFileSync } from "node:fs";
import { OptionError } from "../core/errors/index.ts";
import { checkSimulatedGpus, type ClusterSpec, type NodeType } from "../simulator/index.ts";
import { CLOUD_PROVIDERS, parseAvailabilityCsv, parseStorm, type CloudProvider } from "../simulator/spot/index.ts";
import { parseInteger, parseName, parseNumber } from "./flags.ts";
import { parseNumberText } from "../core/errors/index.ts";

/** `tunelab sim`'s cluster flags, as commander hands them over. */
export interface ClusterFlags {
  gpus: string;
  preemptionRate: string;
  /** A JSON ClusterSpec (node types with min/max, prices, launch delays, ...); the flags below add to it. */
  cluster?: string;
  /** FRACTION@SECONDS[:TYPE], repeatable. */
  storm?: string[];
  provider?: string;
  preemptionNotice?: string;
  interruptionFrequency?: string;
  spotDiscount?: string;
  availabilityTrace?: string;
  /** Autoscale the default 8-GPU nodes up to this many. */
  maxNodes?: string;
  minNodes?: string;
}

/**
 * The ClusterSpec the flags describe. Without --cluster: --gpus GPUs in nodes of 8,
 * or with --max-nodes an autoscaled type of 8-GPU nodes (spot, with an on-demand
 * type of the same size to fall back to, when a spot market is described).
 */
export function clusterFromFlags(flags: ClusterFlags): ClusterSpec {
  const base: ClusterSpec = flags.cluster !== undefined ? readClusterFile(flags.cluster) : {};
  const preemptionRate = parseNumber("--preemption-rate", flags.preemptionRate, 0);
  const storms = (flags.storm ?? []).map((s) => parseStorm("--storm", s));
  const interruptionFrequency = flags.interruptionFrequency !== undefined ? parseNumberText("--interruption-frequency", flags.interruptionFrequency, { min: 0, max: 0.999 }) : undefined;
  // Parsed here so a bad cell names the flag and the line.
  const availabilityTrace = flags.availabilityTrace !== undefined ? parseAvailabilityCsv("--availability-trace", readText("--availability-trace", flags.availabilityTrace)) : undefined;
  const spotMarket = preemptionRate > 0 || storms.length > 0 || interruptionFrequency !== undefined || availabilityTrace !== undefined || base.interruptionFrequency !== undefined;
  let nodeTypes = base.nodeTypes;
  if (flags.maxNodes !== undefined) {
    if (nodeTypes !== undefined) throw new OptionError("--max-nodes", "describes the default node types; --cluster already names its own (give maxCount there)");
    const maxCount = parseInteger("--max-nodes", flags.maxNodes, 1);
    checkSimulatedGpus("--max-nodes", maxCount * 8);
    const minCount = flags.minNodes !== undefined ? parseInteger("--min-nodes", flags.minNodes, 0) : 0;
    if (minCount > maxCount) throw new OptionError("--min-nodes", `must be <= --max-nodes (${maxCount}), got ${minCount}`);
    const node = { cpus: 32, gpus: 8, onDemandPricePerHour: 24 };
    nodeTypes = spotMarket
      ? ([
          { name: "gpu8-spot", ...node, spot: true, minCount, maxCount },
          { name: "gpu8", ...node, pricePerHour: 24, maxCount },
        ] satisfies NodeType[])
      : [{ name: "gpu8", ...node, pricePerHour: 24, minCount, maxCount }];
  } else if (flags.minNodes !== undefined) {
    throw new OptionError("--min-nodes", "needs --max-nodes (it bounds the autoscaler)");
  }
  const gpus = nodeTypes === undefined && base.gpus === undefined ? checkSimulatedGpus("--gpus", parseInteger("--gpus", flags.gpus, 1)) : base.gpus;
  return {
    ...base,
    ...(gpus !== undefined && nodeTypes === undefined ? { gpus } : {}),
    ...(nodeTypes !== undefined ? { nodeTypes } : {}),
    ...(preemptionRate > 0 ? { preemptionRate } : {}),
    ...(storms.length > 0 ? { storms: [...(base.storms ?? []), ...storms] } : {}),
    ...(flags.provider !== undefined ? { provider: parseName<CloudProvider>("--provider", flags.provider, CLOUD_PROVIDERS) } : {}),
    ...(flags.preemptionNotice !== undefined ? { preemptionNoticeSeconds: parseNumber("--preemption-notice", flags.preemptionNotice, 0) } : {}),
    ...(interruptionFrequency !== undefined ? { interruptionFrequency } : {}),
    ...(flags.spotDiscount !== undefined ? { spotDiscount: parseNumberText("--spot-discount", flags.spotDiscount, { min: 0, max: 0.99 }) } : {}),
    ...(availabilityTrace !== undefined ? { availabilityTrace } : {}),
  };
}

function readText(flag: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OptionError(flag, `cannot read ${JSON.stringify(path)}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : code ?? String(error)}`);
  }
}

function readClusterFile(path: string): ClusterSpec {
  const text = readText("--cluster", path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new OptionError("--cluster", `${JSON.stringify(path)} is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new OptionError("--cluster", `${JSON.stringify(path)} must hold a JSON object (a ClusterSpec), got ${Array.isArray(parsed) ? "a list" : typeof parsed}`);
  return parsed as ClusterSpec;
}
