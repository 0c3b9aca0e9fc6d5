import { LOG_SQRT_2PI, gaussMass } from "../../math/normal.ts";
import type { WeightsMemo } from "./kernel-memo.ts";
import { bandwidthFloor, mixtureWeights, type ParzenSettings } from "./parzen-estimator.ts";
import { ABSENT, CELLS, CentreKdTree, OUTSIDE } from "./centre-kd-tree.ts";
import { truncnormLogPdf } from "./truncnorm.ts";

/**
 * Bounds on a multivariate bad group's log density (Optuna's joint kernels over d continuous
 * parameters, one bandwidth per dimension), for TPE's argmax from bounds (best-candidate.ts;
 * issue 14). A component's score at x is
 *   offset_c - Q_c(x),  Q_c = sum_d z_cd^2 / 2,  offset_c = log weight - sum_d log normaliser_cd,
 * and the normalisers (each a truncated-normal mass: two `ndtr`s) change with every n, since
 * the bandwidth 0.2 n^(-1/(d+4)) does. So the exact density needs n d masses per suggestion,
 * but the bounds need only the few components near each candidate. Each observation's
 * offset is at most U_c: its mass in dimension d is at least the least mass of any centre in
 * its cell of a 64-cell grid over the bounds (the mass is unimodal in the centre, so that is
 * the mass at a cell end: 65 masses per dimension, not n). The grid and each point's cost on
 * it are kept per tree across suggestions while the bandwidth only shrinks (`gridFor`).
 *
 * The centres sit in a k-d tree kept across suggestions (centre-kd-tree.ts) with the bad group
 * laid over it: per node its member count and largest U_c. Per candidate, the floor is an exact
 * score (the prior's, or that of the best-bounded member of the candidate's own leaf); the tree
 * is walked nearer child first, and a node whose members together can add at most
 * e^-margin relative to the floor (count x e^(U_max - minimum Q over its box - floor)) is
 * skipped, its bound counted; in the leaves, members with U_c - Q_c within `margin` of the
 * floor are scored exactly (their masses computed once per suggestion, on first need), every
 * other one adds at most e^-k, k = floor(floor - (U_c - Q_c)), counted per k. So the log
 * density lies in [value - rounding, value + bound + rounding], as
 * `ParzenEstimator.logPdfBounds` promises.
 *
 * The log weights are those of bandwidth-weighted scoring up to rounding: log w + sum log sigma -
 * log(sum w prod sigma), without the exact log-sum-exp (whose terms below e^-40 are dropped:
 * a relative n e^-40, inside best-candidate.ts's allowance, as for univariate bounds).
 */
export interface MultivariateInput {
  /** One column per parameter of the bad group's observations (oldest first), all in bounds. */
  readonly columns: readonly Float64Array[];
  readonly lows: readonly number[];
  readonly highs: readonly number[];
  readonly settings: ParzenSettings;
  readonly weights: WeightsMemo;
}

/** The bad group as trial positions over a tree of every trial's centre, kept across suggestions. */
export interface KeptMultivariateInput {
  /** The block's tree (its bounds are the parameters' bounds); extended here to `count` positions. */
  readonly tree: CentreKdTree;
  /** One per-trial column per parameter of the block (NaN in the first: inactive), positions 0..count-1. */
  readonly values: readonly Float64Array[];
  readonly count: number;
  /** The bad group's trial positions, ascending; those where the block is inactive are not components. */
  readonly ids: Int32Array;
  readonly settings: ParzenSettings;
  readonly weights: WeightsMemo;
}

const SIGMA0_MAGNITUDE = 0.2;
/**
 * First pass: components within this of the floor are scored exactly. With candidates bounded
 * one at a time (best-candidate.ts, `logPdfLower`), the first bound sets the cut for the rest,
 * so a tighter first pass pays: at N = 2,000 on Hartmann6, leaf points visited per suggestion
 * were 1,404 at 8 (middle 11), 794 at 10 (middle 13), 661 at 11 (middle 14) and 681 at 12
 * (middle 15); averaged over 200 model suggestions after the random history, 5,518 / 3,151 / 3,115 /
 * 3,259. Margins 6 and 7 were worse.
 */
