import { SavedStateError } from "./contracts/index.ts";
import type { CheckpointRef, Config, Json, Resources, Result } from "./contracts/index.ts";
import { Trial } from "./trial.ts";

/** Counters of work the loop threw away and re-did. */
export interface LoopCounters {
  results: number;
  /** Results reported and later dropped because the trial restored from an older checkpoint. */
  redoneIterations: number;
  failures: number;
  preemptedTrials: number;
  checkpoints: number;
  /** Checkpoints discarded by the retention policy (`keepCheckpoints`). */
  checkpointsDiscarded: number;
}

const SAVE_VERSION = 1;

interface SavedExperiment {
  version: number;
  searcherDone: boolean;
  counters: LoopCounters;
  trials: Array<{
    id: string;
    index: number;
    status: Trial["status"];
    config: Config;
    resources: Resources;
    history: Result[];
    latestCheckpoint: CheckpointRef | null;
    historyAtCheckpoint: number;
    failures: number;
    preemptions: number;
    errorMessage: string | null;
    /** A PBT exploit waiting for its donor's save (absent in states saved before it was kept). */
    exploitWait?: { from: string; config: Config } | null;
    /** Absent in states saved before it existed. */
    errorStack?: string | null;
  }>;
  searcher: Json;
  scheduler: Json;
  stoppers: Json[];
  /** The checkpoints each trial keeps under `keepCheckpoints` (absent in states saved before retention existed). */
  retention?: Json;
}

/** What the loop hands over to be saved. */
export interface ExperimentSnapshot {
  searcherDone: boolean;
  counters: LoopCounters;
  trials: readonly Trial[];
  searcher: Json;
  scheduler: Json;
  stoppers: Json[];
  retention: Json;
}

/** Plain JSON of an experiment: versioned, so a later format can still read this one. */
export function saveExperiment(snapshot: ExperimentSnapshot): Json {
  return {
    version: SAVE_VERSION,
    searcherDone: snapshot.searcherDone,
    counters: { ...snapshot.counters },
    trials: snapshot.trials.map((t) => ({
      id: t.id,
      index: t.index,
      status: t.status,
      config: t.config as Json,
      resources: { ...t.resources },
      history: t.history as unknown as Json,
      latestCheckpoint: (t.latestCheckpoint ?? null) as Json,
      historyAtCheckpoint: t.historyAtCheckpoint,
      failures: t.failures,
      preemptions: t.preemptions,
      errorMessage: t.errorMessage ?? null,
      exploitWait: (t.exploitWait ?? null) as Json,
      errorStack: t.errorStack ?? null,
    })),
    searcher: snapshot.searcher,
    scheduler: snapshot.scheduler,
    stoppers: snapshot.stoppers,
    retention: snapshot.retention,
  } as Json;
}

/**
 * Rebuilds the trials of a saved experiment. A trial that was RUNNING comes
 * back PENDING (its actor is gone with the driver); the loop restarts it from
 * its latest checkpoint.
 */
export function readExperiment(state: Json): Omit<ExperimentSnapshot, "trials"> & { trials: Trial[] } {
  const s = state as unknown as SavedExperiment;
  if (s === null || typeof s !== "object" || s.version !== SAVE_VERSION) {
    throw new SavedStateError("experiment state", `unknown experiment state version ${String((s as { version?: unknown } | null)?.version)}`);
  }
  const trials = s.trials.map((saved) => {
    const trial = new Trial(saved.id, saved.index, saved.config, saved.resources);
    trial.history = saved.history.slice();
    trial.lastResult = trial.history[trial.history.length - 1];
    trial.latestCheckpoint = saved.latestCheckpoint ?? undefined;
    trial.historyAtCheckpoint = saved.historyAtCheckpoint;
    trial.failures = saved.failures;
    trial.preemptions = saved.preemptions;
    if (saved.errorMessage !== null) trial.errorMessage = saved.errorMessage;
    if (saved.exploitWait) trial.exploitWait = saved.exploitWait;
    if (typeof saved.errorStack === "string") trial.errorStack = saved.errorStack;
    trial.status = saved.status === "RUNNING" ? "PENDING" : saved.status;
    return trial;
  });
  return {
    searcherDone: s.searcherDone,
    counters: { ...s.counters, checkpointsDiscarded: s.counters.checkpointsDiscarded ?? 0 },
    trials,
    searcher: s.searcher,
    scheduler: s.scheduler,
    stoppers: s.stoppers,
    retention: s.retention ?? null,
  };
}
