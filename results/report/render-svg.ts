import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** Vega-Lite spec -> Vega -> SVG text, headless in Node (no canvas, no browser, no network). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vegaSpec = compile(spec).spec;
  const view = new View(parse(vegaSpec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