const MARGIN = 11;
/** Tight pass (the contenders of the first): bounds of about 1e-7. */
const TIGHT_MARGIN = 20;
/** Between the two (`logPdfBoundsMiddle`), for the first pass's contenders before the tight pass. */
const MIDDLE_MARGIN = 14;
/** Buckets of e^-k for skipped components; beyond the last, e^-LAST_BUCKET each. */
const LAST_BUCKET = 64;
const BUCKET_TERMS = Float64Array.from({ length: LAST_BUCKET + 1 }, (_, k) => Math.exp(-k));
const NO_DENSITY = -Infinity;
const LN2 = Math.LN2;
/** A kept grid is recomputed once the bandwidth has shrunk below this fraction of the one it was computed at (about 22% more components). */
const GRID_REFRESH = 0.98;

/**
 * Per tree, the 64-cell grid's cost bounds and each point's sum of them, kept across
 * suggestions (round 6's idea (b)). A centre's truncation mass only grows as the bandwidth
 * shrinks, so masses computed at a bandwidth at least the current one still bound the
 * current masses from below: the grid is recomputed only when the bandwidth grew in some
 * dimension (fewer components) or shrank below GRID_REFRESH of the kept one; points added
 * since are costed on the kept grid.
 */
interface KeptGrid {
  readonly sigmas: Float64Array;
  readonly cellCosts: Float64Array;
  /** Per slot, sum over dimensions of its cells' costs; slots 0..costed-1 are filled. */
  pointCosts: Float64Array;
  costed: number;
}
const keptGrids = new WeakMap<CentreKdTree, KeptGrid>();

/**
 * Q of a stored centre at x: half the squared distance in bandwidth units, summed in
 * dimension order (the same floats as the exact component score's quadratic term).
 */
function halfScaledSquaredDistance(x: Float64Array, coords: Float64Array, slot: number, d: number, inverseSigmas: Float64Array): number {
  let q = 0;
  for (let p = 0; p < d; p++) {
    const z = ((x[p] as number) - (coords[slot * d + p] as number)) * (inverseSigmas[p] as number);
    q += 0.5 * z * z;
  }
  return q;
}

/** The tree's kept grid, recomputed where `sigmas` are above its bandwidths or far below them; null if a mass is not positive. */
function gridFor(tree: CentreKdTree, sigmas: Float64Array): KeptGrid | null {
  const d = tree.d;
  // (Imported bindings are read once: under tsx each read is a getter call.)
  const GRID = CELLS;
  let grid = keptGrids.get(tree);
  let stale = grid === undefined;
  for (let p = 0; p < d && !stale; p++) {
    const kept = (grid as KeptGrid).sigmas[p] as number;
    const sigma = sigmas[p] as number;
    if (!(sigma <= kept) || sigma < GRID_REFRESH * kept) stale = true;
  }
  if (stale) {
    const cellCosts = new Float64Array(d * GRID);
    const masses = new Float64Array(GRID + 1);
    for (let p = 0; p < d; p++) {
      const low = tree.lows[p] as number;
      const high = tree.highs[p] as number;
      const range = high - low;
      const sigma = sigmas[p] as number;
      for (let i = 0; i <= GRID; i++) {
        const g = i === GRID ? high : low + (range * i) / GRID;
        masses[i] = gaussMass((low - g) / sigma, (high - g) / sigma);
      }
      // The mass is unimodal in the centre, so over an interval it is least at an end; each cell is
      // widened by one cell a side against rounding in the cell index, and the mass made a little smaller for ndtr's.
      for (let i = 0; i < GRID; i++) {
        const lowest = Math.min(masses[Math.max(i - 1, 0)] as number, masses[Math.min(i + 2, GRID)] as number) * (1 - 1e-9);
        if (!(lowest > 0)) {
          keptGrids.delete(tree);
          return null;
        }
        cellCosts[p * GRID + i] = -Math.log(lowest);
      }
    }
    grid = { sigmas: Float64Array.from(sigmas), cellCosts, pointCosts: new Float64Array(Math.max(tree.size, 64)), costed: 0 };
    keptGrids.set(tree, grid);
  }
  const kept = grid as KeptGrid;
  if (kept.pointCosts.length < tree.size) {
    const grown = new Float64Array(Math.max(tree.size, 2 * kept.pointCosts.length));
    grown.set(kept.pointCosts.subarray(0, kept.costed));
    kept.pointCosts = grown;
  }
  const { cells } = tree;
  const { cellCosts, pointCosts } = kept;
  for (let slot = kept.costed; slot < tree.size; slot++) {
    const at = slot * d;
    let cost = 0;
    for (let p = 0; p < d; p++) cost += cellCosts[p * GRID + (cells[at + p] as number)] as number;
    pointCosts[slot] = cost;
  }
  kept.costed = tree.size;
  return kept;
}

