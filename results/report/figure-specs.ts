import type { TopLevelSpec } from "vega-lite";
import type { LineageRows, TimelineRows } from "./figure-data.ts";

/** A figure of the report: a Vega-Lite spec and what its SVG must contain to count as drawn. */
export interface FigureSpec {
  readonly id: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
}

const WIDTH = 560;
const HEIGHT = 260;
// Colours for how trials ended: finished and promoted in greens, stops in oranges, failures red.
const ENDING_SCHEME = "tableau10";

export function bestSoFarSpec(rows: readonly object[], x: "time" | "gpuHours", metric: string, simulated: boolean): FigureSpec {
  const xTitle = x === "time" ? (simulated ? "simulated seconds" : "wall seconds") : "GPU-hours";
  return {
    id: x === "time" ? "best-vs-time" : "best-vs-gpu-hours",
    title: `Best ${metric} so far vs ${xTitle}`,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      width: WIDTH,
      height: HEIGHT,
      data: { values: rows as object[] },
      mark: { type: "line", interpolate: "step-after", point: false },
      encoding: {
        x: { field: x, type: "quantitative", title: xTitle },
        y: { field: "value", type: "quantitative", title: `best ${metric}`, scale: { zero: false } },
        color: { field: "experiment", type: "nominal", title: "experiment" },
      },
    },
  };
}

/** Against iteration, or against time for PBT (a trial that copies a donor jumps to the donor's iteration). */
export function learningCurvesSpec(rows: readonly object[], metric: string, x: "iteration" | "time" = "iteration"): FigureSpec {
  return {
    id: "learning-curves",
    title: `Learning curves (${metric}), coloured by how each trial ended`,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      width: WIDTH,
      height: HEIGHT,
      data: { values: rows as object[] },
      mark: { type: "line", strokeWidth: 1, opacity: 0.8 },
      encoding: {
        x: { field: x, type: "quantitative", title: x === "iteration" ? "training iteration" : "time (s)" },
        y: { field: "value", type: "quantitative", title: metric, scale: { zero: false } },
        detail: { field: "trial", type: "nominal" },
        color: { field: "ending", type: "nominal", title: "ended", scale: { scheme: ENDING_SCHEME } },
      },
    },
  };
}

export function configsSpec(rows: readonly object[], params: readonly string[], metric: string): FigureSpec {
  return {
    id: "configs-vs-metric",
    title: `Hyperparameters vs final ${metric}`,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values: rows as object[] },
      facet: { column: { field: "param", type: "nominal", title: null, sort: [...params] } },
      spec: {
        width: Math.max(110, Math.floor(WIDTH / Math.max(1, params.length)) - 10),
        height: 180,
        mark: { type: "point", filled: true, size: 30, opacity: 0.7 },
        encoding: {
          x: { field: "setting", type: "quantitative", title: null, scale: { zero: false } },
          y: { field: "value", type: "quantitative", title: metric, scale: { zero: false } },
          color: { field: "ending", type: "nominal", title: "ended", scale: { scheme: ENDING_SCHEME } },
          tooltip: [{ field: "trial" }, { field: "setting" }, { field: "value" }],
        },
      },
      resolve: { scale: { x: "independent" } },
    },
  };
}

export function lineageSpec(rows: LineageRows, simulated: boolean): FigureSpec {
  const xTitle = simulated ? "simulated seconds" : "wall seconds";
  return {
    id: "pbt-lineage",
    title: "PBT lineage: each trial's lifetime (one node per trial at its start), arrows from donor to recipient at each exploit",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      width: WIDTH,
      height: Math.max(120, 16 * rows.nodes.length),
      layer: [
        {
          data: { values: rows.nodes },
          mark: { type: "rule", color: "#bbb" },
          encoding: { x: { field: "time", type: "quantitative", title: xTitle }, x2: { field: "end" }, y: { field: "trial", type: "nominal", title: "trial" } },
        },
        {
          data: { values: rows.edges },
          mark: { type: "rule", color: "#d62728", strokeWidth: 1.5 },
          encoding: { x: { field: "time", type: "quantitative" }, y: { field: "donor", type: "nominal" }, y2: { field: "recipient" } },
        },
        {
          data: { values: rows.nodes },
          mark: { type: "point", filled: true, size: 60 },
          encoding: {
            x: { field: "time", type: "quantitative" },
            y: { field: "trial", type: "nominal" },
            color: { field: "ending", type: "nominal", title: "ended", scale: { scheme: ENDING_SCHEME } },
          },
        },
      ],
    },
  };
}

export function scheduleSpec(rows: LineageRows["schedule"]): FigureSpec {
  return {
    id: "pbt-schedules",
    title: "Each trial's hyperparameter schedule (what its final weights were trained under)",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values: rows as object[] },
      facet: { row: { field: "param", type: "nominal", title: null } },
      spec: {
        width: WIDTH,
        height: 140,
        mark: { type: "line", interpolate: "step-after" },
        encoding: {
          x: { field: "iteration", type: "quantitative", title: "training iteration" },
          y: { field: "setting", type: "quantitative", title: null, scale: { zero: false } },
          color: { field: "trial", type: "nominal", legend: null },
        },
      },
      resolve: { scale: { y: "independent" } },
    },
  };
}

export function timelineSpec(rows: TimelineRows): FigureSpec {
  return {
    id: "cluster-timeline",
    title: "Simulated cluster: GPUs busy training, node losses and preemptions",
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      width: WIDTH,
      height: 200,
      layer: [
        {
          data: { values: rows.busy },
          mark: { type: "area", interpolate: "step-after", opacity: 0.6 },
          encoding: { x: { field: "time", type: "quantitative", title: "simulated seconds" }, y: { field: "gpus", type: "quantitative", title: "busy GPUs" } },
        },
        {
          data: { values: rows.events },
          mark: { type: "rule", strokeDash: [3, 2] },
          encoding: { x: { field: "time", type: "quantitative" }, color: { field: "event", type: "nominal", title: "event" } },
        },
      ],
    },
  };
}
