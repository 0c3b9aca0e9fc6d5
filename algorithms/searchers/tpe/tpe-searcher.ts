import { type Config, type Json, OptionError, type Result, SavedStateError, type Searcher } from "../../../core/contracts/index.ts";
import { restoreRng, rngFor, type Rng, type RngState } from "../../../core/rng.ts";
import { validateSpace, type Space } from "../../../core/space/index.ts";
import { positiveInteger, resolveSearcherOptions, type ResolvedSearcherOptions, type SearcherOptions } from "../searcher-options.ts";
import { BadGroupKernels, badGroupBoundsApply } from "./bad-group-bounds.ts";
import { BadGroupDensity, gatherColumns } from "./bad-group-density.ts";
import { bestCandidate, type BadDensity } from "./best-candidate.ts";
import { ComponentIndex } from "./component-index.ts";
import { CentreKdTree } from "./centre-kd-tree.ts";
import { MultivariateBounds } from "./multivariate-bounds.ts";
import { KernelMemo, SortedColumn, WeightsMemo } from "./kernel-memo.ts";
import { ParameterTable } from "./parameters.ts";
import { RankingColumns, ownKeys, splitByColumns, type Groups } from "./split-observations.ts";
import { ParzenEstimator, defaultGamma, defaultWeights, type ParzenParameter, type ParzenSettings } from "./parzen-estimator.ts";

export interface TPESearcherOptions extends SearcherOptions {
  /** Random suggestions before the model is used. @defaultValue 10 */
  nStartupTrials?: number;
  /** Candidates drawn from the good-group estimator per suggestion. @defaultValue 24 */
  nEiCandidates?: number;
  /** Size of the good group given n finished trials. @defaultValue min(ceil(0.1 n), 25) */
  gamma?: (n: number) => number;
  /** Observation weights, oldest first. @defaultValue ramp for old trials, flat for the newest 25 */
  weights?: (n: number) => Float64Array;
  /** @defaultValue true */
  considerPrior?: boolean;
  /** @defaultValue 1 */
  priorWeight?: number;
  /** @defaultValue true */
  considerMagicClip?: boolean;
  /** @defaultValue false */
  considerEndpoints?: boolean;
  /** Joint kernels over the parameters all trials share (Optuna's multivariate TPE). @defaultValue false (chosen from benchmarks/compare-search.ts) */
  multivariate?: boolean;
  /** With multivariate: one joint estimator per group of parameters that appear together (conditional spaces). @defaultValue the value of multivariate */
  group?: boolean;
  /** Count pending trials as the worst results so parallel suggestions spread out. @defaultValue true */
  constantLiar?: boolean;
  /**
   * How candidates are scored: "bandwidth-weighted" reproduces Optuna 3.1's scores (see
   * ParzenSettings.scoring), "normalized" uses textbook Parzen densities. @defaultValue "bandwidth-weighted"
   */
  scoring?: "normalized" | "bandwidth-weighted";
  /** Bandwidth rule, see ParzenSettings.bandwidth ("scott" is Watanabe 2023's Scott's rule). @defaultValue "optuna" */
  bandwidth?: "optuna" | "scott";
  /** Magic clip exponent alpha: floor range * max(minBandwidthFactor, (1 + components)^-alpha). @defaultValue 1 */
  magicClipExponent?: number;
  /** Magic clip floor as a fraction of the range (Watanabe 2023's b_min). @defaultValue 0.01 */
  minBandwidthFactor?: number;
  /**
   * How the good group's observations are weighted. "weights": by `weights`, like the bad group.
   * "expected-improvement": by how far each one improves on the best bad-group loss, with the
   * prior weighing their mean (Watanabe 2023's EI weighting). Optuna 3.1 uses "weights".
   * @defaultValue "weights" (see the class comment for the measurements)
   */
  goodWeighting?: "weights" | "expected-improvement";
}

/**
 * Optuna 3.1 TPESampler's defaults (univariate, its candidate scoring), spelled out so the
 * searcher's own defaults can move without losing them: `new TPESearcher(space,
 * { metric, mode, seed, ...OPTUNA_31_TPE_OPTIONS })` reproduces Optuna 3.1's suggestion rule.
 * `constantLiar` is left at TuneLab's default; it only acts on pending trials.
 */
