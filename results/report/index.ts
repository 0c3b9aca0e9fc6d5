export { buildReport, decisionRows, type Report, type RenderedFigure } from "./build-report.ts";
export { reportHtml } from "./report-html.ts";
export { renderSvg } from "./render-svg.ts";
export type { FigureSpec } from "./figure-specs.ts";
