import { SavedStateError } from "./contracts/index.ts";
import type { CheckpointRef, Config, Json, Resources, Result } from "./contracts/index.ts";
import type { PendingExploit } from "./exploit-handoff.ts";
import { Trial, type SavedLifecycle } from "./trial.ts";

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

/**
 * Version 2 keeps each trial's whole lifecycle (status x save phase), the
 * pending exploits (ExploitHandoff), the loop's own flags and, when the
 * executor can save itself (the simulator), the executor's state: enough to
 * continue exactly where the experiment was. Version 1 is still read.
 */
export const EXPERIMENT_STATE_VERSION = 2;
const READABLE_VERSIONS = [1, 2];

/** The loop's flags between two events. */
export interface LoopFlags {
  stoppingAll: boolean;
  finished: boolean;
  restartsSinceResult: { preempted: number; failed: number };
  /** Lines the trace had written (so a continued trace numbers on). */
  traceRecords: number;
}

export interface SavedTrial {
  id: string;
  index: number;
  config: Config;
  resources: Resources;
  history: Result[];
  failures: number;
  preemptions: number;
  errorMessage: string | null;
  errorStack: string | null;
  lifecycle: SavedLifecycle;
}

interface SavedExperimentV2 {
  version: 2;
  searcherDone: boolean;
  counters: LoopCounters;
  trials: SavedTrial[];
  handoff: Json;
  loop: LoopFlags;
  searcher: Json;
  scheduler: Json;
  stoppers: Json[];
  retention: Json;
  /** The executor's own state, or null when it cannot save one (then running trials restart, as after a crash). */
  executor: Json;
}

/** Version 1, as TuneLab wrote it before the trial lifecycle and the exploit hand-off were saved whole. */
interface SavedExperimentV1 {
  version: 1;
  searcherDone: boolean;
  counters: Omit<LoopCounters, "checkpointsDiscarded"> & { checkpointsDiscarded?: number };
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
    exploitWait?: { from: string; config: Config } | null;
    errorStack?: string | null;
  }>;
  searcher: Json;
  scheduler: Json;
  stoppers: Json[];
  retention?: Json;
}

/** What the loop hands over to be saved. */
export interface ExperimentSnapshot {
  searcherDone: boolean;
  counters: LoopCounters;
  trials: readonly Trial[];
  /** `ExploitHandoff.save()`. */
  handoff: Json;
  loop: LoopFlags;
  searcher: Json;
  scheduler: Json;
  stoppers: Json[];
  retention: Json;
  executor: Json;
}

/** A saved experiment, read back: fresh trials in their saved lifecycle states. */
export interface ReadExperiment extends Omit<ExperimentSnapshot, "trials" | "handoff" | "loop"> {
  trials: Trial[];
  /** The pending exploits, in the order they are carried out. */
  pendingExploits: PendingExploit[];
  /** Version 1 did not save these: then null. */
  loop: LoopFlags | null;
  handoff: Json | null;
}

/** Plain JSON of an experiment: versioned, so a later format can still read this one. */
export function saveExperiment(snapshot: ExperimentSnapshot): Json {
  const saved: SavedExperimentV2 = {
    version: 2,
    searcherDone: snapshot.searcherDone,
    counters: { ...snapshot.counters },
    trials: snapshot.trials.map((t) => saveTrial(t)),
    handoff: snapshot.handoff,
    loop: { ...snapshot.loop, restartsSinceResult: { ...snapshot.loop.restartsSinceResult } },
    searcher: snapshot.searcher,
    scheduler: snapshot.scheduler,
    stoppers: snapshot.stoppers,
    retention: snapshot.retention,
    executor: snapshot.executor,
  };
  return saved as unknown as Json;
}