/**
 * Whether a candidate with log l = `logL` and an exact part `floor` of its log g (a lower
 * bound) is below `bestLower` with bestCandidate's own test and slack, so it cannot win (NaN:
 * never). The same expression as `lazyBestCandidate`'s contender test with g = floor.
 */
function dominated(logL: number, floor: number, bestLower: number): boolean {
  return logL - floor + 1e-9 * (1 + Math.abs(logL) + Math.abs(floor)) < bestLower;
}

export class MultivariateBounds {
  private readonly n: number;
  private readonly d: number;
  private readonly tree: CentreKdTree;
  /** The tree's membership this object laid (`setMembers`); another laid since makes it stale. */
  private readonly generation: number;
  /** Component c's slot in the tree. */
  private readonly slots: Int32Array;
  private readonly lows: Float64Array;
  private readonly highs: Float64Array;
  /** Per dimension: the observations' bandwidth and its inverse; the prior's is the range. */
  private readonly sigmas: Float64Array;
  private readonly inverseSigmas: Float64Array;
  /** log w_c plus the weighting's per-component terms, before the normalisers (see `offset`). */
  private readonly logWeightPart: Float64Array;
  /** Per component, an upper bound on its offset (`offset`): U_c. */
  private readonly uppers: Float64Array;
  /** Exact offsets, computed on first need (`known`). */
  private readonly offsets: Float64Array;
  private readonly known: Uint8Array;
  /** Scratch of `boundAt`: exact scores, skipped nodes' and members' upper bounds and counts (at most one entry per node and per member), the walk's stack, the buckets. */
  private readonly scores: Float64Array;
  private readonly skippedUpper: Float64Array;
  private readonly skippedCount: Int32Array;
  private readonly stack: Int32Array;
  private readonly buckets = new Float64Array(LAST_BUCKET + 1);
  /** The bound of the last `boundAt`. */
  private lastBound = 0;
  /** Work done so far, for benchmarks/perf/tpe-multivariate-work.ts: candidates bounded, nodes tested against the margin, points of the leaves visited, members scored exactly; candidates and leaf points of the middle and tight passes among them. */
  readonly work = { candidates: 0, nodes: 0, members: 0, exact: 0, tightCandidates: 0, tightMembers: 0, stopped: 0 };

  private constructor(tree: CentreKdTree, slots: Int32Array, n: number, sigmas: Float64Array, logWeightPart: Float64Array, uppers: Float64Array) {
    this.n = n;
    this.d = tree.d;
    this.tree = tree;
    this.generation = tree.generation;
    this.slots = slots;
    this.lows = tree.lows;
    this.highs = tree.highs;
    this.sigmas = sigmas;
    this.inverseSigmas = sigmas.map((s) => 1 / s);
    this.logWeightPart = logWeightPart;
    this.uppers = uppers;
    this.offsets = new Float64Array(n + 1);
    this.known = new Uint8Array(n + 1);
    this.scores = new Float64Array(n);
    this.skippedUpper = new Float64Array(n + tree.left.length);
    this.skippedCount = new Int32Array(n + tree.left.length);
    this.stack = new Int32Array(tree.left.length + 1);
  }

