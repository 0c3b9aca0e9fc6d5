export * from "./layout.ts";
export { csvField, csvLine } from "./csv.ts";
export { ExperimentLogger, type ExperimentLoggerOptions } from "./experiment-logger.ts";
export { DurableState, hasSavedState, readSavedState, STATE_FORMAT_VERSION, type ExperimentOrigin, type LoadedState } from "./durable-state.ts";
export { nodeStorageFs, storageError, type StorageFs } from "./storage-fs.ts";
