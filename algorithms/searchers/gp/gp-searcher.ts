import { checkNumber, integerAtLeast } from "../../../core/errors/index.ts";
import { type Config, type Json, OptionError, SavedStateError, type Searcher } from "../../../core/contracts/index.ts";
import type { Result } from "../../../core/contracts/index.ts";
import { restoreRng, rngFor, type Rng, type RngState } from "../../../core/rng.ts";
import { createEncoding, validateSpace, type Space, type SpaceEncoding } from "../../../core/space/index.ts";
import {
  fitGaussianProcess,
  optimizeHyperparameters,
  packHyperparameters,
  unpackHyperparameters,
  type GaussianProcess,
  type GPHyperparameters,
  type HyperparameterBounds,
} from "../../math/gaussian-process.ts";
import type { KernelName } from "../../math/kernels.ts";
import { positiveInteger, resolveSearcherOptions, type ResolvedSearcherOptions, type SearcherOptions } from "../searcher-options.ts";
import { canonicalPoint } from "./canonical-point.ts";
import { expectedImprovement, maximizeAcquisition, negativeLowerConfidenceBound, type AcquisitionSearch } from "./acquisition.ts";

export interface GPSearcherOptions extends SearcherOptions {
  /** Random suggestions before the GP is used. @defaultValue 10 */
  nStartupTrials?: number;
  /** @defaultValue "ei" */
  acquisition?: "ei" | "ucb";
  /** EI's exploration margin, in standardised units of the metric. @defaultValue 0 */
  xi?: number;
  /** UCB's multiple of the posterior standard deviation. @defaultValue 2.576 */
  kappa?: number;
  /** @defaultValue "matern52" */
  kernel?: KernelName;
  /** Starts of the LML maximisation when hyperparameters are refitted from scratch (one is the previous optimum). @defaultValue 3 */
  restarts?: number;
  /**
   * Refit hyperparameters from all starts at most every this many finished trials (and only
   * when `refitGrowth` allows); in between, warm-start from the last optimum. @defaultValue 10
   */
  refitEvery?: number;
  /**
   * A full refit (all `restarts` starts, 50 Adam steps each) runs only once the number of
   * finished trials is at least this multiple of the number at the last full refit (and
   * `refitEvery` more): with 1.5, at 10, 20, 30, 45, 68, 102, 153, ... trials, so a run of
   * N trials pays O(log N) full refits instead of N / 10. A new point moves the log marginal
   * likelihood by about 1/N of itself, so the optimum drifts slowly once N is large, and the
   * warm fits follow it. 1 refits every `refitEvery` trials (the rule before issue 14's
   * round 6). Must be a finite number >= 1. See docs/architecture/gp-refit.md. @defaultValue 1.5
   */
  refitGrowth?: number;
  /**
   * Adam steps of a warm-started fit (between full refits), from the last optimum. The fit
   * keeps the best point it visits, the start included, so few steps only refine it.
   * @defaultValue 5
   */
  warmIterations?: number;
  /**
   * Once `fitSkipAfter` trials have finished, the warm-started hyperparameter fit runs on
   * only every this-many-th model suggestion; the suggestions in between keep the last
   * fit's hyperparameters and only condition the posterior on the new data. Full refits
   * (`refitEvery`) still run when due. 1 fits on every suggestion (the rule before issue
   * 14's GP-BO speed work). Syne Tune's GP searcher documents the same skip predicate
   * (`opt_skip_period`, "fitting is done only K-th call, and skipped otherwise", after
   * `opt_skip_init_length` observations). See docs/architecture/gp-refit.md for the cost
   * and the regret check behind the default. @defaultValue 3
   */
  fitSkipPeriod?: number;
  /**
   * Finished trials below which every model suggestion fits the hyperparameters, whatever
   * `fitSkipPeriod` says (Syne Tune's `opt_skip_init_length`): with few points the fit
   * still moves a lot from one trial to the next. @defaultValue 30
   */
  fitSkipAfter?: number;
  /**
   * Random points scored per suggestion before local refinement (of the best 5 by 30 steps
   * each). Syne Tune's GP searchers score 250 initial candidates before their local
   * optimiser (`DEFAULT_NUM_INITIAL_CANDIDATES`). @defaultValue 500
   */
  randomCandidates?: number;
  /**
   * Most points the hyperparameter fit sees (the best half and the most recent half of this
   * many); the posterior itself always conditions on every finished trial. Caps the O(n^3)
   * per-iteration cost of LML maximisation. @defaultValue 200
   */
  maxFitPoints?: number;
  /**
   * Most finished trials the posterior conditions on: beyond this many, the best half and the
   * most recent half of this many (the rule of `maxFitPoints`; the best point is always among
   * them). Caps the O(n^3) factorisation and the O(n^2) cost of each of the ~1,150 acquisition
   * evaluations per suggestion, which at 1,000 trials were most of a suggestion's 2.5 s
   * (issue 14). Below the cap nothing changes; at the default, beyond 200 points the fit
   * and the posterior see the same points. @defaultValue 200
   */
  maxPosteriorPoints?: number;
}

