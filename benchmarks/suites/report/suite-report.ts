import { fmt, formatTable, holmAdjust, median, medianInterval, meanRanks, wilcoxonSignedRank } from "../../stats/index.ts";
import { isFinishedCell, type CellRecord, type FinishedCell } from "../cell-record.ts";
import { regretAt, timeToTarget, type Axis } from "./anytime.ts";

export interface SuiteReportOptions {
  suite: string;
  methods: readonly string[];
  benchmarks: readonly string[];
  seeds: number;
  targetRegret: number;
  /** Budget fractions the anytime tables show. @defaultValue [0.1, 0.25, 0.5, 1] */
  fractions?: readonly number[];
}

export interface SuiteReport {
  /** The plain-text tables. */
  text: string;
  /** The same figures as data. */
  data: {
    fractions: number[];
    regretVsTime: Record<string, number[]>;
    regretVsGpu: Record<string, number[]>;
    rankVsTime: Record<string, number[]>;
    timeToTarget: Record<string, { median: number; reached: number; cells: number }>;
    finalRegret: Record<string, Record<string, { median: number; low: number; high: number; seeds: number }>>;
    pairs: Array<{ a: string; b: string; tasks: number; p: number; pHolm: number; better: string | null }>;
    failed: Array<{ key: string; error: string }>;
  };
}

/**
 * The figures of a suite run from its cells: anytime normalised regret against simulated
 * time and against GPU-seconds of training (at fractions of the most any method used on a
 * task), average rank over time, time to target, per-task medians with bootstrap 95%
 * intervals over seeds, and pairwise Wilcoxon signed-rank tests over tasks (the per-task
 * median final regrets) with Holm's correction. Aggregates over tasks are medians of
 * per-task medians over seeds.
 */
