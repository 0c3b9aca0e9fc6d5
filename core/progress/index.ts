export { ProgressDisplay, progressFor, type ProgressOptions } from "./progress-display.ts";
export { ProgressState, renderProgress, renderProgressLine, formatDuration, type ProgressSnapshot } from "./progress-state.ts";