interface TrialRecord {
  readonly id: string;
  readonly x: Float64Array;
  state: "running" | "finished" | "error";
  loss: number;
}

const COMPONENT = "searcher:gp";
const FULL_ITERATIONS = 50;

/**
 * GP-BO's rule before issue 14's speed work (a warm-started fit of 15 Adam steps on every
 * suggestion, a full refit every 10 trials, 1,000 random acquisition candidates):
 * `new GPSearcher(space, { ...options, ...GP_BO_REFERENCE_OPTIONS })` proposes what it
 * proposed, whatever the defaults become (it sets `randomCandidates` too).
 */
export const GP_BO_REFERENCE_OPTIONS = Object.freeze({
  warmIterations: 15,
  fitSkipPeriod: 1,
  refitGrowth: 1,
  randomCandidates: 1000,
} as const satisfies Partial<GPSearcherOptions>);

/**
 * The default of issue 14's round 5 (docs/architecture/gp-refit.md): the reference rule with
 * the warm fit skipped on 2 suggestions in 3 past 30 finished trials. The regret check of
 * round 6 compares the default against it.
 */
export const GP_BO_FIT_SKIP_OPTIONS = Object.freeze({
  warmIterations: 15,
  fitSkipPeriod: 3,
  fitSkipAfter: 30,
  refitGrowth: 1,
  randomCandidates: 1000,
} as const satisfies Partial<GPSearcherOptions>);

/**
 * Bayesian optimisation with a Gaussian process (Matern 5/2 ARD by default) on the encoded
 * unit cube (one-hot categoricals; an inactive conditional branch sits at 0.5). The metric
 * is standardised; hyperparameters maximise the log marginal likelihood (seeded restarts);
 * expected improvement (or UCB) is maximised by random sampling plus local refinement.
 * Pending trials enter as "kriging believer" observations at the posterior mean, so a batch
 * of parallel suggestions spreads out. Cost: O(n^3) per fit; see the report in
 * benchmarks/compare-search.ts for where it stops being cheap (a few hundred points).
 */
export class GPSearcher implements Searcher {
  private readonly options: ResolvedSearcherOptions;
  private readonly encoding: SpaceEncoding;
  private readonly nStartupTrials: number;
  private readonly acquisition: "ei" | "ucb";
  private readonly xi: number;
  private readonly kappa: number;
  private readonly kernel: KernelName;
  private readonly restarts: number;
  private readonly refitEvery: number;
  private readonly refitGrowth: number;
  private readonly warmIterations: number;
  private readonly fitSkipPeriod: number;
  private readonly fitSkipAfter: number;
  private readonly search: AcquisitionSearch;
  private readonly plainFloats: boolean;
  /** A raw unit-cube point snapped onto the space (integer cells, one-hot corners). */
  private readonly canonical: (z: Float64Array) => Float64Array;
  private readonly maxFitPoints: number;
  private readonly maxPosteriorPoints: number;
  private readonly bounds: HyperparameterBounds;
  private rng: Rng;
  private trials: TrialRecord[] = [];
  private readonly byId = new Map<string, TrialRecord>();
  /** Last LML optimum (packed), the warm start of the next fit. */
  private theta: Float64Array | null = null;
  private lastFullFit = 0;
  /** Model suggestions since the hyperparameters were last fitted (fitSkipPeriod). */
  private sinceFit = 0;

