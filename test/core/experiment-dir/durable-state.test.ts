import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SavedStateError, type Json, type Result } from "../../../core/contracts/index.ts";
import { DurableState, EXPERIMENT_STATE_FILE, nodeStorageFs, readSavedState } from "../../../core/experiment-dir/index.ts";
import { Appenders } from "../../../core/experiment-dir/storage-fs.ts";
import { saveTrial } from "../../../core/experiment-state.ts";
import { Trial, trialIdFor } from "../../../core/trial.ts";

const origin = { kind: "code", trainable: "object" } as const;
const tmp = () => mkdtempSync(join(tmpdir(), "tunelab-state-"));

/** The loop's trials, as the journal sees them. */
class Experiment {
  readonly trials: Trial[] = [];
  step = 0;
  /** Bytes of searcher state written whole in every commit (what compaction reclaims). */
  searcherBytes = 0;
  add(n: number): void {
    for (let k = 0; k < n; k++) {
      const index = this.trials.length;
      this.trials.push(new Trial(trialIdFor(index), index, { x: index }, { cpu: 1, gpu: 0 }));
    }
  }
  report(trial: Trial, metric = trial.history.length): void {
    const result: Result = { trialId: trial.id, iteration: trial.history.length + 1, metrics: { loss: metric }, time: this.step++, timeTotal: 1, done: false };
    trial.history.push(result);
    trial.lastResult = result;
  }
  /** `loop.saveWithoutTrials()`-shaped. */
  rest(): Json {
    return { version: 2, searcherDone: false, counters: { results: this.step }, searcher: { step: this.step, table: "x".repeat(this.searcherBytes) }, scheduler: null, stoppers: [], trials: [] } as unknown as Json;
  }
  /** What `loop.save()` would hold: the state a resume must read back. */
  saved(): Json {
    return JSON.parse(JSON.stringify({ ...(this.rest() as object), trials: this.trials.map((t) => saveTrial(t)) })) as Json;
  }
}