export const OPTUNA_31_TPE_OPTIONS = Object.freeze({
  nStartupTrials: 10,
  nEiCandidates: 24,
  gamma: defaultGamma,
  weights: defaultWeights,
  considerPrior: true,
  priorWeight: 1,
  considerMagicClip: true,
  considerEndpoints: false,
  multivariate: false,
  group: false,
  scoring: "bandwidth-weighted",
  bandwidth: "optuna",
  magicClipExponent: 1,
  minBandwidthFactor: 0.01,
  goodWeighting: "weights",
} as const satisfies Omit<TPESearcherOptions, keyof SearcherOptions>);

interface TrialRecord {
  readonly id: string;
  /** Position in the searcher's list of trials: the key of its kernels in the KernelMemo. */
  readonly index: number;
  /** Internal values, NaN where the parameter is inactive. */
  readonly values: Float64Array;
  state: "running" | "finished" | "error";
  /** Optuna's ranking key: -Infinity when the trial ran to its end, -iteration when it stopped early. */
  step: number;
  /** The metric turned into a loss (lower is better). */
  loss: number;
}

const COMPONENT = "searcher:tpe";

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011) with Optuna 3.x TPESampler's
 * formulas and defaults (see `parzen-estimator.ts`). Each suggestion splits the finished
 * trials into a good group (the best gamma(n)) and the rest, fits a Parzen estimator
 * to each, draws `nEiCandidates` from the good one and keeps the draw maximising
 * l(x) / g(x).
 *
 * Trials stopped early by a scheduler are ranked as Optuna ranks pruned trials: after
 * every trial that went further, by their last value (a trial ending with `done` counts
 * as complete). Errored trials are ignored. With `constantLiar`, pending trials enter
 * the bad group, so parallel suggestions avoid each other.
 *
 * Defaults are Optuna 3.1's (univariate, its candidate scoring; `OPTUNA_31_TPE_OPTIONS`)
 * except `constantLiar`, which is on because TuneLab suggests asynchronously in parallel.
 * They were kept after `benchmarks/compare-search.ts --tpe-sweep` varied the components of
 * Watanabe 2023 one at a time on held-out seeds 100..139 and checked the best on 140..179:
 * bandwidth-weighted scores beat textbook normalised densities, univariate beat multivariate
 * except on conditional spaces, and no variant (gamma, weights, EI weighting, prior weight,
 * candidates, bandwidth rule, magic clip) beat the better of Optuna 3.1's two TPEs on 4 of 5
 * problems in both blocks; on Branin and Hartmann the differences are within seed noise.
 * On 100 seeds (0..99, `compare-search.ts --target-odds`) the default's median regret at
 * 100 evaluations is at or below the better of Optuna 3.1's two TPEs on all five problems.
 * The other components stay available as options.
 */
export class TPESearcher implements Searcher {
  private readonly options: ResolvedSearcherOptions;
  private readonly table: ParameterTable;
  private readonly nStartupTrials: number;
  private readonly nEiCandidates: number;
  private readonly gamma: (n: number) => number;
  private readonly multivariate: boolean;
  private readonly group: boolean;
  private readonly constantLiar: boolean;
  private readonly goodWeighting: "weights" | "expected-improvement";
  private readonly parzen: ParzenSettings;
  private readonly univariateParzen: ParzenSettings;
  private rng: Rng;
  private trials: TrialRecord[] = [];
  /** How many trials are finished (a trial's state only moves from running). */
  private finishedCount = 0;
  /** Kernel values carried between suggestions (kernel-memo.ts): one memo per parameter, and per suggestion the mixture weights. */
  private kernelMemos: KernelMemo[];
  /** Per parameter, every trial's value in sorted order (kernel-memo.ts), for the bandwidths' neighbour gaps. */
  private sortedColumns: SortedColumn[];
  /** Per parameter, every trial's internal value by trial position (NaN: inactive): estimator columns are gathered from these. */
  private valueColumns: Float64Array[];
  private readonly weightsMemo = new WeightsMemo();
  /** Per parameter, scratch of the bad group's bounds (bad-group-bounds.ts), created on first use. */
  private readonly badGroupKernels: Array<BadGroupKernels | undefined> = [];
  private readonly componentIndex = new ComponentIndex();
  /** Per joint block (its parameters joined by commas), a k-d tree of every trial's centre (centre-kd-tree.ts), created on first use. */
  private centreTrees = new Map<string, CentreKdTree>();
  /** How trials rank: with the constant liar a running trial is the worst, whatever it reported so far. */
  private readonly rankingKeys: RankingKeys;
  private readonly byId = new Map<string, TrialRecord>();
  /**
   * The split's inputs by trial position, kept in step with the records (`keep`): one pass
   * over typed columns per suggestion instead of over the record objects (issue 14).
   */
  private keyColumns = new RankingColumns();

