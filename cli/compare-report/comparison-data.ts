import { OptionError } from "../../core/contracts/index.ts";
import { holmAdjust, mannWhitneyU, median, medianInterval } from "../../benchmarks/stats/index.ts";
import type { BandRow, ExperimentAnalysis } from "../../results/index.ts";

/** One method's runs: the same searcher and scheduler over several seeds, one experiment directory each. */
export interface MethodRuns {
  readonly method: string;
  readonly runs: readonly ExperimentAnalysis[];
}

/** A method's best-so-far at one x: the median over its seeds and a bootstrap 95% interval of that median (the report draws these rows). */
export type BandPoint = BandRow;

type Step = ReadonlyArray<{ x: number; value: number }>;

/** The value of a step function (best so far) at x; undefined before its first point. */
function valueAt(step: Step, x: number): number | undefined {
  let value: number | undefined;
  for (const p of step) {
    if (p.x > x) break;
    value = p.value;
  }
  return value;
}

/**
 * Best-so-far curves of every method on one x axis (simulated or wall seconds, or
 * GPU-hours), sampled at `points` evenly spaced x values up to the longest run, as the
 * median over seeds with a bootstrap 95% interval of the median. A seed counts at x once it
 * has a result; before half of a method's seeds have one, the method shows nothing there,
 * so one lucky early seed does not draw the median.
 */
export function bestSoFarBands(methods: readonly MethodRuns[], x: "time" | "gpuHours", points = 120): BandPoint[] {
  const steps = methods.map((m) => ({ method: m.method, seeds: m.runs.map((run) => run.bestSoFar().map((p) => ({ x: p[x], value: p.value }))) }));
  const end = Math.max(0, ...steps.flatMap((m) => m.seeds.map((s) => s.at(-1)?.x ?? 0)));
  const xs = Array.from({ length: points + 1 }, (_, i) => (end * i) / points);
  const out: BandPoint[] = [];
  for (const m of steps) {
    const needed = Math.ceil(m.seeds.length / 2);
    for (const at of xs) {
      const values = m.seeds.map((s) => valueAt(s, at)).filter((v): v is number => v !== undefined);
      if (values.length < needed || values.length === 0) continue;
      const [low, high] = medianInterval(values, { draws: 400, seed: 0 });
      out.push({ method: m.method, x: at, median: median(values), low, high, seeds: values.length });
    }
  }
  return out;
}

/** Each run's final best value, one row per method and seed. */
export function finalBestRows(methods: readonly MethodRuns[]): Array<{ method: string; seed: number; value: number }> {
  return methods.flatMap((m) =>
    m.runs.flatMap((run, seed) => {
      const value = run.bestValue();
      return value === undefined ? [] : [{ method: m.method, seed, value }];
    }),
  );
}

export interface MethodSummary {
  readonly method: string;
  readonly seeds: number;
  /** Median over seeds of the final best value, with a bootstrap 95% interval; undefined when no seed has a result. */
  readonly best: { median: number; low: number; high: number } | undefined;
  readonly trials: number;
  readonly gpuHours: number;
  /** Two-sided Mann-Whitney U of this method's final best values against the best method's, Holm-adjusted over the methods; undefined for the best method itself. */
  readonly pVsBest: number | undefined;
}

/**
 * The comparison table: per method, the median final best with its interval, the median
 * trials and GPU-hours, and a rank test against the method with the best median, Holm-adjusted
 * for the number of comparisons.
 */
export function methodSummaries(methods: readonly MethodRuns[], mode: "min" | "max"): MethodSummary[] {
  if (methods.length === 0) throw new OptionError("methods", "give at least one method to compare");
  const finals = methods.map((m) => m.runs.map((run) => run.bestValue()).filter((v): v is number => v !== undefined));
  const medians = finals.map((values) => (values.length > 0 ? median(values) : Number.NaN));
  let bestIndex = -1;
  medians.forEach((value, i) => {
    if (Number.isNaN(value)) return;
    const leader = medians[bestIndex];
    if (bestIndex < 0 || leader === undefined || (mode === "min" ? value < leader : value > leader)) bestIndex = i;
  });
  const tested = methods.map((_, i) => i).filter((i) => i !== bestIndex && bestIndex >= 0 && (finals[i]?.length ?? 0) > 0);
  const adjusted = holmAdjust(tested.map((i) => mannWhitneyU(finals[i] as number[], finals[bestIndex] as number[]).p));
  return methods.map((m, i) => {
    const values = finals[i] as number[];
    const interval = values.length > 0 ? medianInterval(values, { seed: 0 }) : undefined;
    const at = tested.indexOf(i);
    return {
      method: m.method,
      seeds: m.runs.length,
      best: interval ? { median: medians[i] as number, low: interval[0], high: interval[1] } : undefined,
      trials: median(m.runs.map((r) => r.trials.length)),
      gpuHours: median(m.runs.map((r) => r.trials.reduce((sum, t) => sum + t.gpuSeconds, 0) / 3600)),
      pVsBest: at >= 0 ? adjusted[at] : undefined,
    };
  });
}
