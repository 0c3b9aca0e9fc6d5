import type { TopLevelSpec } from "vega-lite";

/**
 * Vega-Lite spec -> Vega -> SVG text, headless in Node (no canvas, no browser, no network).
 * vega and vega-lite load on first use: importing TuneLab stays light, and works from
 * CommonJS too (vega's node build has a top-level await that `require` cannot load).
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