  constructor(
    space: Space,
    options: TPESearcherOptions,
  ) {
    this.options = resolveSearcherOptions(options, "TPESearcher");
    validateSpace(space);
    this.table = new ParameterTable(space);
    this.nStartupTrials = nonNegativeInteger("TPESearcher.nStartupTrials", options.nStartupTrials ?? 10);
    this.nEiCandidates = positiveInteger("TPESearcher.nEiCandidates", options.nEiCandidates ?? 24);
    this.gamma = options.gamma ?? defaultGamma;
    const priorWeight = options.priorWeight ?? 1;
    if (!(priorWeight > 0) || !Number.isFinite(priorWeight)) throw new OptionError("TPESearcher.priorWeight", `must be a finite number > 0, got ${priorWeight}`);
    this.multivariate = options.multivariate ?? false;
    this.group = options.group ?? this.multivariate;
    if (this.group && !this.multivariate) throw new OptionError("TPESearcher.group", "needs multivariate: true");
    this.constantLiar = options.constantLiar ?? true;
    this.univariateParzen = {
      considerPrior: options.considerPrior ?? true,
      priorWeight,
      considerMagicClip: options.considerMagicClip ?? true,
      considerEndpoints: options.considerEndpoints ?? false,
      multivariate: false,
      weights: options.weights ?? defaultWeights,
      scoring: options.scoring ?? "bandwidth-weighted",
      bandwidth: options.bandwidth ?? "optuna",
      magicClipExponent: options.magicClipExponent ?? 1,
      minBandwidthFactor: options.minBandwidthFactor ?? 0.01,
    };
    if (this.univariateParzen.scoring !== "normalized" && this.univariateParzen.scoring !== "bandwidth-weighted") {
      throw new OptionError("TPESearcher.scoring", `must be "normalized" or "bandwidth-weighted", got ${String(options.scoring)}`);
    }
    if (this.univariateParzen.bandwidth !== "optuna" && this.univariateParzen.bandwidth !== "scott") {
      throw new OptionError("TPESearcher.bandwidth", `must be "optuna" or "scott", got ${String(options.bandwidth)}`);
    }
    const exponent = this.univariateParzen.magicClipExponent as number;
    if (!(exponent > 0)) throw new OptionError("TPESearcher.magicClipExponent", `must be a number > 0, got ${exponent}`);
    const factor = this.univariateParzen.minBandwidthFactor as number;
    if (!(factor >= 0 && factor <= 1)) throw new OptionError("TPESearcher.minBandwidthFactor", `must be in [0, 1], got ${factor}`);
    this.goodWeighting = options.goodWeighting ?? "weights";
    if (this.goodWeighting !== "weights" && this.goodWeighting !== "expected-improvement") {
      throw new OptionError("TPESearcher.goodWeighting", `must be "weights" or "expected-improvement", got ${String(options.goodWeighting)}`);
    }
    this.parzen = { ...this.univariateParzen, multivariate: this.multivariate };
    this.rng = rngFor(this.options.seed, COMPONENT);
    this.kernelMemos = this.table.parameters.map(() => new KernelMemo());
    this.sortedColumns = this.table.parameters.map(() => new SortedColumn());
    this.valueColumns = this.table.parameters.map(() => new Float64Array(64));
    this.rankingKeys = this.constantLiar ? liarKeys : ownKeys;
  }

