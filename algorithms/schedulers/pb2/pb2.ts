import { OptionError } from "../../../core/contracts/index.ts";
import type { Config, Json, TrialView } from "../../../core/contracts/index.ts";
import { loguniform, uniform } from "../../../core/space/index.ts";
import type { CustomExploreFn, MutationSpec } from "../pbt/mutations.ts";
import { PopulationBasedTraining, type PopulationBasedTrainingOptions } from "../pbt/population-based-training.ts";
import type { Pb2Row } from "./pb2-data.ts";
import { Pb2DataIndex } from "./pb2-data-index.ts";
import { fromModelUnits, modelBounds, resolveHyperparams, toModelUnits, type Pb2Bound, type Pb2Hyperparam } from "./hyperparams.ts";
import { selectConfigReusing, type Pb2ModelFit, type SelectConfigSettings } from "./select-config.ts";
import { checkModelSettings } from "./model-settings.ts";
import { PB2_MAX_DATA } from "./pb2-data.ts";

export interface PB2Options
  extends Omit<PopulationBasedTrainingOptions, "hyperparamMutations" | "resampleProbability" | "perturbationFactors"> {
  /**
   * Continuous hyperparameters to tune and their bounds; the new config always lies inside.
   * `[low, high]` (Ray's form) is linear; `{ low, high, log: true }` normalises, models and
   * chooses the value in log space (needs 0 < low); `log` defaults to false.
   * `boundsFromSpace` sets `log: true` for log domains (loguniform, qloguniform, lograndint, qlograndint).
   */
  hyperparamBounds: Readonly<Record<string, Pb2Bound>>;
  /** Keys whose values are integers (a batch size): the chosen value is rounded (after the exp on a log scale). @defaultValue [] */
  integerHyperparams?: readonly string[];
  /** Applied after the GP's choice. */
  customExploreFn?: CustomExploreFn;
  /** Costs of the model step (window search, fit and acquisition effort); defaults as Ray's. */
  model?: SelectConfigSettings;
}

/**
 * PB2 (Parker-Holder et al. 2020), as Ray Tune's PB2: PBT whose explore step,
 * instead of random perturbation, fits a GP with a time-varying kernel to the
 * change in reward per unit time and picks the bottom trial's new config by
 * UCB inside `hyperparamBounds`, aware of the configs already picked in the
 * current round. Exploit, quantiles, synch mode and the policy log are PBT's.
 * Unlike Ray's PB2, a bound may be log-scale: the GP then sees ln(value). Data
 * and saved state keep the config's own values; only the model step converts.
 */
export class PB2 extends PopulationBasedTraining {
  private readonly hyperparams: readonly Pb2Hyperparam[];
  private readonly modelSettings: SelectConfigSettings;
  private readonly afterSelect: CustomExploreFn | undefined;
  private data: Pb2Row[] = [];
  /** `data` in the GP's units, kept as training data row by row (the same rows as pb2TrainingData of all of them). */
  private index: Pb2DataIndex;
  /** max(time) over `data` (Math.max's NaN rule included), kept as rows arrive. */
  private maxDataTime = -Infinity;
  /** Configs picked since the data last moved forward in time (Ray's `current`), row-major. */
  private current: number[][] = [];
  private lastExplorationTime = 0;
  /** The last model search's choices, and the exploits that reused them since (`model.refitPeriod`). */
  private modelFit: Pb2ModelFit | null = null;
  private sinceModelSearch = 0;

  constructor(options: PB2Options) {
    const owner = "PB2";
    if (typeof options !== "object" || options === null) throw new OptionError(owner, "needs an options object");
    const hyperparams = resolveHyperparams(options.hyperparamBounds, options.integerHyperparams ?? [], owner);
    // Mutations only declare which keys the trials must carry; PB2's explore replaces PBT's.
    const mutations: MutationSpec = Object.fromEntries(hyperparams.map((h) => [h.key, h.log ? loguniform(h.low, h.high) : uniform(h.low, h.high)]));
    const { customExploreFn, ...rest } = options;
    super({ ...rest, hyperparamMutations: mutations }, owner);
    this.hyperparams = hyperparams;
    this.modelSettings = checkModelSettings(options.model, `${owner}.model`);
    this.index = new Pb2DataIndex(this.modelSettings.maxRows ?? PB2_MAX_DATA);
    this.afterSelect = customExploreFn;
  }

