import { ContractError, OptionError } from "../../core/contracts/index.ts";
import type { Config, Mode, Objective, StepContext, StepOutcome } from "../../core/contracts/index.ts";
import { nonNegativeNumber, oneOf } from "../../core/errors/index.ts";
import type { Space } from "../../core/space/index.ts";
import { configKey } from "./config-key.ts";
import { rangeNormalisedDistance, spaceDistance, type ConfigDistance } from "./config-distance.ts";
import { readRecording, type RecordedCurve, type Recording } from "./recorded-curves.ts";

export interface RecordedObjectiveOptions {
  /**
   * A config that was never recorded: "error" (the trial fails with a
   * ContractError naming the config) or "nearest" (the nearest recorded config
   * answers; see `space`). Needed for PBT and PB2, whose explore step makes new
   * configs. @defaultValue "error"
   */
  unrecorded?: "error" | "nearest";
  /**
   * The distance of "nearest". With a space: Euclidean distance in its unit-cube
   * encoding (log domains on a log scale, choices one-hot). Without: Euclidean
   * distance over the configs' leaves, each numeric leaf divided by the range of
   * its recorded values, 1 per other leaf that differs. Ties: the earlier trial.
   */
  space?: Space;
  /**
   * A step past the end of a configuration's recorded curve (its trial was stopped
   * there): "error" (the trial fails) or "end" (the last recorded step reports
   * `done`, as if the trainable had ended there). @defaultValue "error"
   */
  beyondRecording?: "error" | "end";
  /** Simulated seconds to start an actor, save and restore a checkpoint: not recorded, so 0 unless given. */
  startupSeconds?: number;
  checkpointSeconds?: number;
  restoreSeconds?: number;
}

/** The replayed trial's state: nothing but where it is (the curve is chosen by the config in force at each step). */
export interface ReplayState {
  readonly iteration: number;
}

export interface RecordedObjective extends Objective<ReplayState> {
  readonly recording: Recording;
  /** The recorded configs, in trial order (feed them to `recordedConfigSearcher`). */
  readonly configs: readonly Config[];
  /** The metric and mode the recorded experiment tuned. */
  readonly metric: string;
  readonly mode: Mode;
  /** The recorded curve that answers `config` (itself, or the nearest under unrecorded: "nearest"); throws ContractError otherwise. */
  curveFor(config: Config): RecordedCurve;
}

/**
 * Turns a finished experiment directory into a simulator `Objective` that
 * replays it: a trial of config c at iteration i reports what c's recorded trial
 * reported at iteration i, and the step takes the seconds it took then. Any
 * scheduler can then be compared on real learning curves in simulated time,
 * without training. The config in force is looked up at every step, so a PBT
 * exploit (new config, the donor's iteration) continues along the curve of the
 * new config (or its nearest) from the donor's iteration.
 */
export function recordedObjective(experimentDir: string, options: RecordedObjectiveOptions = {}): RecordedObjective {
  const unrecorded = oneOf("recordedObjective.unrecorded", options.unrecorded ?? "error", ["error", "nearest"] as const);
  const beyond = oneOf("recordedObjective.beyondRecording", options.beyondRecording ?? "error", ["error", "end"] as const);
  const startupSeconds = nonNegativeNumber("recordedObjective.startupSeconds", options.startupSeconds ?? 0);
  const checkpointSeconds = nonNegativeNumber("recordedObjective.checkpointSeconds", options.checkpointSeconds ?? 0);
  const restoreSeconds = nonNegativeNumber("recordedObjective.restoreSeconds", options.restoreSeconds ?? 0);
  if (options.space !== undefined && unrecorded !== "nearest") {
    throw new OptionError("recordedObjective.space", 'is the distance of unrecorded: "nearest"; give both or neither');
  }
  const recording = readRecording(experimentDir);
  const exact = new Map(recording.curves.map((c) => [configKey(c.config), c]));
  const configs = recording.curves.map((c) => c.config);
  const distance: ConfigDistance | undefined =
    unrecorded === "nearest" ? (options.space ? spaceDistance(options.space) : rangeNormalisedDistance(configs)) : undefined;
  const answered = new Map<string, RecordedCurve>();

  const curveFor = (config: Config): RecordedCurve => {
    const key = configKey(config);
    const hit = exact.get(key) ?? answered.get(key);
    if (hit) return hit;
    if (!distance) {
      throw new ContractError(
        "recordedObjective",
        `config ${key} was never recorded in ${experimentDir} (${recording.curves.length} configs recorded); replay recorded configs (recordedConfigSearcher) or pass unrecorded: "nearest"`,
      );
    }
    let best = recording.curves[0] as RecordedCurve;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const curve of recording.curves) {
      const d = distance(config, curve.config);
      if (d < bestDistance) {
        best = curve;
        bestDistance = d;
      }
    }
    answered.set(key, best);
    return best;
  };

  return {
    name: `replay:${experimentDir}`,
    metrics: [...new Set(recording.curves.flatMap((c) => c.metrics.flatMap((m) => Object.keys(m))))],
    startupSeconds,
    checkpointSeconds,
    restoreSeconds,
    recording,
    configs,
    metric: recording.metric,
    mode: recording.mode,
    curveFor,
    init(config: Config): ReplayState {
      curveFor(config); // an unrecorded config fails at once, not at its first step
      return { iteration: 0 };
    },
    step(_state: ReplayState, config: Config, context: StepContext): StepOutcome<ReplayState> {
      const curve = curveFor(config);
      const i = context.iteration;
      const length = curve.metrics.length;
      if (i > length) {
        throw new ContractError(
          "recordedObjective",
          `config ${configKey(config)} was recorded for ${length} iterations (trial ${curve.trialId}${curve.finished ? ", which finished there" : ", stopped there"}); iteration ${i} was asked for. Cap the replay at maxIterations: ${length} or pass beyondRecording: "end"`,
        );
      }
      const last = i === length;
      return {
        metrics: curve.metrics[i - 1] as Record<string, number>,
        seconds: curve.seconds[i - 1] as number,
        state: { iteration: i },
        ...((last && (curve.finished || beyond === "end")) ? { done: true } : {}),
      };
    },
  };
}
