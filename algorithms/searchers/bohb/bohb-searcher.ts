import { type Config, type Json, OptionError, type Result, SavedStateError, type Searcher } from "../../../core/contracts/index.ts";
import { restoreRng, rngFor, type Rng, type RngState } from "../../../core/rng.ts";
import { createEncoding, validateSpace, type Space, type SpaceEncoding } from "../../../core/space/index.ts";
import { positiveInteger, resolveSearcherOptions, type ResolvedSearcherOptions, type SearcherOptions } from "../searcher-options.ts";
import { fitProductKde, kdePdf, sampleAround, type ProductKde } from "./kde.ts";

export interface BOHBSearcherOptions extends SearcherOptions {
  /** Points a budget needs before it gets a model. @defaultValue number of parameters + 1 */
  minPointsInModel?: number;
  /** Percentage of a budget's points that form the good KDE. @defaultValue 15 */
  topNPercent?: number;
  /** Candidates drawn from the good KDE per model-based suggestion. @defaultValue 64 */
  numSamples?: number;
  /** Share of suggestions drawn at random even when a model exists. @defaultValue 1/3 */
  randomFraction?: number;
  /** Widening of the good KDE's bandwidth when drawing candidates. @defaultValue 3 */
  bandwidthFactor?: number;
  /** @defaultValue 1e-3 */
  minBandwidth?: number;
}

interface Observation {
  readonly x: Float64Array;
  readonly loss: number;
}

const COMPONENT = "searcher:bohb";

/**
 * BOHB's model (Falkner et al. 2018, HpBandSter's config generator). Every result is an
 * observation at budget = its `iteration` (Ray's TuneBOHB with time_attr
 * training_iteration); the latest value of a trial at a budget counts. A suggestion uses
 * the largest budget whose points support two KDEs (good: the best topNPercent, at least
 * minPointsInModel; bad: the next ones), draws numSamples candidates around good points
 * and keeps the one minimising g(x) / l(x); a randomFraction of suggestions stay random.
 * Pair it with HyperBandForBOHB to get successive-halving budgets. Coordinates are the
 * unit-cube encoding with categorical indices; inactive conditional coordinates are
 * imputed from other points as HpBandSter does.
 */
export class BOHBSearcher implements Searcher {
  private readonly options: ResolvedSearcherOptions;
  private readonly encoding: SpaceEncoding;
  private readonly vartypes: number[];
  private readonly minPointsInModel: number;
  private readonly topNPercent: number;
  private readonly numSamples: number;
  private readonly randomFraction: number;
  private readonly bandwidthFactor: number;
  private readonly minBandwidth: number;
  private rng: Rng;
  /** Encoded config of each suggested trial (NaN where inactive). */
  private readonly vectors = new Map<string, Float64Array>();
  private order: string[] = [];
  /** budget -> trialId -> latest observation at that budget. */
  private readonly budgets = new Map<number, Map<string, Observation>>();
  private budgetsFromScheduler = false;

  constructor(
    space: Space,
    options: BOHBSearcherOptions,
  ) {
    this.options = resolveSearcherOptions(options, "BOHBSearcher");
    validateSpace(space);
    this.encoding = createEncoding(space, { categorical: "index" });
    this.vartypes = this.encoding.dimensions.map((d) =>
      d.domain.type === "categorical" ? d.domain.options.length : d.domain.type === "grid" ? d.domain.values.length : 0,
    );
    const d = this.vartypes.length;
    this.minPointsInModel = Math.max(positiveInteger("BOHBSearcher.minPointsInModel", options.minPointsInModel ?? d + 1), d + 1);
    this.topNPercent = options.topNPercent ?? 15;
    if (!(this.topNPercent > 0 && this.topNPercent < 100)) throw new OptionError("BOHBSearcher.topNPercent", `must be in (0, 100), got ${this.topNPercent}`);
    this.numSamples = positiveInteger("BOHBSearcher.numSamples", options.numSamples ?? 64);
    this.randomFraction = options.randomFraction ?? 1 / 3;
    if (!(this.randomFraction >= 0 && this.randomFraction <= 1)) throw new OptionError("BOHBSearcher.randomFraction", `must be in [0, 1], got ${this.randomFraction}`);
    this.bandwidthFactor = options.bandwidthFactor ?? 3;
    if (!(this.bandwidthFactor > 0)) throw new OptionError("BOHBSearcher.bandwidthFactor", `must be > 0, got ${this.bandwidthFactor}`);
    this.minBandwidth = options.minBandwidth ?? 1e-3;
    if (!(this.minBandwidth > 0)) throw new OptionError("BOHBSearcher.minBandwidth", `must be > 0, got ${this.minBandwidth}`);
    this.rng = rngFor(this.options.seed, COMPONENT);
  }

