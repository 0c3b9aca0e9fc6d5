import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { waitForAnswer } from "../../../benchmarks/lcbench/wait-for-answer.ts";

// A stand-in for the surrogate worker's late notify of an earlier call: once the waiter
// sleeps (ctrl[1] counts it in), notify with the status still 0, then answer 50 ms later.
const STRAY_NOTIFY_THEN_ANSWER = `
const { workerData } = require("node:worker_threads");
const ctrl = new Int32Array(workerData);
while (Atomics.notify(ctrl, 0) === 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
Atomics.store(ctrl, 0, 1);
Atomics.notify(ctrl, 0);
`;

describe("waitForAnswer", () => {
  it("sleeps on through a notify that came with no answer, and returns once the status is set", async () => {
    const buffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
    const ctrl = new Int32Array(buffer);
    const worker = new Worker(STRAY_NOTIFY_THEN_ANSWER, { eval: true, workerData: buffer });
    try {
      // Plain Atomics.wait here would return "ok" at the stray notify with ctrl[0] still 0,
      // which is how an LCBench trial failed with "status 0".
      expect(waitForAnswer(ctrl, 10_000)).toBe("answered");
      expect(Atomics.load(ctrl, 0)).toBe(1);
    } finally {
      await worker.terminate();
    }
  });

  it("times out when no answer comes, even if notified meanwhile", async () => {
    const buffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
    const ctrl = new Int32Array(buffer);
    const worker = new Worker(
      `const { workerData } = require("node:worker_threads"); const c = new Int32Array(workerData);
       while (Atomics.notify(c, 0) === 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);`,
      { eval: true, workerData: buffer },
    );
    try {
      const started = performance.now();
      expect(waitForAnswer(ctrl, 150)).toBe("timed-out");
      expect(performance.now() - started).toBeGreaterThanOrEqual(149);
    } finally {
      await worker.terminate();
    }
  });

  it("returns at once when the answer is already there", () => {
    const ctrl = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(ctrl, 0, 2);
    expect(waitForAnswer(ctrl, 0)).toBe("answered");
  });
});