  constructor(
    space: Space,
    options: GPSearcherOptions,
  ) {
    this.options = resolveSearcherOptions(options, "GPSearcher");
    validateSpace(space);
    this.encoding = createEncoding(space, { categorical: "onehot" });
    if (this.encoding.size === 0) throw new OptionError("GPSearcher", "the space has no dimension to search");
    this.nStartupTrials = positiveInteger("GPSearcher.nStartupTrials", options.nStartupTrials ?? 10);
    this.acquisition = options.acquisition ?? "ei";
    if (this.acquisition !== "ei" && this.acquisition !== "ucb") throw new OptionError("GPSearcher.acquisition", `must be "ei" or "ucb", got ${String(this.acquisition)}`);
    this.xi = nonNegative("GPSearcher.xi", options.xi ?? 0);
    this.kappa = nonNegative("GPSearcher.kappa", options.kappa ?? 2.576);
    this.kernel = options.kernel ?? "matern52";
    if (this.kernel !== "matern52" && this.kernel !== "squared-exponential") throw new OptionError("GPSearcher.kernel", `must be "matern52" or "squared-exponential", got ${String(this.kernel)}`);
    this.restarts = positiveInteger("GPSearcher.restarts", options.restarts ?? 3);
    this.refitEvery = positiveInteger("GPSearcher.refitEvery", options.refitEvery ?? 10);
    this.refitGrowth = checkNumber("GPSearcher.refitGrowth", options.refitGrowth ?? 1.5, { min: 1 });
    this.warmIterations = positiveInteger("GPSearcher.warmIterations", options.warmIterations ?? 5);
    this.fitSkipPeriod = positiveInteger("GPSearcher.fitSkipPeriod", options.fitSkipPeriod ?? 3);
    this.fitSkipAfter = integerAtLeast("GPSearcher.fitSkipAfter", options.fitSkipAfter ?? 30, 0);
    this.search = { randomCandidates: positiveInteger("GPSearcher.randomCandidates", options.randomCandidates ?? 500), localStarts: 5, localSteps: 30 };
    this.maxFitPoints = positiveInteger("GPSearcher.maxFitPoints", options.maxFitPoints ?? 200);
    this.maxPosteriorPoints = positiveInteger("GPSearcher.maxPosteriorPoints", options.maxPosteriorPoints ?? 200);
    this.canonical = canonicalPoint(this.encoding);
    this.plainFloats = this.encoding.dimensions.every((d) => d.kind === "float" && d.activeWhen.length === 0);
    const d = this.encoding.size;
    const low = new Float64Array(d + 2);
    const high = new Float64Array(d + 2);
    low.fill(Math.log(1e-2), 0, d);
    high.fill(Math.log(20), 0, d);
    [low[d], high[d]] = [Math.log(0.05), Math.log(20)];
    [low[d + 1], high[d + 1]] = [Math.log(1e-6), Math.log(0.5)];
    this.bounds = { low, high };
    this.rng = rngFor(this.options.seed, COMPONENT);
  }

  suggest(trialId: string): Config {
    if (this.byId.has(trialId)) throw new OptionError("GPSearcher.suggest", `trial ${trialId} was already suggested`);
    const finished = this.trials.filter((t) => t.state === "finished");
    let config: Config;
    if (finished.length < this.nStartupTrials) {
      const unit = new Float64Array(this.encoding.size);
      for (let k = 0; k < unit.length; k++) unit[k] = this.rng.next();
      config = this.encoding.decode(unit, this.rng.uniform);
    } else {
      config = this.encoding.decode(this.modelSuggestion(finished), this.rng.uniform);
    }
    const record: TrialRecord = { id: trialId, x: this.encoding.encode(config), state: "running", loss: Number.NaN };
    this.trials.push(record);
    this.byId.set(trialId, record);
    return config;
  }

