import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ProgressDisplay, progressFor } from "../../../core/progress/index.ts";
import { simulate } from "../../../simulator/index.ts";
import { countingObjective, countingSpace } from "../../_helpers/objectives.ts";

/** A stream that says it is a terminal and keeps what is written. */
function fakeTty(isTTY = true): NodeJS.WriteStream & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream & { text: () => string };
  Object.assign(stream, { isTTY, columns: 120, rows: 40, text: () => chunks.join("") });
  return stream;
}

/** A wall clock that advances `stepMs` per reading: each result is `stepMs` later. */
function steppingClock(stepMs: number): () => number {
  let t = 0;
  return () => (t += stepMs);
}

const run = (display: ProgressDisplay) =>
  simulate({ objective: countingObjective, space: countingSpace, metric: "loss", mode: "min", trials: 10, maxIterations: 20, seed: 1, cluster: { gpus: 2 }, callbacks: [display] });

describe("ProgressDisplay", () => {
  it("redraws the live table at most twice a second of wall time", () => {
    const stream = fakeTty();
    // 200 results, 100 ms apart: 20 s of wall time, so at most 40 frames (+1 final).
    const display = new ProgressDisplay({ stream, now: steppingClock(100) });
    const sim = run(display);
    expect(sim.summary.results).toBe(200);
    expect(display.draws).toBeGreaterThan(10);
    expect(display.draws).toBeLessThanOrEqual(20 * 2 + 1);
    const text = stream.text();
    expect(text).toContain("terminated 10");
    expect(text).toMatch(/best loss \(min\) [\d.]+ {2}t\d{5} @ iteration \d+/);
    expect(text).toContain("results/s");
    expect(text).toMatch(/eta \d/); // the trial budget is known
    // log-update rewrites in place: it moves the cursor up and erases lines.
    expect(text).toContain("\u001b[");
  });

  it("draws nothing for a run shorter than one redraw interval", () => {
    const stream = fakeTty();
    const display = new ProgressDisplay({ stream, now: () => 0 });
    run(display);
    expect(display.draws).toBe(0);
    expect(stream.text()).toBe("");
  });

  it("off a terminal writes one plain line every N seconds, no escape codes", () => {
    const stream = fakeTty(false);
    const display = new ProgressDisplay({ stream, now: steppingClock(100), lineEverySeconds: 5 });
    run(display);
    const lines = stream.text().trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.length).toBeLessThanOrEqual(5);
    for (const line of lines) expect(line).toMatch(/^tunelab: \S+ trials=\d+ running=\d+ done=\d+ error=0 results=\d+ best loss=/);
    expect(stream.text()).not.toContain("\u001b[");
  });

  it("progressFor: auto and true everywhere (lines off a terminal), false never", () => {
    expect(progressFor("auto", fakeTty(false))).toBeInstanceOf(ProgressDisplay);
    expect(progressFor("auto", fakeTty(true))).toBeInstanceOf(ProgressDisplay);
    expect(progressFor(true, fakeTty(false))).toBeInstanceOf(ProgressDisplay);
    expect(progressFor(false, fakeTty(true))).toBeUndefined();
  });
});
