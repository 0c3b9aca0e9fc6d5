import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PopulationBasedTraining } from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import { OptionError, type TrialView } from "../../core/contracts/index.ts";
import { uniform } from "../../core/space/index.ts";
import { MaximumIterationStopper } from "../../core/stoppers/index.ts";
import { FileCheckpointStore, META_FILE, STATE_FILE } from "../../real-backend/file-checkpoints.ts";
import { tune, type Trainable } from "../../real-backend/index.ts";

/** Weights that move toward lr's optimum; `origin` records whose weights these are (it travels with an exploit). */
interface Weights {
  w: number;
  origin: string;
}

const learner: Trainable<Weights> = {
  name: "learner",
  init: (config) => ({ w: 0, origin: `lr=${(config["lr"] as number).toFixed(4)}` }),
  step: (state, config) => {
    const lr = config["lr"] as number;
    const w = state.w + 1 - Math.abs(lr - 0.5);
    return { metrics: { score: w }, state: { w, origin: state.origin } };
  },
};

const space = { lr: uniform(0, 1) };

async function pbtRun(storagePath: string | undefined, trainable: Trainable<Weights>, keepCheckpoints?: number) {
  const common = { space, metric: "score", mode: "max" as const, trials: 4, seed: 11 };
  const scheduler = new PopulationBasedTraining({
    metric: "score",
    mode: "max",
    seed: 11,
    timeAttr: "training_iteration",
    perturbationInterval: 2,
    quantileFraction: 0.25,
    hyperparamMutations: { lr: uniform(0, 1) },
  });
  const run = await tune({
    ...common,
    trainable,
    searcher: new RandomSearch(space, common),
    scheduler,
    capacity: { cpu: 4, gpu: 0 },
    stoppers: [new MaximumIterationStopper(12)],
    ...(storagePath !== undefined ? { storagePath } : {}),
    ...(keepCheckpoints !== undefined ? { keepCheckpoints } : {}),
  });
  return { ...run, scheduler };
}

const view = (trials: readonly TrialView[]) => trials.map((t) => ({ id: t.id, status: t.status, config: t.config, scores: t.history.map((r) => r.metrics["score"]) }));

function checkpointDirs(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name === META_FILE)
    .map((e) => relative(root, e.parentPath ?? (e as unknown as { path: string }).path));
}

/** Checkpoint roots made by this file's tests, deleted after each test. */
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function checkpointRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "tunelab-ckpt-"));
  roots.push(root);
  return root;
}

