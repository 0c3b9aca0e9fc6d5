import { OptionError } from "../../../core/contracts/index.ts";
import type { Config, Json, TrialView } from "../../../core/contracts/index.ts";
import { uniform } from "../../../core/space/index.ts";
import type { CustomExploreFn, MutationSpec } from "../pbt/mutations.ts";
import { PopulationBasedTraining, type PopulationBasedTrainingOptions } from "../pbt/population-based-training.ts";
import { pb2TrainingData, type Pb2Row } from "./pb2-data.ts";
import { selectConfig, type SelectConfigSettings } from "./select-config.ts";

export interface PB2Options
  extends Omit<PopulationBasedTrainingOptions, "hyperparamMutations" | "resampleProbability" | "perturbationFactors"> {
  /** Continuous hyperparameters to tune and their [low, high] bounds; the new config always lies inside. */
  hyperparamBounds: Readonly<Record<string, readonly [number, number]>>;
  /** Keys whose values are integers (a batch size): the chosen value is rounded. @defaultValue [] */
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
 */
export class PB2 extends PopulationBasedTraining {
  private readonly keys: readonly string[];
  private readonly bounds: ReadonlyArray<readonly [number, number]>;
  private readonly integerKeys: ReadonlySet<string>;
  private readonly modelSettings: SelectConfigSettings;
  private readonly afterSelect: CustomExploreFn | undefined;
  private data: Pb2Row[] = [];
  /** Configs picked since the data last moved forward in time (Ray's `current`), row-major. */
  private current: number[][] = [];
  private lastExplorationTime = 0;

  constructor(options: PB2Options) {
    const owner = "PB2";
    if (typeof options !== "object" || options === null) throw new OptionError(owner, "needs an options object");
    const bounds = options.hyperparamBounds;
    if (typeof bounds !== "object" || bounds === null || Object.keys(bounds).length === 0) {
      throw new OptionError(`${owner}.hyperparamBounds`, "must name at least one hyperparameter with [low, high] bounds");
    }
    for (const [key, range] of Object.entries(bounds)) {
      if (!Array.isArray(range) || range.length !== 2 || !Number.isFinite(range[0]) || !Number.isFinite(range[1]) || !(range[0] < range[1])) {
        throw new OptionError(`${owner}.hyperparamBounds.${key}`, `must be [low, high] with low < high, got ${JSON.stringify(range)}`);
      }
    }
    // Mutations only declare which keys the trials must carry; PB2's explore replaces PBT's.
    const mutations: MutationSpec = Object.fromEntries(Object.entries(bounds).map(([key, [low, high]]) => [key, uniform(low, high)]));
    const { customExploreFn, ...rest } = options;
    super({ ...rest, hyperparamMutations: mutations }, owner);
    this.keys = Object.keys(bounds);
    this.bounds = this.keys.map((key) => bounds[key] as readonly [number, number]);
    this.integerKeys = new Set(options.integerHyperparams ?? []);
    for (const key of this.integerKeys) {
      if (!this.keys.includes(key)) throw new OptionError(`${owner}.integerHyperparams`, `"${key}" is not in hyperparamBounds`);
    }
    this.modelSettings = options.model ?? {};
    this.afterSelect = customExploreFn;
  }

  protected override onPerturbationPoint(trial: TrialView, time: number, score: number): void {
    this.data.push({ trialId: trial.id, time, values: this.keys.map((key) => numeric(trial.config, key)), reward: score });
  }

  protected override newConfig(trial: TrialView, donor: TrialView): Config {
    let maxTime = -Infinity;
    for (const row of this.data) maxTime = Math.max(maxTime, row.time);
    // A new round of perturbations: the configs picked in the last one no longer count as pending.
    if (maxTime > this.lastExplorationTime) this.current = [];

    const training = pb2TrainingData(this.data, donor.id);
    let config: Config = structuredClone(donor.config);
    // Without data on the donor the clone keeps the donor's config, and that config is what this round picked (as Ray).
    let values = this.keys.map((key) => numeric(donor.config, key));
    if (training.donorPoint !== undefined) {
      const current = this.current.length > 0 ? Float64Array.from(this.current.flat()) : null;
      const chosen = selectConfig({
        x: training.x,
        y: training.y,
        current,
        newpoint: [training.donorPoint.time, training.donorPoint.rewardBefore],
        bounds: this.bounds,
        random: this.rng.uniform,
        settings: this.modelSettings,
      });
      values = this.keys.map((key, c) => {
        const [low, high] = this.bounds[c] as readonly [number, number];
        const value = Math.min(high, Math.max(low, chosen[c] as number));
        return this.integerKeys.has(key) ? Math.min(Math.floor(high), Math.max(Math.ceil(low), Math.round(value))) : value;
      });
      this.keys.forEach((key, c) => {
        config[key] = values[c] as number;
      });
      // The clone starts where the donor is, with its new config: its next reward change is measured from there.
      this.data.push({ trialId: trial.id, time: training.donorPoint.time, values, reward: training.donorPoint.reward });
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
    return { data: structuredClone(this.data) as unknown as Json, current: this.current, lastExplorationTime: this.lastExplorationTime };
  }

  protected override restoreExtra(extra: Json): void {
    const e = extra as unknown as { data: Pb2Row[]; current: number[][]; lastExplorationTime: number };
    this.data = structuredClone(e.data);
    this.current = structuredClone(e.current);
    this.lastExplorationTime = e.lastExplorationTime;
  }
}

function numeric(config: Config, key: string): number {
  const value = config[key];
  if (typeof value !== "number" || !Number.isFinite(value)) throw new OptionError(`config.${key}`, `PB2 needs a finite number, got ${JSON.stringify(value)}`);
  return value;
}
