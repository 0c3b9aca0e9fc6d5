import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FIFOScheduler, PopulationBasedTraining } from "../../../algorithms/schedulers/index.ts";
import { CONTINUE, STOP, type Decision, type Result, type TrialView } from "../../../core/contracts/index.ts";
import { choice, uniform } from "../../../core/space/index.ts";
import { InProcessExecutor } from "../../../real-backend/in-process-executor.ts";
import { ProcessExecutor } from "../../../real-backend/process/process-executor.ts";
import { drive, view } from "./drive.ts";
import { crashesOnce, learner, quadratic } from "./fixtures/learners.ts";

const learners = fileURLToPath(new URL("./fixtures/learners.ts", import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), "tunelab-proc-"));

/** Stops a trial at iteration 3 when it is worse than the best loss seen at 3 (stateful and order-dependent). */
class StopWorseAt3 extends FIFOScheduler {
  private best = Number.POSITIVE_INFINITY;
  readonly decisions: string[] = [];
  override onTrialResult(_t: TrialView, r: Result): Decision {
    if (r.iteration !== 3) return CONTINUE;
    const loss = r.metrics["loss"] as number;
    const d = loss > this.best ? STOP : CONTINUE;
    this.decisions.push(`${r.trialId}:${d.kind}`);
    this.best = Math.min(this.best, loss);
    return d;
  }
}

const pbt = () =>
  new PopulationBasedTraining({
    metric: "score",
    mode: "max",
    seed: 11,
    timeAttr: "training_iteration",
    perturbationInterval: 2,
    quantileFraction: 0.25,
    hyperparamMutations: { lr: uniform(0, 1) },
  });

describe("ProcessExecutor runs exactly as InProcessExecutor", () => {
  it("same configs, decisions and metric histories (a deterministic Node trainable, one worker)", async () => {
    const common = { metric: "loss", mode: "min" as const, trials: 6, seed: 5, maxIterations: 6 };
    const inProcSched = new StopWorseAt3();
    const inProc = await drive({ ...common, scheduler: inProcSched, executor: new InProcessExecutor({ trainable: quadratic, seed: 5, capacity: { cpu: 1, gpu: 0 } }) });
    const procSched = new StopWorseAt3();
    const dir = tmp();
    const proc = await drive({
      ...common,
      scheduler: procSched,
      executor: new ProcessExecutor({ trainable: { module: learners, export: "quadratic" }, seed: 5, experimentDir: dir, capacity: { cpu: 1, gpu: 0 } }),
    });
    expect(view(proc.trials, "loss")).toEqual(view(inProc.trials, "loss"));
    expect(proc.trials.map((t) => t.history.map((r) => r.metrics["iter"]))).toEqual(inProc.trials.map((t) => t.history.map((r) => r.metrics["iter"])));
    expect(procSched.decisions).toEqual(inProcSched.decisions);
    expect(procSched.decisions.some((d) => d.endsWith(":stop"))).toBe(true);
    // Every trial got its own log directory.
    expect(readdirSync(dir).sort()).toEqual(proc.trials.map((t) => t.id).sort());
  });

  it("PBT: exploits restore other trials' checkpoint directories, with identical histories", async () => {
    const common = { metric: "score", mode: "max" as const, trials: 4, seed: 11, maxIterations: 8 };
    const inDir = tmp();
    const inSched = pbt();
    const inProc = await drive({ ...common, scheduler: inSched, executor: new InProcessExecutor({ trainable: learner, seed: 11, capacity: { cpu: 1, gpu: 0 }, storagePath: inDir }) });
    const dir = tmp();
    const sched = pbt();
    const proc = await drive({
      ...common,
      scheduler: sched,
      executor: new ProcessExecutor({ trainable: { module: learners, export: "learner" }, seed: 11, experimentDir: dir, capacity: { cpu: 1, gpu: 0 } }),
    });
    expect(view(proc.trials, "score")).toEqual(view(inProc.trials, "score"));
    const exploits = sched.policyLog();
    expect(exploits.length).toBeGreaterThan(0);
    const policy = (log: ReturnType<typeof sched.policyLog>) => log.map(({ time: _time, ...rest }) => rest);
    expect(policy(exploits)).toEqual(policy(inSched.policyLog()));
    // The clones really run from the donor's weights, read back from the donor's directory by the worker.
    for (const e of exploits) {
      const checkpoint = proc.trials.find((t) => t.id === e.donorId)?.history.find((r) => r.iteration === e.donorIteration);
      expect(checkpoint).toBeDefined();
    }
    const donorDirs = readdirSync(dir, { recursive: true })
      .map(String)
      .filter((p) => p.endsWith("state.json"))
      .map((p) => relative(dir, join(dir, p)).split(sep)[0]);
    expect(new Set(donorDirs).size).toBeGreaterThan(0);
    const stateOf = (p: string) => JSON.parse(readFileSync(p, "utf8")) as { w: number };
    expect(typeof stateOf(proc.trials[0]?.latestCheckpoint?.handle + "/state.json").w).toBe("number");
  });

  it("a trial whose actor dies restarts from its own checkpoint with its random stream restored, as in-process", async () => {
    const run = async (make: (dir: string) => ConstructorParameters<typeof InProcessExecutor>[0] | undefined, proc: boolean) => {
      const dir = tmp();
      const markers = tmp();
      const executor = proc
        ? new ProcessExecutor({ trainable: { module: learners, export: "crashesOnce" }, seed: 9, experimentDir: dir, capacity: { cpu: 1, gpu: 0 } })
        : new InProcessExecutor(make(dir) as ConstructorParameters<typeof InProcessExecutor>[0]);
      return drive({
        executor,
        metric: "loss",
        mode: "min",
        trials: 2,
        seed: 9,
        checkpointFrequency: 2,
        maxFailures: 1,
        searchSpace: { lr: uniform(0, 1), marker: choice([markers]) },
      });
    };
    const inProc = await run((dir) => ({ trainable: crashesOnce, seed: 9, capacity: { cpu: 1, gpu: 0 }, storagePath: dir }), false);
    const proc = await run(() => undefined, true);
    const strip = (loop: Awaited<ReturnType<typeof drive>>) => view(loop.trials, "loss").map(({ config: _config, ...rest }) => rest);
    expect(strip(proc)).toEqual(strip(inProc));
    expect(proc.counters.failures).toBe(2);
    expect(proc.counters.redoneIterations).toBeGreaterThan(0);
    expect(proc.trials.map((t) => t.history.map((r) => r.iteration))).toEqual([[1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]]);
  });
});
