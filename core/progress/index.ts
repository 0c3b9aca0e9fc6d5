export { ProgressDisplay, progressFor, type ProgressOptions, type ProgressStream } from "./progress-display.ts";
export { ProgressState, renderProgress, renderProgressLine, formatDuration, type ProgressSnapshot } from "./progress-state.ts";
