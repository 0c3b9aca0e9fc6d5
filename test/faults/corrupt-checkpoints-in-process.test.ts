import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CheckpointRef, ExecutorListener, Result } from "../../core/contracts/index.ts";
import { choice, grid } from "../../core/space/index.ts";
import { InProcessExecutor } from "../../real-backend/in-process-executor.ts";
import { tune } from "../../real-backend/index.ts";
import type { Trainable } from "../../real-backend/trainable.ts";
import { loadExperiment } from "../../results/index.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "tunelab-faults-"));
const ITERATIONS = Array.from({ length: 12 }, (_, i) => i + 1);

/** Damages checkpoint directories as the fault tests do: a truncated file, no completion marker, no directory, or all of them truncated. */
function damage(how: string, dirs: readonly string[]): void {
  const latest = dirs[dirs.length - 1] as string;
  if (how === "truncate") truncateSync(join(latest, "state.json"), 3);
  else if (how === "marker") rmSync(join(latest, "tunelab_checkpoint.json"));
  else if (how === "delete") rmSync(latest, { recursive: true });
  else if (how === "all") for (const dir of dirs) truncateSync(join(dir, "state.json"), 3);
}

/**
 * `steady` in this process, saving through saveCheckpoint so it knows its directories:
 * the first time a trial reaches step 8 it damages its checkpoints (per config.corrupt) and throws.
 */
function crashing(): Trainable<{ t: number; corrupt: string }> {
  const saved = new Map<string, string[]>();
  const crashed = new Set<string>();
  return {
    name: "steady-crashing",
    init: (config) => ({ t: 0, corrupt: config["corrupt"] as string }),
    step: (state, config) => {
      const t = state.t + 1;
      if (t === 8 && !crashed.has(state.corrupt)) {
        crashed.add(state.corrupt);
        damage(state.corrupt, saved.get(state.corrupt) ?? []);
        throw new Error("crash at step 8");
      }
      return { metrics: { loss: ((config["lr"] as number) - 0.3) ** 2 + 1 / t }, state: { t, corrupt: state.corrupt } };
    },
    saveCheckpoint: (state, dir) => {
      writeFileSync(join(dir, "state.json"), JSON.stringify(state));
      const list = saved.get(state.corrupt) ?? [];
      list.push(dir.replace(/\.tmp$/, ""));
      saved.set(state.corrupt, list);
    },
    loadCheckpoint: (dir) => JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) as { t: number; corrupt: string },
  };
}

let stderr: string[] = [];
const captureStderr = () => {
  stderr = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
};
afterEach(() => vi.restoreAllMocks());

describe("InProcessExecutor: a corrupt checkpoint is never loaded", () => {
  it("its own: back to the previous checkpoint with a warning naming the path; none left: from scratch, one more failure", async () => {
    captureStderr();
    const storagePath = join(tmp(), "exp");
    const corrupt = ["truncate", "marker", "delete", "all"];
    const run = await tune({
      trainable: crashing(),
      space: { corrupt: grid(corrupt), lr: choice([0.5]) },
      metric: "loss",
      mode: "min",
      trials: corrupt.length,
      maxIterations: 12,
      checkpointFrequency: 3,
      maxFailures: -1,
      capacity: { cpu: 4, gpu: 0 },
      storagePath,
      progress: false,
    });
    for (const trial of run.trials) {
      const how = trial.config["corrupt"] as string;
      expect(trial.status, how).toBe("TERMINATED");
      expect(trial.history.map((r) => r.iteration), how).toEqual(ITERATIONS);
      const latest = join(storagePath, trial.id, "checkpoint_000006");
      const warning = stderr.find((line) => line.includes(`trial ${trial.id}: checkpoint ${latest} is unusable`));
      expect(warning, `${how}: ${stderr.join("")}`).toBeDefined();
      if (how === "all") {
        expect(warning).toContain("restarting from scratch");
        expect((trial as unknown as { failures: number }).failures).toBe(2);
      } else {
        expect(warning).toContain(`restarting from the previous checkpoint ${join(storagePath, trial.id, "checkpoint_000003")}`);
        expect((trial as unknown as { failures: number }).failures).toBe(1);
      }
    }
    for (const trial of loadExperiment(storagePath).trials) expect(trial.results.map((r) => r.training_iteration)).toEqual(ITERATIONS);
  });
});

