export { buildReport, buildComparisonReport, decisionRows, type Report, type RenderedFigure, type ReportTable, type ComparisonInput } from "./build-report.ts";
export type { BandRow } from "./comparison-specs.ts";
export { reportHtml } from "./report-html.ts";
export { renderSvg } from "./render-svg.ts";
export type { FigureSpec } from "./figure-specs.ts";
