import { basename, resolve } from "node:path";
import { OptionError } from "../../core/contracts/index.ts";
import type { DecisionRecord, ExploitRecord } from "../../core/experiment-dir/index.ts";
import { loadExperiment, type ExperimentAnalysis } from "../analysis/index.ts";
import { bestSoFarRows, configRows, learningCurveRows, lineageRows, timelineRows, type NamedExperiment } from "./figure-data.ts";
import { bestSoFarSpec, configsSpec, learningCurvesSpec, lineageSpec, scheduleSpec, timelineSpec, type FigureSpec } from "./figure-specs.ts";
import { renderSvg } from "./render-svg.ts";
import { bestSoFarBandSpec, finalBestSpec, type BandRow } from "./comparison-specs.ts";

export interface RenderedFigure {
  readonly id: string;
  readonly title: string;
  /** Which experiment it shows ("" when it compares all of them). */
  readonly experiment: string;
  readonly svg: string;
}

export interface Report {
  readonly title: string;
  /** The experiments with a section each (empty for a comparison of methods, which has its table instead). */
  readonly experiments: readonly NamedExperiment[];
  readonly figures: readonly RenderedFigure[];
  /** A comparison's method table, shown at the top in place of the experiments' summary. */
  readonly table?: ReportTable;
}

/** A plain table of a report: header cells and rows of cells, as text (numbers already formatted). */
export interface ReportTable {
  readonly caption: string;
  readonly headers: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

/** What a comparison report draws, computed by its caller (`tunelab compare --report`: cli/compare-report). */
export interface ComparisonInput {
  readonly title: string;
  readonly metric: string;
  /** "simulated seconds" or "wall seconds". */
  readonly timeTitle: string;
  /** How the band is computed, in words ("bootstrap 95% interval of the median"). */
  readonly interval: string;
  readonly bandsByTime: readonly BandRow[];
  readonly bandsByGpuHours: readonly BandRow[];
  readonly finals: ReadonlyArray<{ method: string; seed: number; value: number }>;
  readonly table: ReportTable;
}

/** A report that compares methods: best-so-far bands against time and GPU-hours, the final values, and the method table. */
export async function buildComparisonReport(input: ComparisonInput): Promise<Report> {
  const specs = [
    bestSoFarBandSpec(input.bandsByTime, "time", input.metric, input.timeTitle, input.interval),
    bestSoFarBandSpec(input.bandsByGpuHours, "gpuHours", input.metric, "GPU-hours", input.interval),
    finalBestSpec(input.finals, input.metric),
  ];
  const figures: RenderedFigure[] = [];
  for (const figure of specs) figures.push({ id: figure.id, title: figure.title, experiment: "", svg: await renderSvg(figure.spec) });
  return { title: input.title, experiments: [], figures, table: input.table };
}

/** Loads each directory and renders every figure that has data. */
export async function buildReport(dirs: readonly string[]): Promise<Report> {
  if (dirs.length === 0) throw new OptionError("dir", "give at least one experiment directory");
  const experiments = uniqueNames(dirs.map((dir) => ({ dir, analysis: loadExperiment(dir) })));
  const specs: Array<{ experiment: string; figure: FigureSpec }> = [];
  const first = experiments[0]!.analysis;
  const metric = first.meta?.metric;
  if (metric === undefined) throw new OptionError("dir", `${first.dir} has no experiment.json: the report needs the metric and mode`);
  const simulated = experiments.every((e) => e.analysis.meta?.kind === "simulation");
  const best = bestSoFarRows(experiments);
  specs.push({ experiment: "", figure: bestSoFarSpec(best, "time", metric, simulated) });
  specs.push({ experiment: "", figure: bestSoFarSpec(best, "gpuHours", metric, simulated) });
  for (const { name, analysis } of experiments) {
    const m = analysis.meta?.metric ?? metric;
    specs.push({ experiment: name, figure: learningCurvesSpec(learningCurveRows(analysis), m, analysis.exploits.length > 0 ? "time" : "iteration") });
    const configs = configRows(analysis);
    if (configs.rows.length > 0) specs.push({ experiment: name, figure: configsSpec(configs.rows, configs.params, m) });
    if (analysis.exploits.length > 0) {
      const lineage = lineageRows(analysis);
      specs.push({ experiment: name, figure: lineageSpec(lineage, analysis.meta?.kind === "simulation") });
      if (lineage.schedule.length > 0) specs.push({ experiment: name, figure: scheduleSpec(lineage.schedule) });
    }
    if (analysis.meta?.kind === "simulation") {
      const timeline = timelineRows(analysis);
      if (timeline) specs.push({ experiment: name, figure: timelineSpec(timeline) });
    }
  }
  const figures: RenderedFigure[] = [];
  for (const { experiment, figure } of specs) {
    figures.push({ id: experiment === "" ? figure.id : `${experiment}-${figure.id}`, title: figure.title, experiment, svg: await renderSvg(figure.spec) });
  }
  const title = `TuneLab report: ${experiments.map((e) => e.name).join(", ")}`;
  return { title, experiments, figures };
}

/** Experiments are named by their directory; two dirs of the same name get their parent too. */
function uniqueNames(loaded: ReadonlyArray<{ dir: string; analysis: ExperimentAnalysis }>): NamedExperiment[] {
  const names = loaded.map(({ dir }) => basename(resolve(dir)));
  return loaded.map(({ dir, analysis }, i) => {
    const name = names.filter((n) => n === names[i]).length > 1 ? `${basename(resolve(dir, ".."))}/${names[i]}` : (names[i] as string);
    return { name, analysis };
  });
}

/** The scheduler's decisions and exploits of one experiment, newest last, at most `limit` rows. */
export function decisionRows(analysis: ExperimentAnalysis, limit = 300): Array<{ time: number; trial: string; kind: string; iteration: number; reason: string }> {
  const rows = [
    ...analysis.decisions.filter((d: DecisionRecord) => d.by === "scheduler").map((d) => ({ time: d.time, trial: d.trial_id, kind: d.kind, iteration: d.iteration, reason: d.reason })),
    ...analysis.exploits.map((e: ExploitRecord) => ({ time: e.time, trial: e.trial_id, kind: "exploit", iteration: e.iteration, reason: `${e.reason}: ${JSON.stringify(e.old_config)} -> ${JSON.stringify(e.new_config)}` })),
  ].sort((a, b) => a.time - b.time);
  return rows.slice(0, limit);
}