  onTrialComplete(trialId: string, last?: Result, error?: boolean): void {
    const record = this.byId.get(trialId);
    if (record === undefined || record.state !== "running") return;
    const value = last?.metrics[this.options.metric];
    if (error === true || value === undefined || !Number.isFinite(value)) {
      record.state = "error";
      return;
    }
    record.state = "finished";
    record.loss = -this.options.sign * value;
  }

  save(): Json {
    return {
      version: 1,
      rng: this.rng.save() as unknown as Json,
      theta: this.theta === null ? null : Array.from(this.theta),
      lastFullFit: this.lastFullFit,
      sinceFit: this.sinceFit,
      trials: this.trials.map((t) => ({ id: t.id, x: Array.from(t.x), state: t.state, loss: Number.isNaN(t.loss) ? null : t.loss })),
    };
  }

  restore(state: Json): void {
    const saved = state as unknown as SavedState;
    if (saved?.version !== 1) throw new SavedStateError("GPSearcher.restore", "unknown state version");
    this.rng = restoreRng(this.options.seed, COMPONENT, saved.rng);
    this.theta = saved.theta === null ? null : Float64Array.from(saved.theta);
    this.lastFullFit = saved.lastFullFit;
    // States saved before fitSkipPeriod existed: the next suggestion counts as the first since a fit.
    this.sinceFit = saved.sinceFit ?? 0;
    this.trials = saved.trials.map((t) => ({ id: t.id, x: Float64Array.from(t.x), state: t.state, loss: t.loss ?? Number.NaN }));
    this.byId.clear();
    for (const t of this.trials) this.byId.set(t.id, t);
  }

  /** The GP fitted to the finished trials (standardised losses), with hyperparameters refreshed. */
  private fit(finished: readonly TrialRecord[]): { gp: GaussianProcess; y: Float64Array; x: Float64Array; center: number; scale: number } {
    const n = finished.length;
    const d = this.encoding.size;
    const x = new Float64Array(n * d);
    finished.forEach((t, i) => x.set(t.x, i * d));
    let center = 0;
    for (const t of finished) center += t.loss;
    center /= n;
    let spread = 0;
    for (const t of finished) spread += (t.loss - center) ** 2;
    const scale = Math.sqrt(spread / n) || 1;
    const y = Float64Array.from(finished, (t) => (t.loss - center) / scale);

    const full = this.theta === null || (n - this.lastFullFit >= this.refitEvery && n >= this.refitGrowth * this.lastFullFit);
    let hyperparameters: GPHyperparameters;
    if (!full && this.theta !== null && n >= this.fitSkipAfter && this.sinceFit + 1 < this.fitSkipPeriod) {
      // A skipped fit: the last optimum as it is (no LML evaluation, no random draw).
      this.sinceFit++;
      hyperparameters = unpackHyperparameters(this.theta, this.kernel);
    } else {
      const starts: Float64Array[] = [];
      const previous = this.theta ?? this.defaultTheta();
      starts.push(previous);
      if (full) {
        if (this.theta !== null) starts.push(this.defaultTheta());
        while (starts.length < this.restarts) starts.push(this.randomTheta());
        this.lastFullFit = n;
      }
      const [fitX, fitY] = rows(x, y, d, bestAndNewest(y, this.maxFitPoints));
      ({ hyperparameters } = optimizeHyperparameters(fitX, fitY, this.kernel, starts, this.bounds, full ? FULL_ITERATIONS : this.warmIterations));
      this.theta = packHyperparameters(hyperparameters);
      this.sinceFit = 0;
    }
    const [postX, postY] = rows(x, y, d, bestAndNewest(y, this.maxPosteriorPoints));
    return { gp: fitGaussianProcess(postX, postY, hyperparameters), y: postY, x: postX, center, scale };
  }