  /** The bounds for a bad group given as columns (a tree built for it), or null where they do not apply. */
  static of(input: MultivariateInput): MultivariateBounds | null {
    const { columns, lows, highs } = input;
    const n = columns[0]?.length ?? 0;
    const tree = new CentreKdTree(lows, highs);
    tree.extend(columns, n);
    // Every row is a component here: one outside the bounds (or NaN) declines.
    if (tree.size !== n) return null;
    return MultivariateBounds.kept({ tree, values: columns, count: n, ids: Int32Array.from({ length: n }, (_, i) => i), settings: input.settings, weights: input.weights });
  }

  /** The bounds for a bad group over a kept tree, or null where they do not apply (then the estimator is asked). */
  static kept(input: KeptMultivariateInput): MultivariateBounds | null {
    const { tree, ids, settings } = input;
    const d = tree.d;
    if (!settings.multivariate || (settings.bandwidth ?? "optuna") !== "optuna" || !settings.considerPrior) return null;
    if (input.values.length !== d || input.count < tree.seen) throw new Error("MultivariateBounds.kept: the tree belongs to another block or history");
    tree.extend(input.values, input.count);
    // The components: the members where the block is active, in trial order; one outside the bounds declines.
    const slots = new Int32Array(ids.length);
    const { slotOfPosition } = tree;
    const absent = ABSENT;
    const outside = OUTSIDE;
    let n = 0;
    for (let k = 0; k < ids.length; k++) {
      const slot = slotOfPosition[ids[k] as number] as number;
      if (slot === absent) continue;
      if (slot === outside) return null;
      slots[n++] = slot;
    }
    if (n < 64) return null;
    const components = n + 1;
    const { weights, logWeights: base } = mixtureWeights(n, settings, input.weights);
    const sigma0 = SIGMA0_MAGNITUDE * Math.max(n, 1) ** (-1 / (d + 4));
    const sigmas = new Float64Array(d);
    for (let p = 0; p < d; p++) {
      const range = (tree.highs[p] as number) - (tree.lows[p] as number);
      sigmas[p] = Math.min(Math.max(sigma0 * range, bandwidthFloor(settings, components, range)), range);
    }
    // Per point, the sum over dimensions of -log of a lower bound on its truncation mass (the kept grid).
    const grid = gridFor(tree, sigmas);
    if (grid === null) return null;
    const bandwidthWeighted = settings.scoring === "bandwidth-weighted";
    // log weight part: bandwidth-weighted log w + sum log sigma - shift; normalized log w.
    const logWeightPart = new Float64Array(components);
    let logSigmaSum = 0;
    let logRangeSum = 0;
    let sigmaProduct = 1;
    let rangeProduct = 1;
    for (let p = 0; p < d; p++) {
      const range = (tree.highs[p] as number) - (tree.lows[p] as number);
      logSigmaSum += Math.log(sigmas[p] as number);
      logRangeSum += Math.log(range);
      sigmaProduct *= sigmas[p] as number;
      rangeProduct *= range;
    }
    let shift = 0;
    if (bandwidthWeighted) {
      let total = 0;
      for (let c = 0; c < n; c++) total += (weights[c] as number) * sigmaProduct;
      total += (weights[n] as number) * rangeProduct;
      shift = Math.log(total);
    }
    for (let c = 0; c < components; c++) {
      const own = c < n ? logSigmaSum : logRangeSum;
      logWeightPart[c] = bandwidthWeighted ? (base[c] as number) + own - shift : (base[c] as number);
    }
    if (!Number.isFinite(shift) || !Number.isFinite(logSigmaSum)) return null;
    // offset_c = logWeightPart_c - sum_d (log sigma_d + LOG_SQRT_2PI + log mass_cd) <= U_c, with the cells' mass bounds.
    const ceiling = -logSigmaSum - d * LOG_SQRT_2PI;
    const uppers = new Float64Array(n);
    const { pointCosts } = grid;
    for (let c = 0; c < n; c++) uppers[c] = (logWeightPart[c] as number) + ceiling + (pointCosts[slots[c] as number] as number) * (1 + 1e-9) + 1e-9;
    tree.setMembers(slots, n, uppers);
    return new MultivariateBounds(tree, slots, n, sigmas, logWeightPart, uppers);
  }

