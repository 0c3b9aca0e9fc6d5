import { loadBenchmark, budgetFor, isPaperCheckSuite, type PaperCheckSuite, type Suite, type SuiteBenchmark, type SuiteDefinition } from "../../benchmarks/suites/index.ts";
// Imported statically: a pool thread compiles TypeScript through require only (see importRegistrations), so import() of a .ts file fails there.
import { PAPER_CHECK_GROUPS, runPaperChecks } from "../../benchmarks/papers/index.ts";
import { ContractError, OptionError } from "../../core/errors/index.ts";
import type { Json, Objective, Result } from "../../core/contracts/index.ts";
import type { Stopper } from "../../core/stoppers/index.ts";
import { simulate } from "../../simulator/index.ts";
import { schedulerFactories, searcherFactories, type AlgorithmContext } from "../algorithms.ts";
import { parsePairs } from "../compare-command.ts";
import { cellKey, type CellRecord, type CellSpec, type CurvePoint, type FinishedCell, type PaperCheckCell } from "../../benchmarks/suites/cell-record.ts";

export { cellKey, type CellRecord, type CellSpec, type CurvePoint, type FailedCell, type FinishedCell } from "../../benchmarks/suites/cell-record.ts";


/** Schedulers that stop no trial early. */
const TRAINS_TO_END: ReadonlySet<string> = new Set(["fifo", "pbt", "pb2"]);

/** Runs a cell; any error becomes a FailedCell with its message (the grid goes on). */
export async function runCell(spec: CellSpec, suite: Suite, options: { measureCpu?: boolean } = {}): Promise<CellRecord> {
  const started = performance.now();
  const cpuBefore = options.measureCpu ? process.cpuUsage() : undefined;
  const cpu = () => {
    if (!cpuBefore) return {};
    const used = process.cpuUsage(cpuBefore);
    return { cpuSeconds: round((used.user + used.system) / 1e6) };
  };
  const base = { ...spec, key: cellKey(spec) };
  try {
    if (isPaperCheckSuite(suite)) return { ...base, ...paperCheckCell(spec, suite), wallSeconds: (performance.now() - started) / 1000, ...cpu() };
    const loaded = await loadBenchmark(spec.benchmark);
    const before = loaded.surrogateUsage?.();
    const outcome = simulateCell(spec, suite, loaded);
    const after = loaded.surrogateUsage?.();
    const surrogate = before && after ? { calls: after.calls - before.calls, rows: after.rows - before.rows, seconds: round(after.seconds - before.seconds) } : undefined;
    return { ...base, ok: true, ...outcome, ...(surrogate ? { surrogate } : {}), wallSeconds: (performance.now() - started) / 1000, ...cpu() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, ok: false, error: message, wallSeconds: (performance.now() - started) / 1000, ...cpu() };
  }
}

/** A paper-check group's cell: the same measurement and comparisons as `tunelab check papers --only GROUP`. */
function paperCheckCell(spec: CellSpec, suite: PaperCheckSuite): Pick<PaperCheckCell, "ok" | "checks" | "checkSeeds"> {
  if (!(PAPER_CHECK_GROUPS as readonly string[]).includes(spec.benchmark)) throw new OptionError("benchmark", `got unknown check group "${spec.benchmark}"; known: ${PAPER_CHECK_GROUPS.join(", ")}`);
  return { ok: true, checks: runPaperChecks({ groups: [spec.benchmark], seeds: suite.checkSeeds }), checkSeeds: suite.checkSeeds };
}

