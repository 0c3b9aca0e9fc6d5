export { recordedObjective, type RecordedObjective, type RecordedObjectiveOptions, type ReplayState } from "./recorded-objective.ts";
export { readRecording, type Recording, type RecordedCurve } from "./recorded-curves.ts";
export { RecordedConfigSearcher, type RecordedConfigSearcherOptions } from "./recorded-configs-searcher.ts";
export { spaceDistance, rangeNormalisedDistance, type ConfigDistance } from "./config-distance.ts";
export { configKey } from "./config-key.ts";