  suggest(trialId: string): Config {
    if (this.vectors.has(trialId)) throw new OptionError("BOHBSearcher.suggest", `trial ${trialId} was already suggested`);
    const models = this.largestModel();
    let vector: Float64Array | null = null;
    if (models !== null && !(this.rng.next() < this.randomFraction)) vector = this.modelCandidate(models.good, models.bad);
    const config = vector === null ? this.randomConfig() : this.encoding.decode(this.toUnit(vector), this.rng.uniform);
    const encoded = this.encoding.encode(config);
    const x = new Float64Array(encoded.length);
    this.encoding.dimensions.forEach((dim, k) => {
      const active = dim.activeWhen.every((c) => {
        const parent = this.encoding.dimensions.findIndex((p) => p.path === c.path);
        return x[parent] === c.option;
      });
      const u = encoded[dim.offset] as number;
      const levels = this.vartypes[k] as number;
      x[k] = !active ? Number.NaN : levels > 0 ? Math.min(Math.floor(u * levels), levels - 1) : u;
    });
    this.vectors.set(trialId, x);
    this.order.push(trialId);
    return config;
  }

  /** Without a budget-announcing scheduler: the trial's value at budget `result.iteration`. */
  onTrialResult(trialId: string, result: Result): void {
    if (this.budgetsFromScheduler) return;
    this.observeResult(trialId, result.iteration, result);
  }

  /**
   * HyperBandForBOHB's BudgetObserver hook (Ray's `hyperband_info.budget`): from the first
   * call on, budgets are the scheduler's stage milestones instead of iterations.
   */
  onTrialBudget(trialId: string, budget: number, result: Result): void {
    if (!this.budgetsFromScheduler) {
      this.budgetsFromScheduler = true;
      this.budgets.clear();
    }
    this.observeResult(trialId, budget, result);
  }

  onTrialComplete(trialId: string, last?: Result, error?: boolean): void {
    if (last === undefined || this.budgetsFromScheduler) return;
    const value = last.metrics[this.options.metric];
    // HpBandSter counts a failed job as an infinite loss at its budget.
    const loss = error === true || value === undefined || !Number.isFinite(value) ? Infinity : -this.options.sign * value;
    this.observe(trialId, last.iteration, loss);
  }

  save(): Json {
    const budgets = [...this.budgets.entries()].map(([budget, points]) => ({
      budget,
      points: [...points.entries()].map(([id, o]) => ({ id, loss: Number.isFinite(o.loss) ? o.loss : null })),
    }));
    return {
      version: 1,
      rng: this.rng.save() as unknown as Json,
      trials: this.order.map((id) => ({ id, x: Array.from(this.vectors.get(id) as Float64Array, (v) => (Number.isNaN(v) ? null : v)) })),
      budgets,
      budgetsFromScheduler: this.budgetsFromScheduler,
    };
  }

  restore(state: Json): void {
    const saved = state as unknown as SavedState;
    if (saved?.version !== 1) throw new SavedStateError("BOHBSearcher.restore", "unknown state version");
    this.rng = restoreRng(this.options.seed, COMPONENT, saved.rng);
    this.vectors.clear();
    this.order = [];
    for (const t of saved.trials) {
      this.vectors.set(t.id, Float64Array.from(t.x, (v) => (v === null ? Number.NaN : v)));
      this.order.push(t.id);
    }
    this.budgets.clear();
    this.budgetsFromScheduler = saved.budgetsFromScheduler === true;
    for (const { budget, points } of saved.budgets) {
      const map = new Map<string, Observation>();
      for (const p of points) map.set(p.id, { x: this.vectors.get(p.id) as Float64Array, loss: p.loss ?? Infinity });
      this.budgets.set(budget, map);
    }
  }