  suggest(trialId: string): Config {
    if (this.byId.has(trialId)) throw new OptionError("TPESearcher.suggest", `trial ${trialId} was already suggested`);
    const finished = this.finishedCount;
    const values = new Float64Array(this.table.size).fill(Number.NaN);
    if (finished < this.nStartupTrials) {
      for (let p = 0; p < this.table.size; p++) {
        if (this.table.isActive(p, values)) values[p] = this.table.randomInternal(p, this.rng.uniform);
      }
    } else {
      this.sampleWithModel(finished, values);
    }
    const config = this.table.toConfig(values, this.rng.uniform);
    const record: TrialRecord = { id: trialId, index: this.trials.length, values, state: "running", step: Infinity, loss: Infinity };
    this.trials.push(record);
    this.byId.set(trialId, record);
    this.index(record);
    this.keyColumns.keep(record);
    return config;
  }

  onTrialResult(trialId: string, result: Result): void {
    const record = this.byId.get(trialId);
    const value = result.metrics[this.options.metric];
    if (record === undefined || record.state !== "running" || value === undefined) return;
    // Remembered in case the trial completes without a last result.
    record.step = -result.iteration;
    record.loss = -this.options.sign * value;
    this.keyColumns.keep(record);
  }

  onTrialComplete(trialId: string, last?: Result, error?: boolean): void {
    const record = this.byId.get(trialId);
    if (record === undefined || record.state !== "running") return;
    if (error === true) {
      record.state = "error";
      this.keyColumns.keep(record);
      return;
    }
    const value = last?.metrics[this.options.metric];
    if (last !== undefined && value !== undefined) {
      record.step = last.done === true ? -Infinity : -last.iteration;
      record.loss = -this.options.sign * value;
    } else if (record.step === Infinity) {
      // Optuna's score for a pruned trial without intermediate values.
      record.step = 1;
      record.loss = 0;
    }
    record.state = "finished";
    this.finishedCount++;
    this.keyColumns.keep(record);
  }

  save(): Json {
    return {
      version: 1,
      rng: this.rng.save() as unknown as Json,
      trials: this.trials.map((t) => ({
        id: t.id,
        values: Array.from(t.values, (v) => (Number.isNaN(v) ? null : v)),
        state: t.state,
        step: encodeInfinite(t.step),
        loss: encodeInfinite(t.loss),
      })),
    };
  }

  restore(state: Json): void {
    const saved = state as unknown as SavedState;
    if (saved?.version !== 1) throw new SavedStateError("TPESearcher.restore", "unknown state version");
    this.rng = restoreRng(this.options.seed, COMPONENT, saved.rng);
    this.trials = saved.trials.map((t, index) => ({
      id: t.id,
      index,
      values: Float64Array.from(t.values, (v) => (v === null ? Number.NaN : v)),
      state: t.state,
      step: decodeInfinite(t.step),
      loss: decodeInfinite(t.loss),
    }));
    this.byId.clear();
    for (const t of this.trials) this.byId.set(t.id, t);
    this.finishedCount = this.trials.filter((t) => t.state === "finished").length;
    this.kernelMemos = this.table.parameters.map(() => new KernelMemo());
    this.sortedColumns = this.table.parameters.map(() => new SortedColumn());
    this.valueColumns = this.table.parameters.map(() => new Float64Array(64));
    this.centreTrees = new Map();
    this.keyColumns = new RankingColumns();
    for (const t of this.trials) {
      this.index(t);
      this.keyColumns.keep(t);
    }
  }

  /** Adds a new trial's values to the per-parameter columns. */
  private index(record: TrialRecord): void {
    for (let p = 0; p < this.table.size; p++) {
      let column = this.valueColumns[p] as Float64Array;
      if (record.index >= column.length) {
        const grown = new Float64Array(column.length * 2);
        grown.set(column);
        column = this.valueColumns[p] = grown;
      }
      column[record.index] = record.values[p] as number;
      (this.sortedColumns[p] as SortedColumn).insert(record.index, record.values[p] as number);
    }
  }

  private sampleWithModel(n: number, values: Float64Array): void {
    this.weightsMemo.clear();
    const groups = this.split(n);
    const joint = new Uint8Array(this.table.size);
    if (this.multivariate) {
      const blocks = this.group ? this.table.groups : [intersection(this.table.size, this.trials.filter((t) => t.state === "finished"))];
      for (const block of blocks) {
        if (block.length === 0) continue;
        // Optuna samples every block (consuming random draws) and then keeps the active ones.
        const chosen = this.sampleBlock(block, groups, this.parzen);
        block.forEach((p, k) => {
          joint[p] = 1;
          values[p] = chosen[k] as number;
        });
      }
    }
    for (let p = 0; p < this.table.size; p++) {
      if (!this.table.isActive(p, values)) {
        values[p] = Number.NaN;
        continue;
      }
      if (joint[p] === 1) continue;
      values[p] = (this.sampleBlock([p], groups, this.univariateParzen)[0] as number);
    }
  }