const journalOf = (dir: string) => join(dir, (JSON.parse(readFileSync(join(dir, EXPERIMENT_STATE_FILE), "utf8")) as { journal: string }).journal);
const commitsOf = (dir: string) =>
  readFileSync(journalOf(dir), "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as { trials: { index: number; history: unknown[]; historyFrom?: number }[] });

describe("DurableState: a journal of commits named by experiment_state.json", () => {
  it("writes only the trials that changed, each with only its new results; reads back loop.save(); ignores a torn last line", () => {
    const dir = tmp();
    const state = new DurableState(dir, origin);
    const e = new Experiment();
    e.add(3);
    for (const t of e.trials) e.report(t);
    state.commit(e.trials, e.rest());
    state.commit(e.trials, e.rest()); // nothing changed: a commit without trials
    e.add(1);
    e.report(e.trials[1] as Trial);
    e.report(e.trials[1] as Trial);
    state.commit(e.trials, e.rest());
    state.close();
    const commits = commitsOf(dir);
    expect(commits.map((c) => c.trials.map((t) => t.index))).toEqual([[0, 1, 2], [], [1, 3]]);
    // Trial 1's second record holds its two new results only, after the one written before.
    expect(commits[2]?.trials[0]).toMatchObject({ historyFrom: 1 });
    expect(commits[2]?.trials[0]?.history).toHaveLength(2);
    appendFileSync(journalOf(dir), '{"trials":[{"id":"t0'); // a driver killed mid-append
    const read = readSavedState(dir);
    expect(read.loop).toEqual(e.saved());
    expect(read.origin).toEqual(origin);
  });

  it("a trial cut back to re-do results reads back with the results it has now, not the dropped ones", () => {
    const dir = tmp();
    const state = new DurableState(dir, origin);
    const e = new Experiment();
    e.add(2);
    const t = e.trials[0] as Trial;
    for (let k = 0; k < 5; k++) e.report(t);
    state.commit(e.trials, e.rest());
    // A restart from a checkpoint at 2 results: 3 dropped, then re-done with other values.
    t.history.length = 2;
    t.lastResult = t.history[1];
    e.report(t, 100);
    state.commit(e.trials, e.rest());
    e.report(t, 101);
    state.commit(e.trials, e.rest());
    state.close();
    expect(commitsOf(dir)[1]?.trials[0]).toMatchObject({ historyFrom: 2 });
    const read = readSavedState(dir).loop as unknown as { trials: { history: Result[] }[] };
    expect(read.trials[0]?.history.map((r) => r.metrics["loss"])).toEqual([0, 1, 100, 101]);
    expect(read).toEqual(e.saved());
  });

  it("an ended trial is written once more as ended, then never again", () => {
    const dir = tmp();
    const state = new DurableState(dir, origin);
    const e = new Experiment();
    e.add(2);
    const t = e.trials[0] as Trial;
    e.report(t);
    state.commit(e.trials, e.rest());
    t.end();
    state.commit(e.trials, e.rest());
    state.commit(e.trials, e.rest());
    state.close();
    expect(commitsOf(dir).map((c) => c.trials.map((x) => x.index))).toEqual([[0, 1], [0], []]);
    expect(readSavedState(dir).loop).toEqual(e.saved());
  });

  it("a damaged committed line is a SavedStateError naming the journal and the line", () => {
    const dir = tmp();
    const state = new DurableState(dir, origin);
    const e = new Experiment();
    e.add(2);
    state.commit(e.trials, e.rest());
    e.report(e.trials[0] as Trial);
    state.commit(e.trials, e.rest());
    state.close();
    const journal = journalOf(dir);
    const [first, second] = readFileSync(journal, "utf8").trimEnd().split("\n");
    writeFileSync(journal, `${first?.slice(0, 10)}\n${second}\n`);
    expect(() => readSavedState(dir)).toThrow(SavedStateError);
    expect(() => readSavedState(dir)).toThrow(`${journal}:1: a committed line is not JSON`);
  });

  it("a delta record without the earlier results it continues is a SavedStateError naming the line", () => {
    const dir = tmp();
    const state = new DurableState(dir, origin);
    const e = new Experiment();
    e.add(1);
    e.report(e.trials[0] as Trial);
    state.commit(e.trials, e.rest());
    e.report(e.trials[0] as Trial);
    state.commit(e.trials, e.rest());
    state.close();
    const journal = journalOf(dir);
    const [, second] = readFileSync(journal, "utf8").trimEnd().split("\n");
    writeFileSync(journal, `${second}\n`);
    expect(() => readSavedState(dir)).toThrow(`${journal}:1: trial #0 continues from result 1, but its earlier records hold 0`);
  });

  it("compacts into a new generation that experiment_state.json names, and deletes the old one", () => {
    const dir = tmp();
    const state = new DurableState(dir, origin, undefined, undefined, 0);
    const first = journalOf(dir);
    const e = new Experiment();
    e.searcherBytes = 2000;
    e.add(5);
    for (let step = 1; step <= 12; step++) {
      for (const t of e.trials) e.report(t);
      state.commit(e.trials, e.rest());
    }
    state.close();
    const now = journalOf(dir);
    expect(now).not.toBe(first);
    expect(existsSync(first)).toBe(false);
    expect(readSavedState(dir).loop).toEqual(e.saved());
  });

  it("a resumed writer goes on in the same journal, cut back to its last whole commit, and rewrites no result", () => {
    const dir = tmp();
    const e = new Experiment();
    e.add(3);
    for (const t of e.trials) e.report(t);
    (e.trials[2] as Trial).end();
    const writer = new DurableState(dir, origin);
    writer.commit(e.trials, e.rest());
    writer.close();
    const journal = journalOf(dir);
    appendFileSync(journal, '{"trials":[{"id":"t0'); // a driver killed mid-append
    const loaded = readSavedState(dir);
    const resumed = new DurableState(dir, origin, undefined, loaded);
    // The loop restores its trials from the state; the journal takes them as written.
    const restored = (loaded.loop as unknown as { trials: { history: Result[] }[] }).trials;
    e.trials.forEach((t, k) => (t.history = (restored[k] as { history: Result[] }).history.slice()));
    resumed.adopt(e.trials);
    e.report(e.trials[0] as Trial);
    resumed.commit(e.trials, e.rest());
    resumed.close();
    expect(journalOf(dir)).toBe(journal);
    const commits = commitsOf(dir);
    expect(commits).toHaveLength(2);
    // The open trials' heads only (trial 2 ended): trial 0 with its one new result, trial 1 with none.
    expect(commits[1]?.trials.map((t) => [t.index, t.historyFrom, t.history.length])).toEqual([
      [0, 1, 1],
      [1, 1, 0],
    ]);
    expect(readSavedState(dir).loop).toEqual(e.saved());
  });

  it("a state of an older format resumes into a new generation with every trial whole, named at its first commit", () => {
    const dir = tmp();
    const e = new Experiment();
    e.add(2);
    e.report(e.trials[1] as Trial);
    const { trials, ...loop } = e.saved() as unknown as { trials: unknown[] } & Record<string, Json>;
    writeFileSync(join(dir, "experiment_state.trials.000001.jsonl"), JSON.stringify({ trials, trialCount: 2, ended: false, loop }) + "\n");
    writeFileSync(join(dir, EXPERIMENT_STATE_FILE), JSON.stringify({ format: "tunelab-experiment-state", version: 1, origin, journal: "experiment_state.trials.000001.jsonl" }));
    const before = journalOf(dir);
    const resumed = new DurableState(dir, origin, undefined, readSavedState(dir));
    resumed.adopt(e.trials);
    expect(journalOf(dir)).toBe(before); // until it commits, a resume still reads the old journal
    e.report(e.trials[0] as Trial);
    resumed.commit(e.trials, e.rest());
    resumed.close();
    expect(journalOf(dir)).not.toBe(before);
    expect(existsSync(before)).toBe(false);
    expect(commitsOf(dir)[0]?.trials.every((t) => t.historyFrom === undefined)).toBe(true);
    expect(readSavedState(dir).loop).toEqual(e.saved());
  });

  it("reads a state written in format version 1 (every record whole)", () => {
    const dir = tmp();
    const e = new Experiment();
    e.add(2);
    e.report(e.trials[1] as Trial);
    const saved = e.saved() as unknown as { trials: unknown[] } & Record<string, Json>;
    const { trials, ...loop } = saved;
    writeFileSync(join(dir, "experiment_state.trials.000001.jsonl"), JSON.stringify({ trials, trialCount: 2, ended: false, loop }) + "\n");
    writeFileSync(
      join(dir, EXPERIMENT_STATE_FILE),
      JSON.stringify({ format: "tunelab-experiment-state", version: 1, origin, journal: "experiment_state.trials.000001.jsonl" }),
    );
    expect(readSavedState(dir).loop).toEqual(e.saved());
  });
});

describe("Appenders", () => {
  it("keeps at most 64 files open, however many it appends to, and each file gets every line in order", () => {
    const dir = tmp();
    const appenders = new Appenders(nodeStorageFs);
    const before = openDescriptors();
    for (let round = 0; round < 3; round++) for (let k = 0; k < 200; k++) appenders.append(join(dir, `f${k}`), `${round}\n`);
    expect(openDescriptors() - before).toBeLessThanOrEqual(64);
    appenders.close();
    expect(openDescriptors()).toBe(before);
    for (let k = 0; k < 200; k++) expect(readFileSync(join(dir, `f${k}`), "utf8")).toBe("0\n1\n2\n");
  });
});

function openDescriptors(): number {
  return readdirSync("/proc/self/fd").length;
}