  /**
   * As `ParzenEstimator.logPdfBounds`: one column per parameter. Per candidate, the floor is
   * the best of the prior's exact score and that of the component with the best upper bound
   * in the candidate's own leaf; then the tree is walked nearer child first, and a node is
   * skipped when its upper bound (its largest log weight part plus the offset ceiling, minus
   * the smallest Q any point of its box can have) is at least `margin` below the floor (which
   * rises with each exact score), adding its member count times e^-gap to the bound. In the
   * leaves, each member is bounded or scored exactly as a node is.
   */
  logPdfBounds(samples: readonly Float64Array[], tight = false): { value: Float64Array; bound: Float64Array } {
    return this.boundsWithin(samples, tight ? TIGHT_MARGIN : MARGIN);
  }

  /** As `BadDensity.logPdfBoundsMiddle`: `logPdfBounds` at a margin between the first pass's and the tight pass's. */
  logPdfBoundsMiddle(samples: readonly Float64Array[]): { value: Float64Array; bound: Float64Array } {
    return this.boundsWithin(samples, MIDDLE_MARGIN);
  }

  /** As `BadDensity.logPdfBoundsOrDominated`: the first pass, each walk stopped once its exact part shows the candidate cannot win. */
  logPdfBoundsOrDominated(samples: readonly Float64Array[], logL: Float64Array, bestLower: number): { value: Float64Array; bound: Float64Array } {
    return this.boundsWithin(samples, MARGIN, logL, bestLower);
  }

  private boundsWithin(samples: readonly Float64Array[], margin: number, logL?: Float64Array, bestLower = -Infinity): { value: Float64Array; bound: Float64Array } {
    if (this.tree.generation !== this.generation) throw new Error("MultivariateBounds.logPdfBounds: the tree's bad group was replaced since these bounds were made");
    const size = samples[0]?.length ?? 0;
    const value = new Float64Array(size);
    const bound = new Float64Array(size);
    const { d } = this;
    const x = new Float64Array(d);
    for (let s = 0; s < size; s++) {
      if (!this.loadCandidate(samples, s, x)) {
        value[s] = NO_DENSITY;
        continue;
      }
      value[s] = this.boundAt(x, margin, logL === undefined ? Number.NaN : (logL[s] as number), bestLower);
      bound[s] = this.lastBound;
    }
    return { value, bound };
  }

  /**
   * As `BadDensity.logPdfLower`: per candidate, the prior's exact score (a term of the density,
   * so below it; -Infinity outside the bounds). `logPdfBounds`' value is never below it: its
   * floor starts there.
   */
  logPdfLower(samples: readonly Float64Array[]): Float64Array {
    if (this.tree.generation !== this.generation) throw new Error("MultivariateBounds.logPdfLower: the tree's bad group was replaced since these bounds were made");
    const size = samples[0]?.length ?? 0;
    const lower = new Float64Array(size);
    const { d, n } = this;
    const x = new Float64Array(d);
    const priorOffset = this.offset(n);
    for (let s = 0; s < size; s++) {
      lower[s] = this.loadCandidate(samples, s, x) ? priorOffset - this.priorQ(x) : NO_DENSITY;
    }
    return lower;
  }