  private observeResult(trialId: string, budget: number, result: Result): void {
    const value = result.metrics[this.options.metric];
    if (value === undefined) return;
    this.observe(trialId, budget, Number.isFinite(value) ? -this.options.sign * value : Infinity);
  }

  private observe(trialId: string, budget: number, loss: number): void {
    const x = this.vectors.get(trialId);
    if (x === undefined) return;
    let points = this.budgets.get(budget);
    if (points === undefined) {
      points = new Map();
      this.budgets.set(budget, points);
    }
    points.set(trialId, { x, loss });
  }

  /** The good/bad KDE pair of the largest budget with enough points, or null. */
  private largestModel(): { good: ProductKde; bad: ProductKde } | null {
    const d = this.vartypes.length;
    const budgets = [...this.budgets.keys()].sort((a, b) => b - a);
    for (const budget of budgets) {
      const points = [...(this.budgets.get(budget) as Map<string, Observation>).values()];
      if (points.length < this.minPointsInModel) continue;
      const n = points.length;
      const nGood = Math.max(this.minPointsInModel, Math.floor((this.topNPercent * n) / 100));
      const nBad = Math.max(this.minPointsInModel, Math.floor(((100 - this.topNPercent) * n) / 100));
      const ranked = points.map((p, i) => ({ p, i })).sort((a, b) => a.p.loss - b.p.loss || a.i - b.i);
      const good = ranked.slice(0, nGood).map((r) => r.p.x);
      const bad = ranked.slice(nGood, nGood + nBad).map((r) => r.p.x);
      if (good.length <= d || bad.length <= d) continue;
      return {
        good: fitProductKde(this.impute(good), this.vartypes, this.minBandwidth),
        bad: fitProductKde(this.impute(bad), this.vartypes, this.minBandwidth),
      };
    }
    return null;
  }

  private modelCandidate(good: ProductKde, bad: ProductKde): Float64Array | null {
    let best = Infinity;
    let bestVector: Float64Array | null = null;
    for (let s = 0; s < this.numSamples; s++) {
      const datum = good.data[this.rng.int(good.data.length)] as Float64Array;
      const vector = sampleAround(datum, good, this.bandwidthFactor, this.minBandwidth, this.rng);
      const l = kdePdf(good, vector);
      const value = Math.max(1e-32, kdePdf(bad, vector)) / Math.max(l, 1e-32);
      if (!Number.isFinite(value)) {
        if (Number.isFinite(l)) return vector;
        continue;
      }
      if (value < best) {
        best = value;
        bestVector = vector;
      }
    }
    return bestVector;
  }

  /** HpBandSter's impute_conditional_data: fill inactive coordinates from a random point that has them. */
  private impute(rows: readonly Float64Array[]): Float64Array[] {
    return rows.map((row) => {
      const datum = Float64Array.from(row);
      for (let k = 0; k < datum.length; k++) {
        if (!Number.isNaN(datum[k] as number)) continue;
        const donors = rows.filter((r) => !Number.isNaN(r[k] as number));
        if (donors.length > 0) {
          const donor = donors[this.rng.int(donors.length)] as Float64Array;
          for (let j = k; j < datum.length; j++) if (Number.isNaN(datum[j] as number)) datum[j] = donor[j] as number;
        } else {
          const levels = this.vartypes[k] as number;
          datum[k] = levels === 0 ? this.rng.next() : this.rng.int(levels);
        }
      }
      return datum;
    });
  }

  private randomConfig(): Config {
    const unit = new Float64Array(this.encoding.size);
    for (let k = 0; k < unit.length; k++) unit[k] = this.rng.next();
    return this.encoding.decode(unit, this.rng.uniform);
  }

  private toUnit(vector: Float64Array): Float64Array {
    return Float64Array.from(vector, (v, k) => {
      const levels = this.vartypes[k] as number;
      return levels > 0 ? (v + 0.5) / levels : Math.min(Math.max(v, 0), 1);
    });
  }
}

interface SavedState {
  version: number;
  rng: RngState;
  trials: Array<{ id: string; x: Array<number | null> }>;
  budgets: Array<{ budget: number; points: Array<{ id: string; loss: number | null }> }>;
  budgetsFromScheduler?: boolean;
}