describe("file checkpoints on the real backend", () => {
  it("PBT on disk runs exactly as in memory; exploits load the donor's directory; retention deletes old directories", async () => {
    const root = checkpointRoot();
    const loads: string[] = [];
    const onDisk: Trainable<Weights> = {
      ...learner,
      saveCheckpoint: (state, dir) => writeFileSync(join(dir, "weights.json"), JSON.stringify(state)),
      loadCheckpoint: (dir) => {
        loads.push(relative(root, dir));
        return JSON.parse(readFileSync(join(dir, "weights.json"), "utf8")) as Weights;
      },
    };
    const memory = await pbtRun(undefined, learner);
    const disk = await pbtRun(root, onDisk, 1);
    expect(view(disk.trials)).toEqual(view(memory.trials));
    // Every exploit (no trial failed or paused, so every restore is one) loaded the donor's directory at the donor's iteration.
    const exploits = disk.scheduler.policyLog();
    expect(exploits.length).toBeGreaterThan(0);
    expect(loads).toHaveLength(exploits.length);
    exploits.forEach((e, k) => {
      expect(loads[k]).toMatch(new RegExp(`^${e.donorId}\\${sep}checkpoint_${String(e.donorIteration).padStart(6, "0")}(_\\d+)?$`));
    });
    // Retention: at most one directory per trial is left beyond those another trial still holds.
    const left = checkpointDirs(root);
    expect(left.length).toBe(disk.loop.counters.checkpoints - disk.loop.counters.checkpointsDiscarded);
    expect(disk.loop.counters.checkpointsDiscarded).toBeGreaterThan(0);
    for (const trial of disk.trials) {
      const own = left.filter((dir) => dir.startsWith(trial.id + sep)).length;
      const heldByOthers = disk.trials.filter((o) => o !== trial && o.latestCheckpoint?.trialId === trial.id).length;
      expect(own).toBeLessThanOrEqual(1 + heldByOthers);
    }
    // Every trial's latest checkpoint is a directory that is still there.
    for (const trial of disk.trials) {
      const latest = trial.latestCheckpoint?.handle;
      expect(typeof latest).toBe("string");
      expect(existsSync(join(latest as string, META_FILE))).toBe(true);
    }
  });

  it("an exploit restores the donor's weights from its directory (the clone carries the donor's origin)", async () => {
    const root = checkpointRoot();
    const run = await pbtRun(root, learner);
    // The four trials start with four different origins; read each one's latest checkpoint back from disk:
    // after the exploits, some trial carries weights that started in another trial.
    const carried = run.trials.map((t) => (JSON.parse(readFileSync(join(t.latestCheckpoint?.handle as string, STATE_FILE), "utf8")) as Weights).origin);
    expect(carried).toHaveLength(4);
    expect(new Set(carried).size).toBeLessThan(4);
    expect(run.scheduler.policyLog().length).toBeGreaterThan(0);
  });

  it("refuses a state that is not plain JSON without save/load hooks, naming the way out", async () => {
    const root = checkpointRoot();
    const typed: Trainable<{ w: Float64Array }> = {
      name: "typed",
      init: () => ({ w: new Float64Array(2) }),
      step: (state) => ({ metrics: { score: 1 }, state }),
    };
    const run = await tune({
      trainable: typed,
      space,
      metric: "score",
      mode: "max",
      trials: 1,
      capacity: { cpu: 1, gpu: 0 },
      stoppers: [new MaximumIterationStopper(3)],
      checkpointFrequency: 1,
      storagePath: root,
    });
    expect(run.trials[0]?.status).toBe("ERROR");
    expect(run.trials[0]?.errorMessage).toBe(
      "trainable typed: its state is not plain JSON, so it cannot be saved as state.json; give the trainable saveCheckpoint(state, dir) and loadCheckpoint(dir)",
    );
    // The failed save left no directory behind that could pass for a checkpoint.
    expect(checkpointDirs(root)).toEqual([]);
  });

  it("needs saveCheckpoint and loadCheckpoint together", () => {
    const root = checkpointRoot();
    expect(() => new FileCheckpointStore(root, { ...learner, saveCheckpoint: () => {} })).toThrow(OptionError);
    expect(() => new FileCheckpointStore(root, { ...learner, loadCheckpoint: () => ({ w: 0, origin: "" }) })).toThrow(
      "trainable.saveCheckpoint: saveCheckpoint and loadCheckpoint go together: give both or neither",
    );
  });

  it("saves a re-done iteration beside the earlier one, and never loads an interrupted save", async () => {
    const root = checkpointRoot();
    const store = new FileCheckpointStore<Weights>(root, learner);
    const meta = { trialId: "t00000", iteration: 3, timeTotal: 1.5, rng: { alea: [1, 2, 3, 4] } } as unknown as Parameters<typeof store.save>[1];
    const first = await store.save({ w: 1, origin: "a" }, meta);
    const second = await store.save({ w: 2, origin: "b" }, meta);
    expect(first).toBe(join(root, "t00000", "checkpoint_000003"));
    expect(second).toBe(join(root, "t00000", "checkpoint_000003_2"));
    expect((await store.load(first, "t00000")).state).toEqual({ w: 1, origin: "a" });
    expect((await store.load(second, "t00000")).meta).toEqual({ ...meta, files: { "state.json": expect.any(Number) } });
    rmSync(join(second, META_FILE));
    await expect(store.load(second, "t00000")).rejects.toThrow(`trial t00000: checkpoint ${second} is unusable: its completion marker ${META_FILE} is missing`);
    store.discard(first);
    await expect(store.load(first, "t00000")).rejects.toThrow(`trial t00000: checkpoint ${first} is unusable: the directory does not exist`);
  });
});