  /**
   * `splitObservations` of the trials that count (with the constant liar every trial but the
   * errored ones, ranked worst while running; otherwise the finished ones), as trial positions,
   * from the key columns kept in step with the records (`splitByColumns`).
   */
  protected split(n: number): Groups {
    return splitByColumns(this.keyColumns, this.trials.length, this.constantLiar, this.gamma(n));
  }

  /**
   * Bounds on the bad group's density without building its estimator: for a single
   * continuous parameter from kept state (bad-group-bounds.ts), for joint continuous kernels
   * from the components near each candidate (multivariate-bounds.ts); null where they do not
   * apply or are not available (then the estimator is built and asked, as before).
   */
  protected badGroupBounds(
    block: readonly number[],
    aboveIds: Int32Array,
    settings: ParzenSettings,
  ): Pick<BadDensity, "logPdfBounds" | "logPdfLower" | "logPdfBoundsMiddle" | "logPdfBoundsOrDominated"> | null {
    const parameters = block.map((q) => (this.table.parameters[q] as { parzen: ParzenEstimator["parameters"][number] }).parzen);
    // Joint continuous kernels: bounds from the components near each candidate (multivariate-bounds.ts).
    if (settings.multivariate) {
      if (!parameters.every((q) => q.kind === "numeric" && q.step === null)) return null;
      const key = block.join(",");
      let tree = this.centreTrees.get(key);
      if (tree === undefined) {
        tree = new CentreKdTree(parameters.map((q) => (q as { low: number }).low), parameters.map((q) => (q as { high: number }).high));
        this.centreTrees.set(key, tree);
      }
      return MultivariateBounds.kept({ tree, values: block.map((p) => this.valueColumns[p] as Float64Array), count: this.trials.length, ids: aboveIds, settings, weights: this.weightsMemo });
    }
    if (block.length !== 1 || !badGroupBoundsApply(settings)) return null;
    const p = block[0] as number;
    const parameter = (this.table.parameters[p] as { parzen: ParzenEstimator["parameters"][number] }).parzen;
    if (parameter.kind !== "numeric" || parameter.step !== null) return null;
    const values = this.valueColumns[p] as Float64Array;
    // A parameter without conditions is set in every trial (a NaN from a hand-edited saved state
    // makes the builder decline: it misses from the sorted column).
    let kept = aboveIds.length;
    if ((this.table.parameters[p] as { conditions: readonly unknown[] }).conditions.length > 0) {
      kept = 0;
      for (let k = 0; k < aboveIds.length; k++) if (!Number.isNaN(values[aboveIds[k] as number] as number)) kept++;
    }
    let ids = aboveIds;
    if (kept !== aboveIds.length) {
      ids = new Int32Array(kept);
      let j = 0;
      for (let k = 0; k < aboveIds.length; k++) if (!Number.isNaN(values[aboveIds[k] as number] as number)) ids[j++] = aboveIds[k] as number;
    }
    const builder = (this.badGroupKernels[p] ??= new BadGroupKernels());
    return builder.bounds({
      ids,
      values,
      sorted: this.sortedColumns[p] as SortedColumn,
      memo: this.kernelMemos[p] as KernelMemo,
      weights: this.weightsMemo,
      index: this.componentIndex,
      low: parameter.low,
      high: parameter.high,
      settings,
    });
  }