  protected override onPerturbationPoint(trial: TrialView, time: number, score: number): void {
    const values = this.hyperparams.map((h) => numeric(trial.config, h.key));
    // Checked here, not at the model step: a non-positive value on a log scale fails at its own trial.
    this.hyperparams.forEach((h, c) => toModelUnits(h, values[c] as number));
    this.addRow({ trialId: trial.id, time, values, reward: score });
  }

  private addRow(row: Pb2Row): void {
    this.data.push(row);
    this.index.add({ ...row, values: this.hyperparams.map((h, c) => toModelUnits(h, row.values[c] as number)) });
    this.maxDataTime = Math.max(this.maxDataTime, row.time);
  }

  protected override newConfig(trial: TrialView, donor: TrialView): Config {
    let maxTime = this.maxDataTime;
    // A new round of perturbations: the configs picked in the last one no longer count as pending.
    if (maxTime > this.lastExplorationTime) this.current = [];

    const toModel = (values: readonly number[]): number[] => this.hyperparams.map((h, c) => toModelUnits(h, values[c] as number));
    const training = this.index.trainingData(donor.id);
    let config: Config = structuredClone(donor.config);
    // Without data on the donor the clone keeps the donor's config, and that config is what this round picked (as Ray).
    let values = this.hyperparams.map((h) => numeric(donor.config, h.key));
    if (training.donorPoint !== undefined) {
      const maxPending = this.modelSettings.maxPending ?? Infinity;
      const pending = this.current.length > maxPending ? this.current.slice(this.current.length - maxPending) : this.current;
      const current = pending.length > 0 ? Float64Array.from(pending.flatMap(toModel)) : null;
      const refitPeriod = this.modelSettings.refitPeriod ?? 1;
      const reuse = this.modelFit !== null && this.sinceModelSearch < refitPeriod - 1 ? this.modelFit : null;
      const { config: chosen, fit } = selectConfigReusing({
        x: training.x,
        y: training.y,
        current,
        newpoint: [training.donorPoint.time, training.donorPoint.rewardBefore],
        bounds: this.hyperparams.map(modelBounds),
        random: this.rng.uniform,
        settings: this.modelSettings,
      }, reuse);
      if (reuse === null || fit !== reuse) {
        this.sinceModelSearch = 0;
      } else {
        this.sinceModelSearch++;
      }
      this.modelFit = refitPeriod > 1 ? fit : null;
      values = this.hyperparams.map((h, c) => fromModelUnits(h, chosen[c] as number));
      this.hyperparams.forEach((h, c) => {
        config[h.key] = values[c] as number;
      });
      // The clone starts where the donor is, with its new config: its next reward change is measured from there.
      this.addRow({ trialId: trial.id, time: training.donorPoint.time, values, reward: training.donorPoint.reward });
      maxTime = Math.max(maxTime, training.donorPoint.time);
    }
    if (maxTime > this.lastExplorationTime) {
      this.lastExplorationTime = maxTime;
      this.current = [values];
    } else {
      this.current.push(values);
    }
    if (this.afterSelect) config = this.afterSelect(config, this.rng.uniform);
    return config;
  }

  protected override saveExtra(): Json {
    const saved: Record<string, Json> = { data: structuredClone(this.data) as unknown as Json, current: this.current, lastExplorationTime: this.lastExplorationTime };
    if (this.modelFit !== null) {
      saved.modelFit = structuredClone(this.modelFit) as unknown as Json;
      saved.sinceModelSearch = this.sinceModelSearch;
    }
    return saved;
  }

  protected override restoreExtra(extra: Json): void {
    const e = extra as unknown as { data: Pb2Row[]; current: number[][]; lastExplorationTime: number; modelFit?: Pb2ModelFit; sinceModelSearch?: number };
    this.data = [];
    this.index = new Pb2DataIndex(this.modelSettings.maxRows ?? PB2_MAX_DATA);
    this.maxDataTime = -Infinity;
    for (const row of structuredClone(e.data)) this.addRow(row);
    this.current = structuredClone(e.current);
    this.lastExplorationTime = e.lastExplorationTime;
    this.modelFit = e.modelFit === undefined ? null : structuredClone(e.modelFit);
    this.sinceModelSearch = e.sinceModelSearch ?? 0;
  }
}

function numeric(config: Config, key: string): number {
  const value = config[key];
  if (typeof value !== "number" || !Number.isFinite(value)) throw new OptionError(`config.${key}`, `PB2 needs a finite number, got ${JSON.stringify(value)}`);
  return value;
}
