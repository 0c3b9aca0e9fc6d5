/** The benchmarks' statistics and table printing, once: every report and script imports them from here. */
export { quantile, median } from "./quantile.ts";
export { mannWhitneyU, type MannWhitneyResult } from "./mann-whitney.ts";
export { wilcoxonSignedRank, type WilcoxonResult } from "./wilcoxon.ts";
export { holmAdjust } from "./holm.ts";
export { averageRanks, meanRanks } from "./ranks.ts";
export { medianInterval, resampledChance } from "./bootstrap.ts";
export { normalUpperTail } from "./normal.ts";
export { fixed, fmt, formatTable, regretText } from "./table.ts";
