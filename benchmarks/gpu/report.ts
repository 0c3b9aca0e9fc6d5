/**
 * The table and the verdict of benchmarks/gpu/validate.sh: reads each run's
 * run.json (run-trials.ts) and nvidia-smi's samples, prints per trial its
 * CUDA_VISIBLE_DEVICES, the device its framework reported, peak GPU memory and
 * utilisation, and steps per second (GPU runs against the CPU run of the same
 * trainable), then exits 1 if a trial ran on a GPU it was not given, or if GPUs
 * were available and no trial used one.
 *
 *   npx tsx benchmarks/gpu/report.ts --dir /tmp/tunelab-gpu --gpus 0
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { OptionError, parseNumberText } from "../../core/errors/index.ts";
import { fixed } from "../stats/index.ts";

const { values } = parseArgs({ options: { dir: { type: "string" }, gpus: { type: "string", default: "0" } } });
if (values.dir === undefined) throw new OptionError("--dir", "give the directory run-trials.ts wrote");
const dir = values.dir;
const gpuCount = parseNumberText("--gpus", values.gpus as string, { integer: true, min: 0 });

interface Trial {
  trial: string;
  status: string;
  pid: number;
  visible: string;
  device: string;
  onGpu: boolean;
  stepsPerSecond: number;
  peakGpuMbReported: number | null;
  error: string | null;
}
interface Run {
  kind: string;
  gpu: number;
  trials: Trial[];
}

// nvidia-smi samples: apps.csv "pid, gpu_bus_id, used_memory [MiB]" and gpus.csv "index, pci.bus_id, memory.used, utilization.gpu" (one line per GPU per sample).
function readCsv(name: string): string[][] {
  const path = join(dir, name);
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8").trim().split("\n").filter(Boolean).map((l) => l.split(",").map((s) => s.trim()));
}
const busToIndex = new Map<string, string>();
const utilByIndex = new Map<string, number>();
for (const [index, bus, , util] of readCsv("gpus.csv")) {
  if (index === undefined || bus === undefined) continue;
  busToIndex.set(bus, index);
  utilByIndex.set(index, Math.max(utilByIndex.get(index) ?? 0, Number(util ?? 0)));
}
const appsByPid = new Map<number, { indexes: Set<string>; peakMb: number }>();
for (const [pid, bus, mem] of readCsv("apps.csv")) {
  if (pid === undefined || bus === undefined) continue;
  const entry = appsByPid.get(Number(pid)) ?? { indexes: new Set<string>(), peakMb: 0 };
  entry.indexes.add(busToIndex.get(bus) ?? bus);
  entry.peakMb = Math.max(entry.peakMb, Number.parseFloat(mem ?? "0"));
  appsByPid.set(Number(pid), entry);
}

const runs: Run[] = readdirSync(dir)
  .filter((d) => existsSync(join(dir, d, "run.json")))
  .map((d) => JSON.parse(readFileSync(join(dir, d, "run.json"), "utf8")) as Run);
const cpuRate = new Map<string, number>();
for (const r of runs) if (r.gpu === 0) for (const t of r.trials) if (Number.isFinite(t.stepsPerSecond)) cpuRate.set(r.kind, Math.max(cpuRate.get(r.kind) ?? 0, t.stepsPerSecond));

const violations: string[] = [];
let usedGpu = false;
console.log("\n| run | trial | status | CUDA_VISIBLE_DEVICES | device reported | GPUs seen by nvidia-smi | peak GPU MiB | peak util % | steps/s | vs CPU |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const r of runs) {
  for (const t of r.trials) {
    const given = new Set(t.visible === "" || t.visible === "unset" ? [] : t.visible.split(","));
    const seen = appsByPid.get(t.pid);
    const seenIndexes = seen ? [...seen.indexes] : [];
    // A trial ran on a GPU it was not given: nvidia-smi saw its process on another device, or it reported a GPU with none visible.
    for (const index of seenIndexes) if (!given.has(index)) violations.push(`${r.kind} gpu=${r.gpu} ${t.trial}: nvidia-smi saw pid ${t.pid} on GPU ${index}, given "${t.visible}"`);
    if (t.onGpu && given.size === 0) violations.push(`${r.kind} gpu=${r.gpu} ${t.trial}: reported ${t.device} with no GPU given`);
    if (t.onGpu || seenIndexes.length > 0) usedGpu = true;
    const util = seenIndexes.length > 0 ? Math.max(...seenIndexes.map((i) => utilByIndex.get(i) ?? 0)) : null;
    const peak = seen?.peakMb ?? t.peakGpuMbReported ?? null;
    const base = cpuRate.get(r.kind);
    const ratio = r.gpu > 0 && base ? t.stepsPerSecond / base : null;
    console.log(
      `| ${r.kind} gpu=${r.gpu} | ${t.trial} | ${t.status} | ${t.visible || "(empty)"} | ${t.device || "-"} | ${seenIndexes.join(",") || "-"} | ${fixed(peak, 0)} | ${fixed(util, 0)} | ${fixed(t.stepsPerSecond, 2)} | ${ratio === null ? "-" : `${ratio.toFixed(2)}x`} |`,
    );
    if (t.error) console.log(`|   | error: ${t.error} |`);
  }
}
console.log(`\ngpus_available=${gpuCount}`);
console.log(`trials=${runs.reduce((a, r) => a + r.trials.length, 0)}`);
console.log(`trials_on_gpu=${runs.reduce((a, r) => a + r.trials.filter((t) => t.onGpu).length, 0)}`);
for (const v of violations) console.log(`VIOLATION ${v}`);
if (violations.length > 0) {
  console.log("verdict=FAIL (a trial ran on a GPU it was not given)");
  process.exit(1);
}
if (gpuCount > 0 && !usedGpu) {
  console.log("verdict=FAIL (GPUs were available and no trial used one)");
  process.exit(1);
}
console.log(gpuCount > 0 ? "verdict=PASS" : "verdict=PASS (CPU-only path: no GPU here, nothing to check beyond the trials running)");
