import type { Resources } from "../core/contracts/index.ts";
import type { ResolvedNodeType } from "./cluster-spec.ts";
import { OrderStatisticTree } from "../algorithms/math/order-statistic-tree.ts";
import { lowerBound } from "../algorithms/math/sorted-search.ts";

// Resources are kept in integer thousandths so fractional GPUs (0.25, 0.5) add
// and subtract exactly: float drift would let a node look over-full or leak capacity.
const UNIT = 1000;
export const toUnits = (amount: number): number => Math.round(amount * UNIT);

export class SimNode {
  alive = true;
  /** Under a preemption notice: still running its trials, but takes no new ones. */
  doomed = false;
  /** When the node will be reclaimed (a spot node's Poisson draw, or a storm's time); Infinity: not scheduled. */
  lossAt = Number.POSITIVE_INFINITY;
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
  /** When the node last became empty (NaN while a trial is placed): idle node-hours and the idle timeout. */
  idleSince: number;
  /** Idle seconds before `idleSince`. */
  idleSeconds = 0;

  constructor(
    readonly index: number,
    readonly id: string,
    readonly type: ResolvedNodeType,
    now: number,
    /** When billing started: the launch request for an autoscaled node, else when it joined. */
    readonly billedFrom: number = now,
  ) {
    this.freeCpu = toUnits(type.cpus);
    this.freeGpu = toUnits(type.gpus);
    this.upSince = now;
    this.idleSince = now;
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

/**
 * `placeOn`'s choice in O(L log nodes) per placement instead of a scan of every
 * node: the nodes that can take work (alive, not doomed) are bucketed by free
 * GPU (thousandths), and each bucket is an order-statistic tree by (free CPU,
 * node index). A query walks the free-GPU levels upward from the request and
 * takes, in the first level that has one, the node with the least free CPU
 * that still fits: the least free GPU, then CPU, then the lower index, as
 * `placeOn`. L, the number of distinct free-GPU levels, depends on the node
 * sizes and trial shapes (9 for 1-GPU trials on 8-GPU nodes), not on the node
 * count. Warm nodes (few: only those freed in the current event) are checked
 * first by a scan, as they win over any cold node.
 *
 * Every change to a node's free resources or liveness goes through `update`,
 * which takes the node out of its bucket, applies the change and puts it back.
 */
export class PlacementIndex {
  /**
   * Free-GPU levels whose bucket holds a node, ascending (a short list: binary-inserted). An
   * emptied bucket leaves the list but is kept for reuse: on a full cluster the levels above 0
   * empty and refill at every trial start and stop, and a query walking them would pay one
   * empty tree per level (6-7 per `canPlace`, about once per result: placement-work.ts).
   */
  private readonly levels: number[] = [];
  private readonly buckets = new Map<number, OrderStatisticTree>();
  private readonly nodes: SimNode[] = [];
  /** Per node index: the (free GPU, free CPU) it is filed under, or undefined when not filed. */
  private readonly filed: Array<{ gpu: number; cpu: number } | undefined> = [];

  /** Forgets every node (a simulation restored from saved state files its nodes again). */
  clear(): void {
    this.levels.length = 0;
    this.buckets.clear();
    this.nodes.length = 0;
    this.filed.length = 0;
  }

  /** Starts tracking a new node (its index must be new). */
  add(node: SimNode): void {
    this.nodes[node.index] = node;
    this.file(node);
  }

  /** Applies `change` to the node (free resources, alive, doomed) and refiles it. */
  update(node: SimNode, change: (node: SimNode) => void): void {
    this.unfile(node);
    change(node);
    this.file(node);
  }

  /** Adds `cpu`/`gpu` thousandths to the node's free resources (negative to take): `update` without a closure per trial start and stop. */
  adjustFree(node: SimNode, cpu: number, gpu: number): void {
    this.unfile(node);
    node.freeCpu += cpu;
    node.freeGpu += gpu;
    this.file(node);
  }

  /** Whether some node can take `cpu`/`gpu` (thousandths) now. */
  canPlace(cpu: number, gpu: number): boolean {
    return this.coldBest(cpu, gpu) !== undefined;
  }

  /** The node `placeOn(nodes, resources)` would choose, given the nodes that may hold warm actors. */
  place(resources: Resources, warmNodes: readonly SimNode[]): SimNode | undefined {
    const cpu = toUnits(resources.cpu);
    const gpu = toUnits(resources.gpu);
    if (warmNodes.length > 0) {
      const shape = shapeKey(resources);
      let best: SimNode | undefined;
      for (const node of warmNodes) {
        if (!node.fits(cpu, gpu) || !((node.warm.get(shape) ?? 0) > 0)) continue;
        if (!best || node.freeGpu < best.freeGpu || (node.freeGpu === best.freeGpu && (node.freeCpu < best.freeCpu || (node.freeCpu === best.freeCpu && node.index < best.index)))) {
          best = node;
        }
      }
      if (best) return best;
    }
    return this.coldBest(cpu, gpu);
  }

  private coldBest(cpu: number, gpu: number): SimNode | undefined {
    const levels = this.levels;
    for (let i = lowerBound(levels, gpu); i < levels.length; i++) {
      const bucket = this.buckets.get(levels[i] as number) as OrderStatisticTree;
      // Keys are (-free CPU, index), best first: skip the nodes with less than `cpu` free.
      const rank = bucket.rankOf(-cpu, Number.NEGATIVE_INFINITY);
      if (rank < bucket.size) return this.nodes[bucket.payloadAt(rank)];
    }
    return undefined;
  }

  private file(node: SimNode): void {
    if (!node.alive || node.doomed) return;
    let bucket = this.buckets.get(node.freeGpu);
    if (!bucket) {
      bucket = new OrderStatisticTree();
      this.buckets.set(node.freeGpu, bucket);
    }
    if (bucket.size === 0) this.levels.splice(lowerBound(this.levels, node.freeGpu), 0, node.freeGpu);
    bucket.insert(-node.freeCpu, node.index, node.index);
    this.filed[node.index] = { gpu: node.freeGpu, cpu: node.freeCpu };
  }

  private unfile(node: SimNode): void {
    const at = this.filed[node.index];
    if (!at) return;
    const bucket = this.buckets.get(at.gpu) as OrderStatisticTree;
    bucket.remove(-at.cpu, node.index);
    if (bucket.size === 0) this.levels.splice(lowerBound(this.levels, at.gpu), 1);
    this.filed[node.index] = undefined;
  }
}
