/**
 * What TPE's Parzen estimators can carry from one suggestion to the next without
 * changing a single bit of their output (issue 14). Every value kept here is the
 * result of the same deterministic computation on the same inputs that would
 * otherwise be redone; a lookup only replaces the call that would produce it.
 *
 * - `KernelMemo` (one per parameter): a component's log normaliser (log sigma minus
 *   the log truncated-normal density at its mode) and log sigma depend only on its
 *   centre and its bandwidth. The centre of an observation never changes (it is the
 *   trial's value); its bandwidth usually does not either (at n >= 99 the magic
 *   clip floors most univariate bandwidths at 1% of the range). So the memo is keyed
 *   by observation (the trial's position) and holds the bandwidth it was computed at.
 * - `WeightsMemo` (one per suggestion): the normalised mixture weights and their logs
 *   depend only on n, the weights rule, the prior flag and the prior weight; in a
 *   suggestion every parameter's bad-group estimator has the same four.
 */

/**
 * Per-parameter memo of log normalisers and log bandwidths. Slot 0 is the prior
 * component, slot id + 1 the observation with id `id`; a slot is valid for the
 * bandwidth in `sigmas` (NaN: never computed).
 */
export class KernelMemo {
  sigmas = new Float64Array(0);
  logNormalizers = new Float64Array(0);
  logSigmas = new Float64Array(0);

  /** Makes slots 0..size-1 addressable. */
  reserve(size: number): void {
    if (size <= this.sigmas.length) return;
    const capacity = Math.max(size, this.sigmas.length * 2, 64);
    const sigmas = new Float64Array(capacity).fill(Number.NaN);
    sigmas.set(this.sigmas);
    const logNormalizers = new Float64Array(capacity);
    logNormalizers.set(this.logNormalizers);
    const logSigmas = new Float64Array(capacity);
    logSigmas.set(this.logSigmas);
    this.sigmas = sigmas;
    this.logNormalizers = logNormalizers;
    this.logSigmas = logSigmas;
  }
}

interface WeightsEntry {
  readonly n: number;
  readonly rule: (n: number) => Float64Array;
  readonly considerPrior: boolean;
  readonly priorWeight: number;
  readonly weights: Float64Array;
  readonly logWeights: Float64Array;
}

/** Mixture weights of the estimators built in one suggestion; `clear` it before the next (the rule may be stateful). */
export class WeightsMemo {
  private entries: WeightsEntry[] = [];

  find(n: number, rule: (n: number) => Float64Array, considerPrior: boolean, priorWeight: number): WeightsEntry | undefined {
    for (const e of this.entries) if (e.n === n && e.rule === rule && e.considerPrior === considerPrior && e.priorWeight === priorWeight) return e;
    return undefined;
  }

  keep(entry: WeightsEntry): void {
    this.entries.push(entry);
  }

  clear(): void {
    this.entries = [];
  }
}

/** What a ParzenEstimator may reuse: the observations' ids (aligned with the columns) and one KernelMemo per parameter. */
export interface ParzenMemo {
  readonly ids: Int32Array;
  readonly kernels: readonly KernelMemo[];
  readonly weights: WeightsMemo;
}