  /**
   * One candidate (inside the bounds): returns the value and leaves the bound in `lastBound`.
   * (One call per candidate, so that V8 optimises this loop as a whole function, not by
   * on-stack replacement of a long-running one.)
   */
  private boundAt(x: Float64Array, margin: number, logL: number, bestLower: number): number {
    const { n, d, inverseSigmas, uppers, tree, scores, skippedUpper, skippedCount, stack, buckets } = this;
    const { coords, componentOfSlot, left, right, splitDim, splitValue, boxLow, boxHigh, members, maxUpper, leafSlots, leafLength, root } = tree;
    const prior = this.offset(n) - this.priorQ(x);
    let floor = prior;
    // The candidate's own leaf: the member with the best upper bound sets the first floor.
    let home = root;
    while ((left[home] as number) >= 0) home = (x[splitDim[home] as number] as number) <= (splitValue[home] as number) ? (left[home] as number) : (right[home] as number);
    {
      const own = leafSlots[home] as Int32Array;
      let best = -1;
      let bestUpper = NO_DENSITY;
      let bestQ = 0;
      for (let i = 0; i < (leafLength[home] as number); i++) {
        const slot = own[i] as number;
        const c = componentOfSlot[slot] as number;
        if (c < 0) continue;
        const q = halfScaledSquaredDistance(x, coords, slot, d, inverseSigmas);
        const upper = (uppers[c] as number) - q;
        if (upper > bestUpper) {
          bestUpper = upper;
          best = c;
          bestQ = q;
        }
      }
      if (best >= 0) {
        const score = this.offset(best) - bestQ;
        if (score > floor) floor = score;
      }
    }
    if (dominated(logL, floor, bestLower)) return this.stopDominated(floor);
    // With a cut to watch: the exact part so far, e^ref x sum (the prior and the included scores), a lower bound on g.
    const watch = !Number.isNaN(logL);
    let ref = floor;
    let partSum = watch ? Math.exp(prior - ref) : 0;
    let included = 0;
    let skipped = 0;
    let top = 0;
    let nodesTested = 0;
    let membersTested = 0;
    stack[top++] = root;
    while (top > 0) {
      const node = stack[--top] as number;
      const count = members[node] as number;
      if (count === 0) continue;
      nodesTested++;
      // The smallest Q of any point in the node's box (the same float operations as a point's Q, so never above one).
      let nearest = 0;
      for (let p = 0; p < d; p++) {
        const xp = x[p] as number;
        const low = boxLow[node * d + p] as number;
        const high = boxHigh[node * d + p] as number;
        const z = (xp < low ? low - xp : xp > high ? xp - high : 0) * (inverseSigmas[p] as number);
        nearest += 0.5 * z * z;
      }
      const upper = (maxUpper[node] as number) - nearest;
      // Skipped only if all its members together add at most e^-margin (ln count <= bit length x ln 2).
      if (floor - upper >= margin + (32 - Math.clz32(count)) * LN2) {
        skippedUpper[skipped] = upper;
        skippedCount[skipped++] = count;
        continue;
      }
      const first = left[node] as number;
      if (first >= 0) {
        const second = right[node] as number;
        const nearLeft = (x[splitDim[node] as number] as number) <= (splitValue[node] as number);
        stack[top++] = nearLeft ? second : first;
        stack[top++] = nearLeft ? first : second;
        continue;
      }
      const own = leafSlots[node] as Int32Array;
      const length = leafLength[node] as number;
      membersTested += length;
      for (let i = 0; i < length; i++) {
        const slot = own[i] as number;
        const c = componentOfSlot[slot] as number;
        if (c < 0) continue;
        const q = halfScaledSquaredDistance(x, coords, slot, d, inverseSigmas);
        const bounded = (uppers[c] as number) - q;
        if (floor - bounded >= margin) {
          skippedUpper[skipped] = bounded;
          skippedCount[skipped++] = 1;
        } else {
          const score = this.offset(c) - q;
          scores[included++] = score;
          if (score > floor) floor = score;
          if (watch) {
            if (score > ref) {
              partSum = partSum * Math.exp(ref - score) + 1;
              ref = score;
            } else partSum += Math.exp(score - ref);
          }
        }
      }
      if (watch) {
        const part = Math.max(floor, ref + Math.log(partSum));
        if (dominated(logL, part, bestLower)) return this.stopDominated(part);
      }
    }
    const work = this.work;
    work.candidates++;
    work.nodes += nodesTested;
    work.members += membersTested;
    work.exact += included;
    if (margin !== MARGIN) {
      work.tightCandidates++;
      work.tightMembers += membersTested;
    }
    // Relative to the final floor (an included score or the prior's): the sum is at least 1.
    let sum = Math.exp(prior - floor);
    for (let i = 0; i < included; i++) sum += Math.exp((scores[i] as number) - floor);
    buckets.fill(0);
    for (let i = 0; i < skipped; i++) {
      const gap = floor - (skippedUpper[i] as number);
      const k = gap >= LAST_BUCKET ? LAST_BUCKET : Math.floor(gap);
      buckets[k] = (buckets[k] as number) + (skippedCount[i] as number);
    }
    let extra = 0;
    for (let k = 0; k <= LAST_BUCKET; k++) if ((buckets[k] as number) > 0) extra += (buckets[k] as number) * (BUCKET_TERMS[k] as number);
    this.lastBound = extra * (1 + 1e-6);
    return floor + Math.log(sum);
  }

