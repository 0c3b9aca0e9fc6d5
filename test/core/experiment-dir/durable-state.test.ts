import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SavedStateError, type Json } from "../../../core/contracts/index.ts";
import { DurableState, EXPERIMENT_STATE_FILE, readSavedState } from "../../../core/experiment-dir/index.ts";

const origin = { kind: "code", trainable: "object" } as const;
const tmp = () => mkdtempSync(join(tmpdir(), "tunelab-state-"));

/** A loop.save()-shaped state: `n` trials, trial k with `k + step` results. */
function saved(n: number, step: number, version = 1): Json {
  const trials = Array.from({ length: n }, (_, index) => ({
    id: `t${String(index).padStart(5, "0")}`,
    index,
    status: "RUNNING",
    config: { x: index },
    history: Array.from({ length: index + step }, (_, i) => ({ iteration: i + 1 })),
    latestCheckpoint: null,
    historyAtCheckpoint: 0,
    failures: 0,
    preemptions: 0,
    errorMessage: null,
  }));
  return { version, searcherDone: false, counters: { results: step }, trials, searcher: { step }, scheduler: null, stoppers: [] } as unknown as Json;
}

const journalOf = (dir: string) => join(dir, (JSON.parse(readFileSync(join(dir, EXPERIMENT_STATE_FILE), "utf8")) as { journal: string }).journal);

describe("DurableState: a journal of commits named by experiment_state.json", () => {
  it("reads back the last commit, writes only changed trials, and ignores a torn last line", () => {
    const dir = tmp();
    const state = new DurableState(dir, origin);
    const once = saved(3, 1);
    state.write(once);
    state.write(once); // the loop's own objects, unchanged: a commit without trials
    state.write(saved(4, 2));
    const lines = readFileSync(journalOf(dir), "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as { trials: unknown[] });
    expect(lines.map((l) => l.trials.length)).toEqual([3, 0, 4]);
    appendFileSync(journalOf(dir), '{"trials":[{"id":"t0'); // a driver killed mid-append
    const read = readSavedState(dir);
    expect(read.loop).toEqual(JSON.parse(JSON.stringify(saved(4, 2))));
    expect(read.origin).toEqual(origin);
  });

  it("a damaged committed line is a SavedStateError naming the journal and the line", () => {
    const dir = tmp();
    const state = new DurableState(dir, origin);
    state.write(saved(2, 1));
    state.write(saved(2, 2));
    const journal = journalOf(dir);
    const [first, second] = readFileSync(journal, "utf8").trimEnd().split("\n");
    writeFileSync(journal, `${first?.slice(0, 10)}\n${second}\n`);
    expect(() => readSavedState(dir)).toThrow(SavedStateError);
    expect(() => readSavedState(dir)).toThrow(`${journal}:1: a committed line is not JSON`);
  });

  it("compacts into a new generation that experiment_state.json names, and deletes the old one", () => {
    const dir = tmp();
    const state = new DurableState(dir, origin, undefined, undefined, 0);
    const first = journalOf(dir);
    for (let step = 1; step <= 12; step++) state.write(saved(5, step));
    const now = journalOf(dir);
    expect(now).not.toBe(first);
    expect(existsSync(first)).toBe(false);
    expect(readSavedState(dir).loop).toEqual(JSON.parse(JSON.stringify(saved(5, 12))));
  });

  it("a resumed writer starts a new generation with every trial, and switches to it at its first commit", () => {
    const dir = tmp();
    new DurableState(dir, origin).write(saved(3, 1));
    const loaded = readSavedState(dir);
    const before = journalOf(dir);
    const resumed = new DurableState(dir, origin, undefined, loaded);
    expect(journalOf(dir)).toBe(before); // until it commits, a resume still reads the old journal
    resumed.write(saved(3, 2));
    expect(journalOf(dir)).not.toBe(before);
    expect(existsSync(before)).toBe(false);
    expect(readSavedState(dir).loop).toEqual(JSON.parse(JSON.stringify(saved(3, 2))));
  });
});
