// Runs the driver as a child process and SIGKILLs it (with its workers) at random moments,
// resuming after each, until it has been killed `kills` times mid-run; then lets it finish.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { rngFor } from "../../core/rng.ts";

const driver = fileURLToPath(new URL("./fixtures/driver.ts", import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/**
 * Bytes of the experiment's journal (experiment_state.trials.*.jsonl): grows with every
 * commit while the experiment makes progress. The journal, not the trials' own
 * result.jsonl, because those are written behind it on the thread pool and can lag
 * (or be rebuilt in one go by a resume), which made "progress seen" late.
 */
function journalBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const name of readdirSync(dir)) {
    if (name.startsWith("experiment_state.") && name.endsWith(".jsonl")) total += statSync(join(dir, name)).size;
  }
  return total;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Launch {
  killed: boolean;
  stdout: string;
  stderr: string;
  code: number | null;
}

/**
 * One driver run. With `killAfterProgress`, once its journal starts growing it waits a
 * random 0-300 ms and SIGKILLs the driver's whole process group (its workers die
 * with it, as when the machine goes).
 */
async function launch(dir: string, kind: string, killAfterProgress: (() => number) | undefined): Promise<Launch> {
  const child = spawn(process.execPath, ["--import", tsx, driver, dir, kind], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  let done = false;
  void exited.then(() => (done = true));
  if (killAfterProgress) {
    const before = journalBytes(dir);
    while (!done && journalBytes(dir) === before) await sleep(20);
    if (!done) await sleep(killAfterProgress());
    if (!done) process.kill(-(child.pid as number), "SIGKILL");
  }
  const { code, signal } = await exited;
  return { killed: signal === "SIGKILL", stdout, stderr, code };
}

export interface KillReport {
  kills: number;
  launches: number;
  /** The finished driver's trials (finalTrials' shape). */
  final: unknown;
  resumeSeconds: number[];
}

export async function killDriverRepeatedly(dir: string, kind: string, kills: number, seed: number): Promise<KillReport> {
  const rng = rngFor(seed, "driver-kills");
  let killed = 0;
  let launches = 0;
  while (killed < kills && launches < kills * 3) {
    launches++;
    const run = await launch(dir, kind, () => rng.next() * 300);
    if (run.killed) killed++;
    else if (run.code !== 0) throw new Error(`driver exited ${run.code}: ${run.stderr}`);
    else break; // it finished before the kill landed: nothing left to interrupt
  }
  const t0 = performance.now();
  launches++;
  const last = await launch(dir, kind, undefined);
  if (last.code !== 0) throw new Error(`final driver exited ${last.code}: ${last.stderr}`);
  return { kills: killed, launches, final: JSON.parse(last.stdout.trim().split("\n").at(-1) as string), resumeSeconds: [(performance.now() - t0) / 1000] };
}