  /**
   * Every component's exact offset and its upper bound U_c, by component (trial order): what
   * the bounds rest on, for tests (it computes all n exact offsets, which the bounds avoid).
   */
  offsetsAndUppers(): { exact: Float64Array; upper: Float64Array } {
    const exact = new Float64Array(this.n);
    for (let c = 0; c < this.n; c++) exact[c] = this.offset(c);
    return { exact, upper: this.uppers.slice() };
  }

  /** A walk stopped early (`dominated`): the exact part so far is the value, and the bound is infinite. */
  private stopDominated(floor: number): number {
    this.work.candidates++;
    this.work.stopped++;
    this.lastBound = Infinity;
    return floor;
  }

  /** Copies candidate s of `samples` (one column per dimension) into x; false when it lies outside the bounds. */
  private loadCandidate(samples: readonly Float64Array[], s: number, x: Float64Array): boolean {
    const { d, lows, highs } = this;
    let inside = true;
    for (let p = 0; p < d; p++) {
      const v = (samples[p] as Float64Array)[s] as number;
      x[p] = v;
      if (!(v >= (lows[p] as number) && v <= (highs[p] as number))) inside = false;
    }
    return inside;
  }

  /** The prior's Q at x (its bandwidth is each range, its centre the middle). */
  private priorQ(x: Float64Array): number {
    let q = 0;
    for (let p = 0; p < this.d; p++) {
      const low = this.lows[p] as number;
      const high = this.highs[p] as number;
      const z = ((x[p] as number) - 0.5 * (low + high)) / (high - low);
      q += 0.5 * z * z;
    }
    return q;
  }

  /** Component c's exact offset (log weight part minus its log normalisers), computed once. */
  private offset(c: number): number {
    if (this.known[c] === 1) return this.offsets[c] as number;
    let value = this.logWeightPart[c] as number;
    for (let p = 0; p < this.d; p++) {
      const low = this.lows[p] as number;
      const high = this.highs[p] as number;
      const prior = c === this.n;
      const sigma = prior ? high - low : (this.sigmas[p] as number);
      const mu = prior ? 0.5 * (low + high) : (this.tree.coords[(this.slots[c] as number) * this.d + p] as number);
      value -= Math.log(sigma) - truncnormLogPdf(0, (low - mu) / sigma, (high - mu) / sigma);
    }
    this.offsets[c] = value;
    this.known[c] = 1;
    return value;
  }
}
