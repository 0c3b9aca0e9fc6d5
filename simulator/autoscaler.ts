import type { ResolvedAutoscaler } from "./autoscaler-spec.ts";
import type { ResolvedNodeType } from "./cluster-spec.ts";
import { toUnits } from "./cluster.ts";

/** Trials of shape (cpu, gpu) in thousandths that one empty node of `type` holds. */
export function trialsPerNode(type: ResolvedNodeType, cpu: number, gpu: number): number {
  const byGpu = gpu > 0 ? Math.floor(toUnits(type.gpus) / gpu) : Number.POSITIVE_INFINITY;
  const byCpu = cpu > 0 ? Math.floor(toUnits(type.cpus) / cpu) : Number.POSITIVE_INFINITY;
  const n = Math.min(byGpu, byCpu);
  return Number.isFinite(n) ? n : 1_000_000;
}

/**
 * Spot launch failures and preemptions in a sliding window: while it holds
 * `failures` or more, the autoscaler launches on-demand types instead of spot.
 */
export class SpotFailureWindow {
  private readonly times: number[] = [];
  constructor(
    private readonly failures: number,
    private readonly windowSeconds: number,
  ) {}

  record(time: number): void {
    this.times.push(time);
  }

  /** The failure times still in the window (for an exact save of the simulation). */
  save(): number[] {
    return [...this.times];
  }

  restore(times: readonly number[]): void {
    this.times.length = 0;
    this.times.push(...times);
  }

  /** Whether spot is given up on at `now`. */
  fallingBack(now: number): boolean {
    while (this.times.length > 0 && (this.times[0] as number) <= now - this.windowSeconds) this.times.shift();
    return this.times.length >= this.failures;
  }
}

export interface ScaleUpInput {
  readonly config: ResolvedAutoscaler;
  readonly types: readonly ResolvedNodeType[];
  /** Per type (same order): nodes up (not doomed) plus launches in flight. */
  readonly counts: readonly number[];
  /** Per type: dollars per hour now (the trace's spot price where it gives one). */
  readonly prices: readonly number[];
  /** Trials of the unplaced shape the launches in flight will hold. */
  readonly inFlightTrials: number;
  readonly launchesInFlight: number;
  readonly nodesUp: number;
  /** Trials of the shape counted as waiting. */
  readonly demandTrials: number;
  readonly cpu: number;
  readonly gpu: number;
  readonly avoidSpot: boolean;
}

/**
 * Ray's scale-up rule for one resource shape: the demand the launches in flight
 * will not absorb is met by launching, each time, the cheapest type that fits the
 * shape and is under its maxCount (on-demand types first while falling back from
 * spot, spot only if none fits), with at most max(5, upscalingSpeed x nodes up)
 * launches in flight. Returns the indices of the types to launch, in order.
 */
export function planScaleUp(input: ScaleUpInput): number[] {
  const { types, cpu, gpu } = input;
  const counts = [...input.counts];
  const limit = Math.max(5, Math.floor(input.config.upscalingSpeed * input.nodesUp));
  let inFlight = input.launchesInFlight;
  let uncovered = input.demandTrials - input.inFlightTrials;
  const launches: number[] = [];
  while (uncovered > 0 && inFlight < limit) {
    const pick = cheapest(input, counts, input.avoidSpot) ?? (input.avoidSpot ? cheapest(input, counts, false) : undefined);
    if (pick === undefined) break;
    launches.push(pick);
    counts[pick] = (counts[pick] as number) + 1;
    inFlight++;
    uncovered -= trialsPerNode(types[pick] as ResolvedNodeType, cpu, gpu);
  }
  return launches;
}

function cheapest(input: ScaleUpInput, counts: readonly number[], avoidSpot: boolean): number | undefined {
  let best: number | undefined;
  for (let i = 0; i < input.types.length; i++) {
    const type = input.types[i] as ResolvedNodeType;
    if (!type.autoscaled || (avoidSpot && type.spot) || (counts[i] as number) >= type.maxCount) continue;
    if (toUnits(type.gpus) < input.gpu || toUnits(type.cpus) < input.cpu) continue;
    // Ties go to the type listed first.
    if (best === undefined || (input.prices[i] as number) < (input.prices[best] as number)) best = i;
  }
  return best;
}