  /** Joint TPE draw of the parameters in `block` from trials where its first parameter is set. */
  private sampleBlock(block: readonly number[], groups: Groups, settings: ParzenSettings): number[] {
    // Plain loops and a class below, no closures: tsx's keepNames wraps every named closure at run time (issue 14).
    const size = block.length;
    const blockColumns: Float64Array[] = new Array(size);
    const parameters: ParzenParameter[] = new Array(size);
    const kernels: KernelMemo[] = new Array(size);
    const sorted: SortedColumn[] = new Array(size);
    for (let k = 0; k < size; k++) {
      const p = block[k] as number;
      blockColumns[k] = this.valueColumns[p] as Float64Array;
      parameters[k] = (this.table.parameters[p] as { parzen: ParzenParameter }).parzen;
      kernels[k] = this.kernelMemos[p] as KernelMemo;
      sorted[k] = this.sortedColumns[p] as SortedColumn;
    }
    const goodSettings = this.goodWeighting === "expected-improvement" ? this.improvementSettings(block[0] as number, groups, settings) : settings;
    const goodColumns = gatherColumns(blockColumns, groups.belowIds);
    const good = new ParzenEstimator(goodColumns.columns, parameters, goodSettings, { ids: goodColumns.ids, kernels, weights: this.weightsMemo, sorted });
    const bad = new BadGroupDensity(this.badGroupBounds(block, groups.aboveIds, settings), blockColumns, groups.aboveIds, parameters, settings, { kernels, weights: this.weightsMemo, sorted });
    const candidates = good.sample(this.rng, this.nEiCandidates);
    const best = bestCandidate(good.logPdf(candidates), bad, candidates);
    const chosen: number[] = new Array(size);
    for (let k = 0; k < size; k++) chosen[k] = this.table.canonical(block[k] as number, (candidates[k] as Float64Array)[best] as number);
    return chosen;
  }

  /** The good group's settings under Watanabe 2023's EI weighting (`improvementWeighted`). */
  private improvementSettings(first: number, groups: Groups, settings: ParzenSettings): ParzenSettings {
    return improvementWeighted(
      Array.from(groups.belowIds, (i) => this.trials[i] as TrialRecord).filter((r) => !Number.isNaN(r.values[first] as number)).map(this.rankingKeys),
      Array.from(groups.aboveIds, (i) => this.trials[i] as TrialRecord).map(this.rankingKeys),
      settings,
    );
  }
}

/** A record's ranking key: by its own step and loss, or (constant liar) worst of all while running. */
type RankingKeys = (r: TrialRecord) => { step: number; loss: number };
const RUNNING_KEYS = Object.freeze({ step: Infinity, loss: Infinity });
const liarKeys: RankingKeys = (r) => (r.state === "running" ? RUNNING_KEYS : r);

/**
 * Watanabe 2023's EI weighting of the good group: weight max(1e-12, threshold - loss), where
 * the threshold is the best loss in the bad group, and the prior weighs the mean of those.
 * Weights are divided by that mean, so the prior keeps `priorWeight` (1 gives the paper's
 * rule) and categorical smoothing keeps its scale. Only values at the same step compare, so
 * the threshold comes from bad trials ranked at the good trials' step; where good trials
 * differ in step, or no such bad trial exists (all pending), `settings` stays as it is.
 */
export function improvementWeighted(
  good: readonly { loss: number; step: number }[],
  bad: readonly { loss: number; step: number }[],
  settings: ParzenSettings,
): ParzenSettings {
  const step = good[0]?.step;
  if (step === undefined || good.some((r) => r.step !== step || !Number.isFinite(r.loss))) return settings;
  let threshold = Infinity;
  for (const r of bad) if (r.step === step && r.loss < threshold) threshold = r.loss;
  if (!Number.isFinite(threshold)) return settings;
  const weights = Float64Array.from(good, (r) => Math.max(1e-12, threshold - r.loss));
  const mean = weights.reduce((a, b) => a + b, 0) / weights.length;
  for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] as number) / mean;
  return { ...settings, weights: () => weights };
}

/** Optuna's IntersectionSearchSpace: the parameters every finished trial has. */
function intersection(size: number, finished: readonly TrialRecord[]): number[] {
  const out: number[] = [];
  for (let p = 0; p < size; p++) if (finished.every((t) => !Number.isNaN(t.values[p] as number))) out.push(p);
  return out;
}

function nonNegativeInteger(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new OptionError(field, `must be an integer >= 0, got ${value}`);
  return value;
}

function encodeInfinite(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

function decodeInfinite(x: number | string): number {
  return typeof x === "number" ? x : Number(x);
}

interface SavedState {
  version: number;
  rng: RngState;
  trials: Array<{ id: string; values: Array<number | null>; state: TrialRecord["state"]; step: number | string; loss: number | string }>;
}
