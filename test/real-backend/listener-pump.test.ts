import { afterEach, describe, expect, it, vi } from "vitest";
import type { ExecutorListener } from "../../core/contracts/index.ts";
import { DeadlockError } from "../../core/contracts/index.ts";
import { ListenerPump, type StarvationRule } from "../../real-backend/listener-pump.ts";

const deadlock = (waitSeconds: number): StarvationRule => ({ waitSeconds, error: () => new DeadlockError("starved") });

/** A listener whose calls are recorded; `onResult` runs `onResult` (to throw, or to finish the run). */
function recordingListener(calls: string[], onResult: () => void = () => undefined): ExecutorListener {
  return {
    onResult: (r) => {
      calls.push(`result ${r.trialId}`);
      onResult();
    },
    onCheckpointed: () => calls.push("checkpointed"),
    onFailed: (id) => calls.push(`failed ${id}`),
    onNodeAdded: () => undefined,
    onNodeLost: () => undefined,
    onPreemptionNotice: () => undefined,
    onClockTick: () => calls.push("tick"),
  };
}

const result = (trialId: string) => ({ trialId, iteration: 1, metrics: {}, time: 0, timeTotal: 0 });

describe("ListenerPump", () => {
  afterEach(() => vi.useRealTimers());

  it("resolves at the event after which the loop is finished, having delivered every event", async () => {
    const calls: string[] = [];
    let busy = 2;
    let finished = false;
    const pump = new ListenerPump({ busy: () => busy, starvation: deadlock(0) });
    pump.setListener(recordingListener(calls));
    const running = pump.run(() => finished);
    busy = 1;
    pump.deliver((l) => l.onResult(result("a")));
    busy = 0;
    finished = true;
    pump.deliver((l) => l.onResult(result("b")));
    await expect(running).resolves.toBeUndefined();
    expect(calls).toEqual(["result a", "result b"]);
  });

  it("an error the loop throws ends the run with that error (the first one), after the other events are still delivered", async () => {
    const calls: string[] = [];
    const pump = new ListenerPump({ busy: () => 1, starvation: deadlock(0) });
    let n = 0;
    pump.setListener(recordingListener(calls, () => {
      throw new Error(`loop broke ${++n}`);
    }));
    // Thrown before run(): kept, and the run ends with it at once.
    pump.deliver((l) => l.onResult(result("a")));
    pump.deliver((l) => l.onResult(result("b")));
    await expect(pump.run(() => false)).rejects.toThrow("loop broke 1");
    expect(calls).toEqual(["result a", "result b"]);
  });

  it("starvation rule 0: with nothing busy after an event, a deadlock at once (one machine)", async () => {
    let busy = 1;
    const pump = new ListenerPump({ busy: () => busy, starvation: deadlock(0) });
    pump.setListener(recordingListener([]));
    const running = pump.run(() => false);
    busy = 0;
    pump.deliver((l) => l.onFailed("a", false, "x"));
    await expect(running).rejects.toBeInstanceOf(DeadlockError);
  });

  it("a run that starts with nothing busy and unfinished is starved from the start, not hung", async () => {
    const pump = new ListenerPump({ busy: () => 0, starvation: deadlock(0) });
    await expect(pump.run(() => false)).rejects.toThrow("starved");
  });

  it("starvation rule N: waits N seconds for something to run again (a worker joins), then fails with the rule's error", async () => {
    vi.useFakeTimers();
    let busy = 0;
    const pump = new ListenerPump({ busy: () => busy, starvation: deadlock(5) });
    pump.setListener(recordingListener([]));
    const running = pump.run(() => false);
    let outcome: unknown = "pending";
    running.then(() => (outcome = "resolved"), (error: unknown) => (outcome = error));
    await vi.advanceTimersByTimeAsync(4000);
    expect(outcome).toBe("pending");
    // Work came back before the wait ran out: the wait is cancelled...
    busy = 1;
    pump.deliver((l) => l.onNodeAdded("w2"));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(outcome).toBe("pending");
    // ...and starts afresh the next time nothing is busy.
    busy = 0;
    pump.deliver((l) => l.onFailed("a", true, "worker lost"));
    await vi.advanceTimersByTimeAsync(4900);
    expect(outcome).toBe("pending");
    await vi.advanceTimersByTimeAsync(200);
    expect(outcome).toBeInstanceOf(DeadlockError);
  });

  it("ticks the loop's clock every tickMs while the run lasts, and stops ticking when it ends", async () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    let finished = false;
    const pump = new ListenerPump({ busy: () => 1, starvation: deadlock(0), tickMs: 1000 });
    pump.setListener(recordingListener(calls));
    const running = pump.run(() => finished);
    await vi.advanceTimersByTimeAsync(3500);
    expect(calls).toEqual(["tick", "tick", "tick"]);
    // A stopper acting on a tick ends the run.
    finished = true;
    await vi.advanceTimersByTimeAsync(1000);
    await expect(running).resolves.toBeUndefined();
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(4);
  });

  it("refuses a starvation wait that is negative or not finite", () => {
    expect(() => new ListenerPump({ busy: () => 0, starvation: deadlock(-1) })).toThrow("starvation.waitSeconds");
    expect(() => new ListenerPump({ busy: () => 0, starvation: deadlock(Number.NaN) })).toThrow("starvation.waitSeconds");
  });
});
