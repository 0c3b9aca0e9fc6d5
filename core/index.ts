export * from "./contracts/index.ts";
export { Rng, rngFor, restoreRng, streamSeed, type AleaState, type RngState } from "./rng.ts";
export { TuneLoop, trialIdFor, type TuneLoopOptions, type LoopCounters } from "./tune-loop.ts";
export * from "./stoppers/index.ts";
export { bestTrial, scopedValue, countByStatus, type BestTrial, type Scope } from "./summary.ts";
export { EventTrace, memoryTrace, TRACE_EVENT_TYPES, type TraceEventType, type TraceFields } from "./trace.ts";
export * from "./experiment/index.ts";
export { TrialActor, type CheckpointPayload } from "./trial-actor.ts";
