/**
 * One run of benchmarks/gpu/validate.sh: a few trials of the PyTorch example or
 * the tfjs Fashion-MNIST trainable in worker processes, with `gpu` per trial, on
 * the capacity nvidia-smi reports. Writes <out>/run.json: per trial, what it was
 * given (CUDA_VISIBLE_DEVICES), what its framework reported, its pid and its
 * steps per second (from the executor's time_total_s, first step excluded).
 *
 *   npx tsx benchmarks/gpu/run-trials.ts --kind tfjs --gpu 1 --trials 2 --out /tmp/gpu/tfjs-gpu1
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { FIFOScheduler } from "../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../algorithms/searchers/index.ts";
import { choice, loguniform, type Space } from "../../core/space/index.ts";
import { tune } from "../../real-backend/index.ts";

const { values } = parseArgs({
  options: {
    kind: { type: "string" },
    gpu: { type: "string", default: "0" },
    trials: { type: "string", default: "2" },
    iterations: { type: "string", default: "4" },
    out: { type: "string" },
    python: { type: "string", default: "python3" },
  },
});
const kind = values.kind;
if (kind !== "tfjs" && kind !== "pytorch") throw new Error("--kind: must be tfjs or pytorch");
const gpu = Number(values.gpu);
const out = resolve(values.out ?? `/tmp/tunelab-gpu/${kind}-gpu${gpu}`);
const root = resolve(import.meta.dirname, "../..");

const space: Space =
  kind === "tfjs"
    ? { model: "mlp", lr: loguniform(3e-4, 3e-3), batchSize: 128, hidden: choice([128, 256]), batchesPerStep: 20, trainRows: 8192, validationRows: 2000 }
    : { lr: loguniform(1e-3, 1e-1), hidden: choice([128, 256]), momentum: 0.9 };
const common = { metric: "accuracy", mode: "max" } as const;
const run = await tune({
  trainable: kind === "tfjs" ? { module: join(root, "tfjs/fashion-mnist/trainable.ts") } : { command: [values.python as string, join(root, "benchmarks/gpu/pytorch_probe.py")] },
  name: `${kind}-gpu${gpu}`,
  storagePath: out,
  space,
  ...common,
  trials: Number(values.trials),
  maxIterations: Number(values.iterations),
  searcher: new RandomSearch(space, { ...common, seed: 0 }),
  scheduler: new FIFOScheduler(),
  resources: { cpu: 1, gpu },
  progress: false,
});

const PROBE = /pid[= ](\d+).*CUDA_VISIBLE_DEVICES=([^)\s]*)\)?:? ?(?:device=)?(.*)$/;
const trials = run.trials.map((t) => {
  const log = readFileSync(join(out, t.id, "stdout.log"), "utf8");
  const line = log.split("\n").find((l) => PROBE.test(l)) ?? "";
  const [, pid = "", visible = "", device = ""] = PROBE.exec(line) ?? [];
  const rows = readFileSync(join(out, t.id, "result.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { time_total_s: number; metrics: Record<string, number> });
  const total = rows.map((r) => r.time_total_s);
  const stepsPerSecond = total.length > 1 ? (total.length - 1) / ((total.at(-1) as number) - (total[0] as number)) : Number.NaN;
  const last = rows.at(-1)?.metrics ?? {};
  // tfjs: the backend line names the device; "on CUDA"/"webgpu" means a GPU.
  const onGpu = kind === "pytorch" ? last["on_gpu"] === 1 : /\[(tensorflow|webgpu)\] on (CUDA|[^C])/.test(device) && !/CPU/.test(device);
  return { trial: t.id, status: t.status, pid: Number(pid), visible, device: device.trim(), onGpu, stepsPerSecond, peakGpuMbReported: last["peak_gpu_mb"] ?? null, error: t.errorMessage ?? null };
});
writeFileSync(join(out, "run.json"), JSON.stringify({ kind, gpu, trials }, null, 2));
console.log(`run kind=${kind} gpu=${gpu} trials=${trials.length} dir=${out}`);
