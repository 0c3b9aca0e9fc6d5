import type { FigureSpec } from "./figure-specs.ts";

const WIDTH = 560;
const HEIGHT = 280;

/** A band row: one method's median best-so-far and its interval at one x. */
export interface BandRow {
  readonly method: string;
  readonly x: number;
  readonly median: number;
  readonly low: number;
  readonly high: number;
  /** Seeds with a result by x (the band is over these). */
  readonly seeds: number;
}

/**
 * Best so far per method against time or GPU-hours: a line for the median over seeds
 * and a shaded band for its interval, one colour per method (one area and one line mark
 * per method in the SVG).
 */
export function bestSoFarBandSpec(rows: readonly BandRow[], x: "time" | "gpuHours", metric: string, xTitle: string, interval: string): FigureSpec {
  const color = { field: "method", type: "nominal" as const, title: "method" };
  return {
    id: x === "time" ? "compare-best-vs-time" : "compare-best-vs-gpu-hours",
    title: `Best ${metric} so far vs ${xTitle}: median over seeds (line), ${interval} (band)`,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      width: WIDTH,
      height: HEIGHT,
      data: { values: rows as object[] },
      encoding: { x: { field: "x", type: "quantitative", title: xTitle } },
      layer: [
        {
          mark: { type: "area", opacity: 0.18, interpolate: "step-after" },
          encoding: { y: { field: "low", type: "quantitative", title: `best ${metric}`, scale: { zero: false } }, y2: { field: "high" }, color },
        },
        {
          mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
          encoding: { y: { field: "median", type: "quantitative", scale: { zero: false } }, color, tooltip: [{ field: "method" }, { field: "x" }, { field: "median" }, { field: "low" }, { field: "high" }, { field: "seeds" }] },
        },
      ],
    },
  };
}

/** Each seed's final best per method (points) and the method's median (a tick). */
export function finalBestSpec(rows: ReadonlyArray<{ method: string; seed: number; value: number }>, metric: string): FigureSpec {
  return {
    id: "compare-final-best",
    title: `Final best ${metric} of each seed (points) and the median over seeds (tick), by method`,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      width: WIDTH,
      height: { step: 26 },
      data: { values: rows as object[] },
      encoding: { y: { field: "method", type: "nominal", title: null } },
      layer: [
        {
          mark: { type: "point", filled: true, size: 45, opacity: 0.7 },
          encoding: { x: { field: "value", type: "quantitative", title: `final best ${metric}`, scale: { zero: false } }, color: { field: "method", type: "nominal", legend: null }, tooltip: [{ field: "seed" }, { field: "value" }] },
        },
        {
          mark: { type: "tick", color: "#222", thickness: 2, size: 18 },
          encoding: { x: { aggregate: "median", field: "value", type: "quantitative" } },
        },
      ],
    },
  };
}