function simulateCell(spec: CellSpec, suite: SuiteDefinition, loaded: SuiteBenchmark): Omit<FinishedCell, keyof CellSpec | "key" | "wallSeconds" | "ok"> {
  const { benchmark, defaults, regretScale, trueMetric } = loaded;
  const [pair] = parsePairs(spec.method);
  const [searcherName, schedulerName] = pair as [keyof typeof searcherFactories, keyof typeof schedulerFactories];
  const populationBased = schedulerName === "pbt" || schedulerName === "pb2";
  // PBT and PB2 train a fixed population for the whole budget; the others create trials while it lasts.
  const trials = populationBased ? Math.min(suite.population ?? suite.gpus, suite.trials ?? Number.POSITIVE_INFINITY) : (suite.trials ?? Number.POSITIVE_INFINITY);
  const maxIterations = suite.maxIterations ?? defaults.maxIterations;
  const context: AlgorithmContext = {
    space: benchmark.space,
    metric: benchmark.metric,
    mode: benchmark.mode,
    seed: spec.seed,
    trials,
    maxIterations,
    perturbationInterval: defaults.perturbationInterval,
    ...(schedulerName.startsWith("asha") ? { gracePeriod: defaults.gracePeriod } : {}),
  };
  // FIFO, PBT and PB2 train every trial to the end: a surrogate predicts its whole curve at once.
  const objective = loaded.objectiveFor?.({ wholeCurves: TRAINS_TO_END.has(schedulerName) }) ?? benchmark.objective;
  const meter = { gpuSeconds: 0 };
  const recorder = new AnytimeRecorder(benchmark.metric, benchmark.mode, benchmark.optimum, regretScale, meter, trueMetric);
  const budget = budgetFor(suite, spec.benchmark);
  const run = simulate({
    objective: metered(objective, meter),
    space: benchmark.space,
    metric: benchmark.metric,
    mode: benchmark.mode,
    trials,
    seed: spec.seed,
    searcher: searcherFactories[searcherName](context),
    scheduler: schedulerFactories[schedulerName](context),
    cluster: { gpus: suite.gpus },
    resources: { cpu: 1, gpu: 1 },
    maxIterations,
    stoppers: [recorder],
    ...(budget ? { budget } : {}),
  });
  // The simulator fails a trial whose objective throws and goes on; a benchmark's objective
  // never throws by design, so such a trial means the run is not the benchmark's (a surrogate
  // call that timed out on a loaded machine, memory that ran out): a failed cell, run again
  // on resume, never a finished one with figures that depend on the machine's load.
  const failure = loaded.failure?.();
  if (failure !== undefined) throw new ContractError("", `${spec.benchmark}: ${failure}; the cell's run is not the benchmark's`);
  const errored = run.trials.find((trial) => trial.status === "ERROR");
  if (errored !== undefined) throw new ContractError("", `trial ${errored.id} failed: ${errored.errorMessage ?? "no message"}; a benchmark's objective does not fail, so the cell's run is not the benchmark's`);
  const curve = recorder.curve;
  return {
    curve,
    finalRegret: curve.length > 0 ? (curve[curve.length - 1] as CurvePoint)[2] : Number.POSITIVE_INFINITY,
    simulatedSeconds: run.summary.simulatedSeconds,
    gpuSeconds: run.summary.gpuSeconds,
    trainingGpuSeconds: meter.gpuSeconds,
    trials: run.summary.trials,
    results: run.summary.results,
  };
}

/** The objective with every step's GPU-seconds added to `meter` (steps are drawn when they start, so the meter runs at most one step ahead per trial). */
function metered<S>(inner: Objective<S>, meter: { gpuSeconds: number }): Objective<S> {
  const wrapped = Object.create(inner) as Objective<S> & { step: Objective<S>["step"] };
  wrapped.step = (state, config, ctx) => {
    const outcome = inner.step(state, config, ctx);
    meter.gpuSeconds += outcome.seconds * ctx.resources.gpu;
    return outcome;
  };
  return wrapped;
}

/**
 * A stopper that stops nothing: it sees every result in time order (the loop calls
 * stoppers before the scheduler) and records the incumbent's normalised regret each
 * time it changes. The incumbent is the result with the best reported value; its regret
 * is measured on the benchmark's noiseless `trueMetric` when it has one, else on the
 * reported value, where noise past the optimum counts as regret 0.
 */
class AnytimeRecorder implements Stopper {
  readonly curve: CurvePoint[] = [];
  private best: number;

  constructor(
    private readonly metric: string,
    private readonly mode: "min" | "max",
    private readonly optimum: number,
    private readonly scale: number,
    private readonly meter: { gpuSeconds: number },
    private readonly trueMetric: string | undefined,
  ) {
    this.best = mode === "min" ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  shouldStopTrial(result: Result): boolean {
    const value = result.metrics[this.metric];
    if (value === undefined || !(this.mode === "min" ? value < this.best : value > this.best)) return false;
    this.best = value;
    const quality = this.trueMetric === undefined ? value : (result.metrics[this.trueMetric] ?? value);
    const regret = Math.max(0, this.mode === "min" ? quality - this.optimum : this.optimum - quality) / this.scale;
    this.curve.push([round(result.time), round(this.meter.gpuSeconds), round(regret)]);
    return false;
  }

  shouldStopAll(): boolean {
    return false;
  }

  save(): Json {
    return null;
  }

  restore(): void {}
}

/** Six significant digits keep a cell's JSON line short without moving any figure. */
function round(value: number): number {
  return Number(value.toPrecision(6));
}
