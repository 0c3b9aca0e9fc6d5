import { describe, expect, it } from "vitest";
import { ContractError } from "../../core/contracts/index.ts";
import { LIFECYCLE, Trial, TRANSITIONS, trialIdFor, trialIndexOf, type LifecycleState, type Transition } from "../../core/trial.ts";

const ck = (iteration: number, trialId = "t00000") => ({ trialId, iteration, timeTotal: iteration, handle: `/ck/${trialId}/${iteration}` });
const result = (iteration: number) => ({ trialId: "t00000", iteration, metrics: { loss: 1 / iteration }, time: iteration, timeTotal: iteration });

/** A trial brought to `state` through the table's own transitions. */
function trialIn(state: LifecycleState): Trial {
  const t = new Trial("t00000", 0, { lr: 0.1 }, { cpu: 1, gpu: 0 });
  const [status, phase] = state.split("/") as [string, string];
  if (status === "RUNNING" || status === "PAUSED" || status === "TERMINATED" || status === "ERROR") t.start();
  if (status === "PAUSED") t.pause();
  if (status === "TERMINATED") t.end();
  if (status === "ERROR") t.fail(false, "boom", undefined);
  if (phase.startsWith("saving-then-")) t.beginSave(phase.slice("saving-then-".length) as never);
  if (phase === "waiting-for-donor") t.awaitDonor();
  expect(t.state).toBe(state);
  return t;
}

const ALL_STATES = Object.entries(LIFECYCLE).flatMap(([status, phases]) => phases.map((p) => `${status}/${p}` as LifecycleState));

/** Calls one transition with harmless arguments. */
function fire(t: Trial, transition: Transition): void {
  switch (transition) {
    case "beginSave":
      return t.beginSave("continue");
    case "saveLanded":
      void t.saveLanded(ck(1));
      return;
    case "fail":
      return t.fail(true, "lost", undefined);
    case "start":
      void t.start();
      return;
    default:
      return t[transition]();
  }
}

describe("the trial lifecycle table", () => {
  it("every transition is legal exactly from the states the table names, and a ContractError elsewhere", () => {
    for (const [transition, { from }] of Object.entries(TRANSITIONS) as Array<[Transition, { from: readonly string[] }]>) {
      for (const state of ALL_STATES) {
        const allowed = from.includes(state) || from.includes(`${state.split("/")[0]}/*`);
        const t = trialIn(state);
        if (allowed) {
          expect(() => fire(t, transition), `${transition} from ${state}`).not.toThrow();
          expect(LIFECYCLE[t.status], `${transition} from ${state} leads into the table`).toContain(t.phase);
        } else {
          expect(() => fire(t, transition), `${transition} from ${state}`).toThrow(ContractError);
          expect(t.state, "a refused transition changes nothing").toBe(state);
        }
      }
    }
  });

  it("a save: begin, (the whole experiment stops), land: the checkpoint is adopted and what was to follow comes back", () => {
    const t = trialIn("RUNNING/none");
    t.history.push(result(1), result(2));
    t.requestSave();
    t.beginSave("pause");
    expect(t.savePending).toBe(true);
    expect(t.saveRequested, "the save meets the request").toBe(false);
    t.stopAfterSave();
    expect(t.saveLanded(ck(2))).toBe("stop");
    expect(t.state).toBe("RUNNING/none");
    expect(t.latestCheckpoint?.iteration).toBe(2);
    expect(t.historyAtCheckpoint).toBe(2);
    expect(() => t.saveLanded(ck(3))).toThrow("Trial t00000.saveLanded: not allowed in RUNNING/none");
  });

  it("pause and failure set the checkpoint the next start restores; start hands it over once", () => {
    const t = trialIn("RUNNING/none");
    t.adoptCheckpoint(ck(4));
    t.pause();
    expect(t.restoreFrom?.iteration).toBe(4);
    expect(t.start()?.iteration).toBe(4);
    expect(t.restoreFrom).toBeUndefined();
    t.beginSave("continue");
    t.fail(true, "preempted", undefined);
    expect(t.state).toBe("PENDING/none");
    expect(t.restoreFrom?.iteration).toBe(4);
    t.start();
    t.fail(false, "boom", "stack");
    expect(t.state).toBe("ERROR/none");
    expect(t.errorMessage).toBe("boom");
    expect(() => t.requestSave()).toThrow(ContractError);
  });

  it("an exploit of a waiting trial: it takes the donor's checkpoint and config and starts from it", () => {
    const t = trialIn("PAUSED/none");
    t.awaitDonor();
    expect(t.waitingForDonor).toBe(true);
    expect(() => t.start(), "a trial waiting for a donor is no candidate").toThrow(ContractError);
    t.donorSettled();
    t.takeCheckpoint(ck(7, "t00003"), { lr: 0.2 });
    expect(t.config).toEqual({ lr: 0.2 });
    expect(t.start()).toEqual(ck(7, "t00003"));
  });

  it("a driver crash: running and waiting trials restart from their latest checkpoint", () => {
    const t = trialIn("RUNNING/saving-then-exploit");
    t.adoptCheckpoint(ck(3));
    t.resumeAfterCrash();
    expect(t.state).toBe("PENDING/none");
    expect(t.restoreFrom?.iteration).toBe(3);
    expect(() => trialIn("TERMINATED/none").resumeAfterCrash()).toThrow(ContractError);
  });

  it("saved lifecycles come back only as states of the table", () => {
    const t = trialIn("RUNNING/saving-then-pause");
    t.requestSave();
    const back = new Trial("t00000", 0, {}, { cpu: 1, gpu: 0 });
    back.restoreLifecycle(JSON.parse(JSON.stringify(t.lifecycle())));
    expect(back.state).toBe("RUNNING/saving-then-pause");
    expect(back.saveRequested).toBe(true);
    const bad = { ...t.lifecycle(), status: "PAUSED" as const };
    expect(() => new Trial("t1", 1, {}, { cpu: 1, gpu: 0 }).restoreLifecycle(bad)).toThrow("Trial t1.restoreLifecycle: PAUSED/saving-then-pause is not a state of the trial lifecycle");
  });
});

describe("trialIndexOf", () => {
  it("reads back the index trialIdFor wrote, and -1 for any other id", () => {
    for (const index of [0, 7, 99_999, 100_000, 1_234_567]) expect(trialIndexOf(trialIdFor(index))).toBe(index);
    for (const id of ["", "t", "t0001", "x00001", "t0000a", "t-0001", "T00001", "t00001 ", "t12345678901234567"]) expect(trialIndexOf(id)).toBe(-1);
  });
});