export function suiteReport(records: readonly CellRecord[], options: SuiteReportOptions): SuiteReport {
  const fractions = [...(options.fractions ?? [0.1, 0.25, 0.5, 1])];
  const { methods, benchmarks } = options;
  const ok = records.filter(isFinishedCell);
  const failed = records.filter((r) => !r.ok).map((r) => ({ key: r.key, error: (r as { error: string }).error }));
  const cells = new Map<string, FinishedCell[]>();
  for (const r of ok) {
    const k = `${r.method}|${r.benchmark}`;
    const list = cells.get(k) ?? [];
    list.push(r);
    cells.set(k, list);
  }
  const of = (method: string, benchmark: string) => cells.get(`${method}|${benchmark}`) ?? [];
  // JSON turns an infinite regret (no result) into null.
  const finite = (v: number | null) => (v === null ? Number.POSITIVE_INFINITY : v);
  const span = (benchmark: string, axis: Axis) =>
    Math.max(0, ...ok.filter((r) => r.benchmark === benchmark).map((r) => (axis === 0 ? r.simulatedSeconds : r.trainingGpuSeconds)));
  const at = (r: FinishedCell, axis: Axis, fraction: number) =>
    fraction >= 1 ? finite(r.finalRegret) : regretAt(r.curve, axis, fraction * span(r.benchmark, axis));
  const taskMedian = (method: string, benchmark: string, value: (r: FinishedCell) => number) => {
    const values = of(method, benchmark).map(value);
    return values.length === 0 ? Number.NaN : median(values);
  };
  const acrossTasks = (method: string, value: (r: FinishedCell) => number) =>
    median(benchmarks.map((b) => taskMedian(method, b, value)).filter((v) => !Number.isNaN(v)));

  const anytime = (axis: Axis) => Object.fromEntries(methods.map((m) => [m, fractions.map((f) => acrossTasks(m, (r) => at(r, axis, f)))]));
  const regretVsTime = anytime(0);
  const regretVsGpu = anytime(1);

  // Ranks within each (task, seed) where every method finished; averaged over them.
  const rankVsTime: Record<string, number[]> = Object.fromEntries(methods.map((m) => [m, [] as number[]]));
  for (const f of fractions) {
    const rows: number[][] = [];
    for (const b of benchmarks) {
      for (let seed = 0; seed < options.seeds; seed++) {
        const row = methods.map((m) => of(m, b).find((r) => r.seed === seed));
        if (row.every((r) => r !== undefined)) rows.push(row.map((r) => at(r as FinishedCell, 0, f)));
      }
    }
    const ranks = meanRanks(rows);
    methods.forEach((m, i) => (rankVsTime[m] as number[]).push(rows.length > 0 ? (ranks[i] as number) : Number.NaN));
  }

  const timeToTargetData = Object.fromEntries(
    methods.map((m) => {
      const times = ok.filter((r) => r.method === m).map((r) => timeToTarget(r.curve, options.targetRegret));
      return [m, { median: acrossTasks(m, (r) => timeToTarget(r.curve, options.targetRegret)), reached: times.filter(Number.isFinite).length, cells: times.length }];
    }),
  );

  const finalRegret: SuiteReport["data"]["finalRegret"] = {};
  for (const b of benchmarks) {
    finalRegret[b] = {};
    for (const m of methods) {
      const values = of(m, b).map((r) => finite(r.finalRegret));
      if (values.length === 0) continue;
      const [low, high] = medianInterval(values, { seed: 0 });
      (finalRegret[b] as Record<string, { median: number; low: number; high: number; seeds: number }>)[m] = { median: median(values), low, high, seeds: values.length };
    }
  }

  const pairs: SuiteReport["data"]["pairs"] = [];
  for (let i = 0; i < methods.length; i++) {
    for (let j = i + 1; j < methods.length; j++) {
      const a = methods[i] as string;
      const b = methods[j] as string;
      const x: number[] = [];
      const y: number[] = [];
      for (const task of benchmarks) {
        const u = finalRegret[task]?.[a]?.median;
        const v = finalRegret[task]?.[b]?.median;
        if (u !== undefined && v !== undefined && Number.isFinite(u) && Number.isFinite(v)) {
          x.push(u);
          y.push(v);
        }
      }
      const test = wilcoxonSignedRank(x, y);
      const lower = median(x.map((u, k) => u - (y[k] as number)));
      pairs.push({ a, b, tasks: x.length, p: test.p, pHolm: Number.NaN, better: lower < 0 ? a : lower > 0 ? b : null });
    }
  }
  const tested = pairs.filter((p) => !Number.isNaN(p.p));
  holmAdjust(tested.map((p) => p.p)).forEach((adjusted, k) => ((tested[k] as { pHolm: number }).pHolm = adjusted));

  const pct = (f: number) => `${Math.round(100 * f)}%`;
  const sections = [
    `${options.suite}: ${methods.length} methods x ${benchmarks.length} benchmarks x ${options.seeds} seeds; ${ok.length} cells finished, ${failed.length} failed`,
    "Anytime normalised regret against simulated time (median over tasks of the median over seeds; columns: fraction of the longest run on each task)\n" +
      formatTable(["method", ...fractions.map(pct)], methods.map((m) => [m, ...(regretVsTime[m] as number[]).map((v) => fmt(v))])),
    "Anytime normalised regret against GPU-hours of training (columns: fraction of the most any method spent on each task)\n" +
      formatTable(["method", ...fractions.map(pct)], methods.map((m) => [m, ...(regretVsGpu[m] as number[]).map((v) => fmt(v))])),
    "Average rank over time (1 = best; ranked within each task and seed, ties averaged)\n" +
      formatTable(["method", ...fractions.map(pct)], methods.map((m) => [m, ...(rankVsTime[m] as number[]).map((v) => fmt(v, 3))])),
    `Time to target (normalised regret <= ${options.targetRegret}; simulated seconds, median over tasks of the median over seeds; "-": not reached by half)\n` +
      formatTable(["method", "time to target", "cells reached"], methods.map((m) => {
        const t = timeToTargetData[m] as { median: number; reached: number; cells: number };
        return [m, fmt(t.median, 5), `${t.reached}/${t.cells}`];
      })),
    "Final normalised regret per task: median over seeds [bootstrap 95% interval]\n" +
      formatTable(["benchmark", ...methods], benchmarks.map((b) => [b, ...methods.map((m) => {
        const c = finalRegret[b]?.[m];
        return c ? `${fmt(c.median)} [${fmt(c.low)}, ${fmt(c.high)}]` : "-";
      })]), false),
    "Pairwise Wilcoxon signed-rank tests over tasks (per-task median final regret), Holm-corrected; * at 0.05\n" +
      formatTable(["method A", "method B", "tasks", "p", "p (Holm)", "lower regret"], pairs.map((p) => [
        p.a, p.b, String(p.tasks), fmt(p.p, 3), `${fmt(p.pHolm, 3)}${p.pHolm <= 0.05 ? " *" : ""}`, p.better ?? "tie",
      ]), false),
  ];
  if (benchmarks.length < 6) {
    sections.push(`Note: with ${benchmarks.length} tasks the smallest two-sided Wilcoxon p is ${fmt(2 / 2 ** benchmarks.length, 3)}; no pair can be significant at 0.05 with fewer than 6 tasks.`);
  }
  if (failed.length > 0) sections.push(`Failed cells (${failed.length}; they run again on the next start):\n` + failed.slice(0, 10).map((f) => `  ${f.key}: ${f.error}`).join("\n"));
  return {
    text: sections.map((section) => section.trimEnd()).join("\n\n") + "\n",
    data: { fractions, regretVsTime, regretVsGpu, rankVsTime, timeToTarget: timeToTargetData, finalRegret, pairs, failed },
  };
}
