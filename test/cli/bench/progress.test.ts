import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { GridProgress, gridProgressFor, renderGridLine, renderGridLive } from "../../../cli/bench/progress.ts";
import { runGrid } from "../../../cli/bench/run-grid.ts";
import { registerSuite, type SuiteDefinition } from "../../../benchmarks/suites/index.ts";

/** A stream that says whether it is a terminal and keeps what is written. */
function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream & { text: () => string };
  Object.assign(stream, { isTTY, columns: 120, rows: 40, text: () => chunks.join("") });
  return stream;
}

/** A clock that moves `stepMs` each time it is read. */
const steppingClock = (stepMs: number) => {
  let t = 0;
  return () => (t += stepMs);
};

describe("bench progress", () => {
  it("shows cells done of the total, running, failed, rate and ETA", () => {
    const snapshot = { label: "bench s", total: 40, done: 12, skipped: 2, failed: 1, running: 8, elapsedSeconds: 62, cellsPerSecond: 10 / 62, etaSeconds: 28 * 6.2 };
    expect(renderGridLive(snapshot)).toBe("bench s  12/40 cells  running 8  failed 1  2 already done\n1m02s elapsed  0.16 cells/s  eta 2m54s");
    expect(renderGridLine(snapshot)).toBe("bench s: 12/40 cells, 8 running, 2 already done, 1 failed, 0.16 cells/s, 1m02s elapsed, eta 2m54s");
    expect(renderGridLine(snapshot, true)).toBe("bench s: 12/40 cells, 2 already done, 1 failed, 0.16 cells/s, 1m02s elapsed");
  });

  it("the ETA is this run's rate applied to the cells left (cells already done do not count as speed)", () => {
    const progress = new GridProgress("g", 10, 4, { stream: fakeStream(false), now: steppingClock(1000), timer: false });
    progress.tick(true); // clock: started 1000, tick 2000
    progress.tick(true); // 3000
    const s = progress.snapshot(5000); // 4 s elapsed, 2 cells: 0.5 cells/s, 4 left
    expect(s.done).toBe(6);
    expect(s.cellsPerSecond).toBe(0.5);
    expect(s.etaSeconds).toBe(8);
  });

  it("on a terminal: redrawn in place by log-update, at most twice a second, the last frame kept", () => {
    const stream = fakeStream(true);
    const progress = new GridProgress("bench t", 100, 0, { stream, now: steppingClock(100), running: () => 3, timer: false });
    for (let i = 0; i < 50; i++) progress.tick(i % 10 !== 0);
    progress.finish();
    const text = stream.text();
    // One frame on start, then one per 500 ms of a clock that moves 100 ms a read: about 10 for 50 ticks, plus the last.
    expect(progress.draws).toBeGreaterThanOrEqual(9);
    expect(progress.draws).toBeLessThanOrEqual(13);
    expect(text).toContain("\u001b["); // rewritten in place (log-update's erase sequences)
    expect(text).toContain("bench t  50/100 cells  running 3  failed 5");
    expect(text).toMatch(/eta \d/);
  });

  it("off a terminal, auto is a plain line every N seconds (a short grid stays silent); --no-progress turns it off everywhere", () => {
    const short = fakeStream(false);
    const quick = gridProgressFor("auto", "g", 4, 0, { stream: short, timer: false });
    for (let i = 0; i < 4; i++) quick?.tick(true);
    quick?.finish();
    expect(short.text()).toBe("");
    const long = fakeStream(false);
    const slow = gridProgressFor(undefined, "g", 4, 0, { stream: long, now: steppingClock(4000), lineEverySeconds: 5, timer: false });
    for (let i = 0; i < 4; i++) slow?.tick(true);
    slow?.finish();
    expect(long.text().trim().split("\n")).toEqual([expect.stringMatching(/^g: 2\/4 cells/), expect.stringMatching(/^g: 4\/4 cells/), expect.stringMatching(/^g: 4\/4 cells, /)]);
    expect(long.text()).not.toContain("\u001b[");
    expect(gridProgressFor(false, "g", 4, 0, { stream: fakeStream(true), timer: false })).toBeUndefined();
    const live = gridProgressFor("auto", "g", 4, 0, { stream: fakeStream(true), timer: false });
    expect(live).toBeInstanceOf(GridProgress);
    live?.finish();
    const stream = fakeStream(false);
    const forced = gridProgressFor(true, "g", 4, 0, { stream, now: steppingClock(4000), lineEverySeconds: 5, timer: false });
    for (let i = 0; i < 4; i++) forced?.tick(true);
    forced?.finish();
    const lines = stream.text().trim().split("\n");
    expect(lines).toEqual([expect.stringMatching(/^g: 2\/4 cells, [\d.]+ cells\/s/), expect.stringMatching(/^g: 4\/4 cells, [\d.]+ cells\/s/), expect.stringMatching(/^g: 4\/4 cells, /)]);
    expect(stream.text()).not.toContain("\u001b[");
  });

  it("a pooled grid reports on the stream it is given, counting running cells from the pool", async () => {
    const suite: SuiteDefinition = { name: "progress-tiny", description: "one cheap benchmark", benchmarks: ["branin"], gpus: 4, budget: { seconds: 30 }, seeds: 2, methods: ["random:fifo"], targetRegret: 0.1, maxIterations: 10 };
    registerSuite(suite);
    const stream = fakeStream(true);
    await runGrid({ suite, methods: ["random:fifo", "random:asha"], seeds: 2, out: mkdtempSync(join(tmpdir(), "tunelab-bench-")), threads: 2, progress: true, progressStream: stream });
    const text = stream.text();
    expect(text).toContain("bench progress-tiny  0/4 cells  running");
    expect(text).toContain("bench progress-tiny  4/4 cells  running 0");
  }, 60_000);
});
