import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ProcessExecutor } from "../../../real-backend/process/process-executor.ts";
import { drive } from "./drive.ts";

const reporter = fileURLToPath(new URL("./fixtures/env-reporter.mjs", import.meta.url));
const executor = (cpu: number, gpu: number) =>
  new ProcessExecutor({ trainable: { command: [process.execPath, reporter] }, seed: 1, experimentDir: mkdtempSync(join(tmpdir(), "tunelab-res-")), capacity: { cpu, gpu } });

describe("each actor sees exactly its resources", () => {
  it("half-GPU trials share devices two by two (best fit), with OMP_NUM_THREADS = their CPUs", async () => {
    const loop = await drive({ executor: executor(4, 2), metric: "gpus", mode: "max", trials: 4, resources: { cpu: 1, gpu: 0.5 } });
    expect(loop.trials.map((t) => t.history[0]?.metrics)).toEqual([
      { gpus: 1, firstGpu: 0, lastGpu: 0, omp: 1 },
      { gpus: 1, firstGpu: 0, lastGpu: 0, omp: 1 },
      { gpus: 1, firstGpu: 1, lastGpu: 1, omp: 1 },
      { gpus: 1, firstGpu: 1, lastGpu: 1, omp: 1 },
    ]);
  });

  it("a two-GPU trial gets both devices; a CPU-only trial gets none (CUDA_VISIBLE_DEVICES empty)", async () => {
    const two = await drive({ executor: executor(4, 2), metric: "gpus", mode: "max", trials: 1, resources: { cpu: 3, gpu: 2 } });
    expect(two.trials[0]?.history[0]?.metrics).toEqual({ gpus: 2, firstGpu: 0, lastGpu: 1, omp: 3 });
    const none = await drive({ executor: executor(2, 0), metric: "gpus", mode: "max", trials: 1, resources: { cpu: 2, gpu: 0 } });
    expect(none.trials[0]?.history[0]?.metrics).toEqual({ gpus: 0, firstGpu: -1, lastGpu: -1, omp: 2 });
  });

  it("a trial too large for the machine is refused by couldEverPlace; canPlace reflects what is held", () => {
    const e = executor(2, 1);
    expect(e.couldEverPlace({ cpu: 1, gpu: 2 })).toBe(false);
    expect(e.couldEverPlace({ cpu: 3, gpu: 0 })).toBe(false);
    expect(e.couldEverPlace({ cpu: 2, gpu: 1 })).toBe(true);
    expect(e.canPlace({ cpu: 1, gpu: 0.5 })).toBe(true);
  });
});