/** Drives InProcessExecutor by hand: `t` counts steps, the config's `k` is added to each loss, so a result shows whose weights and config it ran with. */
describe("InProcessExecutor: a PBT exploit of a corrupt donor checkpoint", () => {
  const counting: Trainable<number> = {
    name: "counting",
    init: () => 0,
    step: (t, config) => ({ metrics: { loss: t + 1 + (config["k"] as number) }, state: t + 1 }),
  };

  /** Runs donor d to 2 (saved), 4 (saved), recipient r to 1; then restores r from d's checkpoint at 4 after `harm`. */
  async function exploit(harm: (older: string, newer: string) => void, answer: (fallback: CheckpointRef | undefined) => CheckpointRef | undefined) {
    const root = tmp();
    const executor = new InProcessExecutor({ trainable: counting, seed: 0, capacity: { cpu: 2, gpu: 0 }, storagePath: root });
    const results: Result[] = [];
    const checkpoints: CheckpointRef[] = [];
    const asked: { fallback: CheckpointRef | undefined; live: boolean | undefined }[] = [];
    let next: (() => void) | undefined;
    const listener: ExecutorListener = {
      onResult: (r) => {
        results.push(r);
        next?.();
      },
      onCheckpointed: (c) => {
        checkpoints.push(c);
        next?.();
      },
      onFailed: (id, _recoverable, reason) => {
        throw new Error(`${id} failed: ${reason}`);
      },
      onNodeAdded: () => {},
      onNodeLost: () => {},
      onPreemptionNotice: () => {},
      onCheckpointUnusable: (_id, _checkpoint, fallback, _reason, live) => {
        asked.push({ fallback, live });
        return answer(fallback);
      },
    };
    executor.setListener(listener);
    const settle = () => new Promise<void>((resolve) => (next = resolve));
    const trial = (id: string, k: number) => ({ id, config: { k }, resources: { cpu: 1, gpu: 0 } }) as never;
    const steps: (() => void)[] = [
      () => executor.start(trial("d", 0)),
      () => executor.continueTrial("d"),
      () => executor.save("d"),
      () => executor.continueTrial("d"),
      () => executor.continueTrial("d"),
      () => executor.save("d"),
      () => executor.start(trial("r", 100)),
    ];
    for (const step of steps) {
      const done = settle();
      step();
      await done;
    }
    const [older, newer] = checkpoints.map((c) => c.handle as string);
    harm(older as string, newer as string);
    const done = settle();
    executor.restore("r", checkpoints[1] as CheckpointRef, { k: 1000 });
    await done;
    executor.stop("d");
    executor.stop("r");
    return { last: results[results.length - 1] as Result, asked, older: older as string, newer: newer as string };
  }

  it("falls back to the donor's previous checkpoint, with a warning naming the damaged path", async () => {
    captureStderr();
    const { last, asked, older, newer } = await exploit(
      (_older, newer) => truncateSync(join(newer, readdirSync(newer).find((f) => f !== "tunelab_checkpoint.json") as string), 0),
      (fallback) => fallback,
    );
    expect(asked).toEqual([{ fallback: expect.objectContaining({ trialId: "d", iteration: 2, handle: older }), live: true }]);
    // d's weights at 2, under the new config: step 3 reports 3 + 1000.
    expect(last).toMatchObject({ trialId: "r", iteration: 3, metrics: { loss: 1003 } });
    expect(stderr.join("")).toContain(`trial r: checkpoint ${newer} is unusable`);
    expect(stderr.join("")).toContain(`restoring d's previous checkpoint ${older} instead`);
  });

  it("with none left, skips the exploit with a warning: the trial goes on with its own weights and config", async () => {
    captureStderr();
    const { last, asked, newer } = await exploit(
      (older, newer) => {
        rmSync(older, { recursive: true });
        rmSync(join(newer, "tunelab_checkpoint.json"));
      },
      () => undefined,
    );
    expect(asked).toEqual([{ fallback: undefined, live: true }]);
    // r's own weights at 1, its own config: step 2 reports 2 + 100.
    expect(last).toMatchObject({ trialId: "r", iteration: 2, metrics: { loss: 102 } });
    expect(stderr.join("")).toContain(`trial r: checkpoint ${newer} is unusable`);
    expect(stderr.join("")).toContain("the exploit of d is skipped");
  });
});
