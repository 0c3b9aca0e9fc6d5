import { OptionError } from "../../core/contracts/index.ts";
import type { Resources } from "../../core/contracts/index.ts";

/** One GPU the machine offers (nvidia-smi's index). */
export interface GpuDevice {
  readonly index: number;
  readonly memoryMB?: number;
}

/** What the executor may hand out: a CPU count and named GPUs. */
export interface MachineCapacity {
  readonly cpu: number;
  readonly gpus: readonly GpuDevice[];
}

/** What one actor holds: CPUs, and a share of each of its GPUs (1 = the whole device). */
export interface Allocation {
  readonly cpu: number;
  readonly gpus: readonly { readonly index: number; readonly share: number }[];
}

// Shares are sums of fractions like 0.1 or 1/3: compare with a tolerance so 3 x (1/3) fits one GPU.
const EPS = 1e-9;

/**
 * Hands out CPUs and GPUs so that none is ever over-committed. A fractional GPU
 * request (0 < gpu < 1) shares one device with others (best fit: the fullest
 * device it still fits on, which keeps whole devices free for whole requests);
 * a request of one GPU or more takes that many whole, unshared devices. Pure: no
 * I/O, so a test can drive it by hand.
 */
export class ResourceAllocator {
  private cpuUsed = 0;
  private readonly gpuUsed: Map<number, number>;

  constructor(readonly capacity: MachineCapacity) {
    this.gpuUsed = new Map(capacity.gpus.map((g) => [g.index, 0]));
  }

  /** CPUs in use now. */
  get cpuInUse(): number {
    return this.cpuUsed;
  }

  /** Share of device `index` in use now (0..1). */
  gpuInUse(index: number): number {
    return this.gpuUsed.get(index) ?? 0;
  }

  /** Checks a request's shape; an impossible shape (gpu 1.5) is an OptionError, not a wait. */
  static check(resources: Resources): void {
    if (!Number.isFinite(resources.cpu) || resources.cpu < 0) throw new OptionError("resources.cpu", `must be a finite number >= 0, got ${resources.cpu}`);
    if (!Number.isFinite(resources.gpu) || resources.gpu < 0) throw new OptionError("resources.gpu", `must be a finite number >= 0, got ${resources.gpu}`);
    if (resources.gpu > 1 && !Number.isInteger(resources.gpu)) {
      throw new OptionError("resources.gpu", `a request above one GPU must be a whole number of GPUs, got ${resources.gpu}`);
    }
  }

  /** Takes `resources` and returns what was assigned, or undefined when they do not fit now (nothing is taken). */
  allocate(resources: Resources): Allocation | undefined {
    ResourceAllocator.check(resources);
    if (this.cpuUsed + resources.cpu > this.capacity.cpu + EPS) return undefined;
    const gpus = this.pickGpus(resources.gpu);
    if (gpus === undefined) return undefined;
    this.cpuUsed += resources.cpu;
    for (const g of gpus) this.gpuUsed.set(g.index, (this.gpuUsed.get(g.index) ?? 0) + g.share);
    return { cpu: resources.cpu, gpus };
  }

  /** Whether `resources` would fit now, taking nothing. */
  fits(resources: Resources): boolean {
    ResourceAllocator.check(resources);
    return this.cpuUsed + resources.cpu <= this.capacity.cpu + EPS && this.pickGpus(resources.gpu) !== undefined;
  }

  /** Whether `resources` would fit on the empty machine. */
  couldEverFit(resources: Resources): boolean {
    return new ResourceAllocator(this.capacity).fits(resources);
  }

  /** Whether `resources` would fit once `freed` are given back (the idle actors a start may evict). */
  fitsAfterReleasing(freed: readonly Allocation[], resources: Resources): boolean {
    const copy = new ResourceAllocator(this.capacity);
    copy.cpuUsed = this.cpuUsed;
    for (const [index, used] of this.gpuUsed) copy.gpuUsed.set(index, used);
    for (const a of freed) copy.release(a);
    return copy.fits(resources);
  }

  release(allocation: Allocation): void {
    this.cpuUsed = Math.max(0, this.cpuUsed - allocation.cpu);
    for (const g of allocation.gpus) this.gpuUsed.set(g.index, Math.max(0, (this.gpuUsed.get(g.index) ?? 0) - g.share));
  }

  private pickGpus(gpu: number): { index: number; share: number }[] | undefined {
    if (gpu === 0) return [];
    const devices = this.capacity.gpus.map((g) => ({ index: g.index, used: this.gpuUsed.get(g.index) ?? 0 }));
    if (gpu < 1) {
      const fitting = devices.filter((d) => d.used + gpu <= 1 + EPS).sort((a, b) => b.used - a.used || a.index - b.index);
      const best = fitting[0];
      return best === undefined ? undefined : [{ index: best.index, share: gpu }];
    }
    const free = devices.filter((d) => d.used <= EPS).sort((a, b) => a.index - b.index);
    if (free.length < gpu) return undefined;
    return free.slice(0, gpu).map((d) => ({ index: d.index, share: 1 }));
  }
}

/** The environment an actor gets for its allocation: exactly its GPUs, and as many OpenMP threads as CPUs. */
export function allocationEnv(allocation: Allocation): Record<string, string> {
  return {
    CUDA_VISIBLE_DEVICES: allocation.gpus.map((g) => g.index).join(","),
    OMP_NUM_THREADS: String(Math.max(1, Math.floor(allocation.cpu))),
  };
}

/** Whether two requests are the same shape (an idle actor serves only a trial of its own shape). */
export function sameResources(a: Resources, b: Resources): boolean {
  return Math.abs(a.cpu - b.cpu) <= EPS && Math.abs(a.gpu - b.gpu) <= EPS;
}
