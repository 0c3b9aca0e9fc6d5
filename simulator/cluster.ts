import type { Resources } from "../core/contracts/index.ts";
import type { NodeType } from "./cluster-spec.ts";

// Resources are kept in integer thousandths so fractional GPUs (0.25, 0.5) add
// and subtract exactly: float drift would let a node look over-full or leak capacity.
const UNIT = 1000;
export const toUnits = (amount: number): number => Math.round(amount * UNIT);

export class SimNode {
  alive = true;
  /** Under a preemption notice: still running its trials, but takes no new ones. */
  doomed = false;
  freeCpu: number;
  freeGpu: number;
  /** Idle actors kept warm for reuse, by resource shape, valid only within the current event. */
  warm = new Map<string, number>();
  readonly upSince: number;
  downAt = Number.POSITIVE_INFINITY;
  /** Trial runs placed here (indices into the executor's run table). */
  readonly runs = new Set<number>();
  /** Bumped when the node dies so its pending preemption event goes stale. */
  generation = 0;

  constructor(
    readonly index: number,
    readonly id: string,
    readonly type: Required<NodeType>,
    now: number,
  ) {
    this.freeCpu = toUnits(type.cpus);
    this.freeGpu = toUnits(type.gpus);
    this.upSince = now;
  }

  get capacityCpu(): number {
    return toUnits(this.type.cpus);
  }
  get capacityGpu(): number {
    return toUnits(this.type.gpus);
  }

  fits(cpu: number, gpu: number): boolean {
    return this.alive && !this.doomed && this.freeCpu >= cpu && this.freeGpu >= gpu;
  }
}

export function shapeKey(resources: Resources): string {
  return `${toUnits(resources.cpu)}:${toUnits(resources.gpu)}`;
}

/**
 * Placement that packs: prefer a node with a warm actor of the right shape
 * (no start-up), else the feasible node left with the least free GPU, then
 * CPU (best fit), so large trials still find whole free nodes later.
 * Ties go to the lower node index (determinism).
 */
export function placeOn(nodes: readonly SimNode[], resources: Resources): SimNode | undefined {
  const cpu = toUnits(resources.cpu);
  const gpu = toUnits(resources.gpu);
  const shape = shapeKey(resources);
  let best: SimNode | undefined;
  let bestWarm = false;
  for (const node of nodes) {
    if (!node.fits(cpu, gpu)) continue;
    const warm = (node.warm.get(shape) ?? 0) > 0;
    if (
      !best ||
      (warm && !bestWarm) ||
      (warm === bestWarm &&
        (node.freeGpu - gpu < best.freeGpu - gpu ||
          (node.freeGpu === best.freeGpu && node.freeCpu < best.freeCpu)))
    ) {
      best = node;
      bestWarm = warm;
    }
  }
  return best;
}
