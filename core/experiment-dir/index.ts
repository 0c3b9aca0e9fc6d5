export * from "./layout.ts";
export { csvField, csvLine } from "./csv.ts";
export { ExperimentLogger, type ExperimentLoggerOptions } from "./experiment-logger.ts";
