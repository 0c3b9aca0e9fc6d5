import { type Config, type Json, OptionError, type Result, SavedStateError, type Searcher } from "../../../core/contracts/index.ts";
import { restoreRng, rngFor, type Rng, type RngState } from "../../../core/rng.ts";
import { validateSpace, type Space } from "../../../core/space/index.ts";
import { positiveInteger, resolveSearcherOptions, type ResolvedSearcherOptions, type SearcherOptions } from "../searcher-options.ts";
import { BadGroupKernels, ComponentIndex, badGroupBoundsApply } from "./bad-group-bounds.ts";
import { bestCandidate, type BadDensity } from "./best-candidate.ts";
import { CentreKdTree } from "./centre-kd-tree.ts";
import { MultivariateBounds } from "./multivariate-bounds.ts";
import { KernelMemo, SortedColumn, WeightsMemo, type ParzenMemo } from "./kernel-memo.ts";
import { ParameterTable } from "./parameters.ts";
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
   * errored ones, ranked worst while running; otherwise the finished ones), as trial positions:
   * one pass over the records into typed key columns, no per-record closures or objects.
   */
  protected split(n: number): Groups {
    const count = this.trials.length;
    const { state, step, loss } = this.keyColumns;
    const scratch = this.keyColumns.scratch(count);
    const { steps, losses, positions } = scratch;
    const liar = this.constantLiar;
    let m = 0;
    for (let i = 0; i < count; i++) {
      const s = state[i] as number;
      if (s === ERROR || (!liar && s !== FINISHED)) continue;
      // Optuna's constant liar: a running trial ranks as worst, whatever it reported so far.
      const running = liar && s === RUNNING;
      steps[m] = running ? Infinity : (step[i] as number);
      losses[m] = running ? Infinity : (loss[i] as number);
      positions[m++] = i;
    }
    const inBelow = belowMask(steps, losses, m, this.gamma(n));
    let belowCount = 0;
    for (let i = 0; i < m; i++) belowCount += inBelow[i] as number;
    const belowIds = new Int32Array(belowCount);
    const aboveIds = new Int32Array(m - belowCount);
    let b = 0;
    let a = 0;
    for (let i = 0; i < m; i++) {
      if (inBelow[i] === 1) belowIds[b++] = positions[i] as number;
      else aboveIds[a++] = positions[i] as number;
    }
    return { belowIds, aboveIds };
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

const RUNNING = 0;
const FINISHED = 1;
const ERROR = 2;

/**
 * Each trial's state, step and loss by its position (a copy of the records' fields, set by
 * `keep` after every change), with the split's scratch columns, grown by doubling.
 */
class RankingColumns {
  state = new Uint8Array(64);
  step = new Float64Array(64);
  loss = new Float64Array(64);
  private readonly work = { steps: new Float64Array(64), losses: new Float64Array(64), positions: new Int32Array(64) };

  keep(record: TrialRecord): void {
    const i = record.index;
    if (i >= this.state.length) {
      const size = Math.max(2 * this.state.length, i + 1);
      const state = new Uint8Array(size);
      state.set(this.state);
      const step = new Float64Array(size);
      step.set(this.step);
      const loss = new Float64Array(size);
      loss.set(this.loss);
      this.state = state;
      this.step = step;
      this.loss = loss;
    }
    this.state[i] = record.state === "running" ? RUNNING : record.state === "finished" ? FINISHED : ERROR;
    this.step[i] = record.step;
    this.loss[i] = record.loss;
  }

  /** Scratch columns of at least `size` entries (their contents are overwritten by each split). */
  scratch(size: number): { steps: Float64Array; losses: Float64Array; positions: Int32Array } {
    const work = this.work;
    if (work.steps.length < size) {
      const grown = Math.max(size, 2 * work.steps.length);
      work.steps = new Float64Array(grown);
      work.losses = new Float64Array(grown);
      work.positions = new Int32Array(grown);
    }
    return work;
  }
}

/**
 * A block's columns for the trials in `trialIds` where its first parameter is set, gathered
 * from the per-parameter columns by trial position (ascending, as the records).
 */
function gatherColumns(blockColumns: readonly Float64Array[], trialIds: Int32Array): { columns: Float64Array[]; ids: Int32Array } {
  const firstColumn = blockColumns[0] as Float64Array;
  let kept = 0;
  for (let k = 0; k < trialIds.length; k++) if (!Number.isNaN(firstColumn[trialIds[k] as number] as number)) kept++;
  let ids = trialIds;
  if (kept !== trialIds.length) {
    ids = new Int32Array(kept);
    let j = 0;
    for (let k = 0; k < trialIds.length; k++) if (!Number.isNaN(firstColumn[trialIds[k] as number] as number)) ids[j++] = trialIds[k] as number;
  }
  const columns: Float64Array[] = new Array(blockColumns.length);
  for (let p = 0; p < blockColumns.length; p++) {
    const source = blockColumns[p] as Float64Array;
    const column = new Float64Array(kept);
    for (let k = 0; k < kept; k++) column[k] = source[ids[k] as number] as number;
    columns[p] = column;
  }
  return { columns, ids };
}

/**
 * The bad group's density as `bestCandidate` reads it: the bounds from kept state where the
 * searcher has them (bad-group-bounds.ts, multivariate-bounds.ts), the estimator (built the
 * old way, on first need) for the rest.
 */
class BadGroupDensity implements BadDensity {
  private built: ParzenEstimator | undefined;
  // Set only where the bounds have them (bestCandidate tests for presence); declared, never assigned undefined.
  declare readonly logPdfLower?: NonNullable<BadDensity["logPdfLower"]>;
  declare readonly logPdfBoundsMiddle?: NonNullable<BadDensity["logPdfBoundsMiddle"]>;
  declare readonly logPdfBoundsOrDominated?: NonNullable<BadDensity["logPdfBoundsOrDominated"]>;

  constructor(
    private readonly fast: Pick<BadDensity, "logPdfBounds" | "logPdfLower" | "logPdfBoundsMiddle" | "logPdfBoundsOrDominated"> | null,
    private readonly blockColumns: readonly Float64Array[],
    private readonly aboveIds: Int32Array,
    private readonly parameters: readonly ParzenParameter[],
    private readonly settings: ParzenSettings,
    private readonly memo: Omit<ParzenMemo, "ids">,
  ) {
    // A cheap lower bound per candidate (multivariate bounds: the prior's score) lets bestCandidate bound only the candidates that can still win.
    if (fast?.logPdfLower !== undefined) this.logPdfLower = fast.logPdfLower.bind(fast);
    if (fast?.logPdfBoundsMiddle !== undefined) this.logPdfBoundsMiddle = fast.logPdfBoundsMiddle.bind(fast);
    if (fast?.logPdfBoundsOrDominated !== undefined) this.logPdfBoundsOrDominated = fast.logPdfBoundsOrDominated.bind(fast);
  }

  logPdfBounds(samples: readonly Float64Array[], tight?: boolean): { value: Float64Array; bound: Float64Array } | null {
    return this.fast !== null ? this.fast.logPdfBounds(samples, tight) : this.estimator().logPdfBounds(samples, tight);
  }

  logPdf(samples: readonly Float64Array[]): Float64Array {
    return this.estimator().logPdf(samples);
  }

  private estimator(): ParzenEstimator {
    if (this.built !== undefined) return this.built;
    const { columns, ids } = gatherColumns(this.blockColumns, this.aboveIds);
    return (this.built = new ParzenEstimator(columns, this.parameters, this.settings, { ...this.memo, ids }));
  }
}

/** The good and bad groups of a suggestion: their trials' positions, ascending. */
export interface Groups {
  readonly belowIds: Int32Array;
  readonly aboveIds: Int32Array;
}

/** A record's ranking key: by its own step and loss, or (constant liar) worst of all while running. */
type RankingKeys = (r: TrialRecord) => { step: number; loss: number };
const ownKeys = (r: { step: number; loss: number }) => r;
const RUNNING_KEYS = Object.freeze({ step: Infinity, loss: Infinity });
const liarKeys: RankingKeys = (r) => (r.state === "running" ? RUNNING_KEYS : r);

/** Above this good-group size the split sorts everything; below it, it keeps only the best nBelow (issue 14). */
const SELECTION_LIMIT = 64;

/**
 * Optuna's `_split_observation_pairs`: rank by (step, loss) with a stable sort, the first
 * `nBelow` are the good group; both groups keep chronological order. `keys` gives each
 * record's (step, loss) (the constant liar ranks running trials worst).
 *
 * Only membership of the best `nBelow` matters, so for small `nBelow` the best are kept
 * in a sorted window of that size in one pass, O(n nBelow) worst case and O(n) typically,
 * instead of sorting all n. (step, loss, position) is a strict total order, so the window
 * holds exactly the first `nBelow` of the stable sort. Keys with NaN are not ordered; then
 * the sort runs, as before.
 */
export function splitObservations<T extends { step: number; loss: number }>(
  records: readonly T[],
  nBelow: number,
  keys: (r: T) => { step: number; loss: number } = ownKeys,
): { below: T[]; above: T[] } {
  const n = records.length;
  const steps = new Float64Array(n);
  const losses = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const key = keys(records[i] as T);
    steps[i] = key.step;
    losses[i] = key.loss;
  }
  const inBelow = belowMask(steps, losses, n, nBelow);
  const below: T[] = [];
  const above: T[] = [];
  records.forEach((r, i) => (inBelow[i] === 1 ? below : above).push(r));
  return { below, above };
}