  private modelSuggestion(finished: readonly TrialRecord[]): Float64Array {
    const d = this.encoding.size;
    const fitted = this.fit(finished);
    let gp = fitted.gp;
    let best = Infinity;
    for (const v of fitted.y) best = Math.min(best, v);
    const pending = this.trials.filter((t) => t.state === "running");
    if (pending.length > 0) {
      // Kriging believer: pretend each pending trial returned the posterior mean there.
      const n = fitted.y.length;
      const x = new Float64Array((n + pending.length) * d);
      x.set(fitted.x);
      const y = new Float64Array(n + pending.length);
      y.set(fitted.y);
      pending.forEach((t, i) => {
        x.set(t.x, (n + i) * d);
        y[n + i] = fitted.gp.predict(t.x).mean;
      });
      gp = fitGaussianProcess(x, y, fitted.gp.hyperparameters);
    }
    const score =
      this.acquisition === "ei"
        ? (z: Float64Array): number => {
            const p = gp.predict(z);
            return expectedImprovement(p.mean, p.variance, best, this.xi);
          }
        : (z: Float64Array): number => {
            const p = gp.predict(z);
            return negativeLowerConfidenceBound(p.mean, p.variance, this.kappa);
          };
    const scoreMany = (points: Float64Array, m: number): Float64Array => {
      const means = new Float64Array(m);
      const variances = new Float64Array(m);
      gp.predictMany(points, m, means, variances);
      const out = new Float64Array(m);
      for (let c = 0; c < m; c++) {
        out[c] =
          this.acquisition === "ei"
            ? expectedImprovement(means[c] as number, variances[c] as number, best, this.xi)
            : negativeLowerConfidenceBound(means[c] as number, variances[c] as number, this.kappa);
      }
      return out;
    };
    const incumbents = [...finished].sort((a, b) => a.loss - b.loss).slice(0, 3).map((t) => t.x);
    const canonical = this.plainFloats ? (z: Float64Array): Float64Array => z : this.canonical;
    return maximizeAcquisition(score, d, this.rng, this.search, incumbents, canonical, scoreMany);
  }

  private defaultTheta(): Float64Array {
    const d = this.encoding.size;
    const theta = new Float64Array(d + 2).fill(Math.log(0.3));
    theta[d] = 0;
    theta[d + 1] = Math.log(1e-3);
    return theta;
  }

  private randomTheta(): Float64Array {
    const theta = new Float64Array(this.encoding.size + 2);
    for (let k = 0; k < theta.length; k++) {
      const low = this.bounds.low[k] as number;
      const high = this.bounds.high[k] as number;
      theta[k] = low + this.rng.next() * (high - low);
    }
    return theta;
  }
}

/** Indices of at most `cap` points: all, or the best half and the newest (ascending). */
function bestAndNewest(y: Float64Array, cap: number): number[] | null {
  const n = y.length;
  if (n <= cap) return null;
  const best = Math.floor(cap / 2);
  const ranked = Array.from({ length: n }, (_, i) => i).sort((i, j) => (y[i] as number) - (y[j] as number) || i - j);
  const chosen = new Set(ranked.slice(0, best));
  for (let i = n - 1; i >= 0 && chosen.size < cap; i--) chosen.add(i);
  return [...chosen].sort((a, b) => a - b);
}

/** The rows `subset` of (x, y) (all of them for null). */
function rows(x: Float64Array, y: Float64Array, d: number, subset: number[] | null): [Float64Array, Float64Array] {
  if (subset === null) return [x, y];
  const subX = new Float64Array(subset.length * d);
  subset.forEach((i, k) => subX.set(x.subarray(i * d, (i + 1) * d), k * d));
  return [subX, Float64Array.from(subset, (i) => y[i] as number)];
}

function nonNegative(field: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value)) throw new OptionError(field, `must be a finite number >= 0, got ${value}`);
  return value;
}

interface SavedState {
  version: number;
  rng: RngState;
  theta: number[] | null;
  lastFullFit: number;
  sinceFit?: number;
  trials: Array<{ id: string; x: number[]; state: TrialRecord["state"]; loss: number | null }>;
}