/** One trial's saved record (version 2), as `saveExperiment` writes it; the experiment directory's journal writes the changed ones alone, with the results it had not written yet. */
export function saveTrial(t: Trial, historyFrom = 0): SavedTrial {
  return {
    id: t.id,
    index: t.index,
    config: t.config,
    resources: { ...t.resources },
    // From `historyFrom` on: the journal's delta records (the results before it are in an earlier record).
    history: t.history.slice(historyFrom),
    failures: t.failures,
    preemptions: t.preemptions,
    errorMessage: t.errorMessage ?? null,
    errorStack: t.errorStack ?? null,
    lifecycle: t.lifecycle(),
  };
}

/**
 * Rebuilds the trials of a saved experiment, each in the lifecycle state it was
 * saved in (the loop decides what a RUNNING trial becomes: it continues when the
 * executor's state came back too, else it restarts from its latest checkpoint).
 */
export function readExperiment(state: Json): ReadExperiment {
  const version = (state as { version?: unknown } | null)?.version;
  if (state === null || typeof state !== "object" || !READABLE_VERSIONS.includes(version as number)) {
    throw new SavedStateError(
      "experiment state",
      `unknown experiment state version ${String(version)}; this TuneLab reads versions ${READABLE_VERSIONS.join(" and ")} (it writes ${EXPERIMENT_STATE_VERSION})`,
    );
  }
  return version === 1 ? readV1(state as unknown as SavedExperimentV1) : readV2(state as unknown as SavedExperimentV2);
}

function readV2(s: SavedExperimentV2): ReadExperiment {
  const trials = s.trials.map((saved) => {
    const trial = new Trial(saved.id, saved.index, saved.config, saved.resources);
    trial.restoreLifecycle(saved.lifecycle);
    trial.history = saved.history.slice();
    trial.lastResult = trial.history[trial.history.length - 1];
    trial.failures = saved.failures;
    trial.preemptions = saved.preemptions;
    if (saved.errorMessage !== null) trial.errorMessage = saved.errorMessage;
    if (saved.errorStack !== null) trial.errorStack = saved.errorStack;
    return trial;
  });
  const pending = (s.handoff as { pending?: PendingExploit[] } | null)?.pending ?? [];
  return {
    searcherDone: s.searcherDone,
    counters: { ...s.counters },
    trials,
    pendingExploits: pending.map((p) => ({ ...p })),
    handoff: s.handoff,
    loop: s.loop,
    searcher: s.searcher,
    scheduler: s.scheduler,
    stoppers: s.stoppers,
    retention: s.retention ?? null,
    executor: s.executor ?? null,
  };
}

function readV1(s: SavedExperimentV1): ReadExperiment {
  const pendingExploits: PendingExploit[] = [];
  const trials = s.trials.map((saved) => {
    const trial = new Trial(saved.id, saved.index, saved.config, saved.resources);
    // Version 1 kept no save phase: a RUNNING trial's actor and its save in flight are gone with the driver.
    trial.restoreLifecycle({
      status: saved.status,
      phase: "none",
      latestCheckpoint: saved.latestCheckpoint ?? null,
      historyAtCheckpoint: saved.historyAtCheckpoint,
      restoreFrom: null,
      saveRequested: false,
    });
    trial.history = saved.history.slice();
    trial.lastResult = trial.history[trial.history.length - 1];
    trial.failures = saved.failures;
    trial.preemptions = saved.preemptions;
    if (saved.errorMessage !== null) trial.errorMessage = saved.errorMessage;
    if (typeof saved.errorStack === "string") trial.errorStack = saved.errorStack;
    if (saved.exploitWait) pendingExploits.push({ recipient: saved.id, donor: saved.exploitWait.from, config: saved.exploitWait.config });
    return trial;
  });
  return {
    searcherDone: s.searcherDone,
    counters: { ...s.counters, checkpointsDiscarded: s.counters.checkpointsDiscarded ?? 0 },
    trials,
    pendingExploits,
    handoff: null,
    loop: null,
    searcher: s.searcher,
    scheduler: s.scheduler,
    stoppers: s.stoppers,
    retention: s.retention ?? null,
    executor: null,
  };
}