/** `splitObservations` on key columns (the first n entries): 1 for the good group's members. */
function belowMask(steps: Float64Array, losses: Float64Array, n: number, nBelow: number): Uint8Array {
  const k = Math.max(0, Math.min(nBelow, n));
  let ordered = true;
  for (let i = 0; i < n; i++) if (Number.isNaN(steps[i] as number) || Number.isNaN(losses[i] as number)) ordered = false;
  const inBelow = new Uint8Array(n);
  if (ordered && k <= SELECTION_LIMIT) {
    const window = new Int32Array(k);
    let size = 0;
    const less = (i: number, j: number): boolean =>
      (steps[i] as number) < (steps[j] as number) || ((steps[i] as number) === (steps[j] as number) && (losses[i] as number) < (losses[j] as number));
    for (let i = 0; i < n && k > 0; i++) {
      // Ties keep the earlier record first: i goes after every entry it does not beat.
      if (size === k && !less(i, window[k - 1] as number)) continue;
      let at = size === k ? k - 1 : size++;
      while (at > 0 && less(i, window[at - 1] as number)) {
        window[at] = window[at - 1] as number;
        at--;
      }
      window[at] = i;
    }
    for (let j = 0; j < size; j++) inBelow[window[j] as number] = 1;
  } else {
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((i, j) => compareKeys(steps[i] as number, steps[j] as number) || compareKeys(losses[i] as number, losses[j] as number) || i - j);
    for (let j = 0; j < k; j++) inBelow[order[j] as number] = 1;
  }
  return inBelow;
}

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

function compareKeys(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
