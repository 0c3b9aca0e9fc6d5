// `tunelab compare --report`: methods compared over seeds, from their experiment directories.
export { comparisonReport, writeComparisonReport, type MethodDirs } from "./write-comparison-report.ts";
export { bestSoFarBands, finalBestRows, methodSummaries, type MethodRuns, type MethodSummary, type BandPoint } from "./comparison-data.ts";
