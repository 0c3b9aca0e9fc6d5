// Worker processes for the Redis tests: `tunelab worker` (through fixtures/worker.ts) as children,
// each resolved once it has joined, all killed by killAll (in afterAll, after a failure too).
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";

const entry = fileURLToPath(new URL("./fixtures/worker.ts", import.meta.url));
const children = new Set<ChildProcess>();

export interface TestWorker {
  readonly child: ChildProcess;
  /** The worker's id in Redis (from its "joined" line). */
  readonly id: string;
  /** Everything it wrote to stderr so far. */
  log(): string;
}

/** A fresh namespace per test, so tests sharing one Redis never see each other's workers. */
export function namespace(): string {
  return `t-${randomUUID().slice(0, 8)}`;
}

export function startWorker(url: string, ns: string, cpus: number, extra: string[] = []): Promise<TestWorker> {
  const child = spawn(process.execPath, ["--import", "tsx", entry, "--redis", url, "--namespace", ns, "--cpus", String(cpus), "--gpus", "0", "--heartbeat-ms", "100", ...extra], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let text = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not join within 60 s: ${text}`)), 60_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const joined = /worker: (\S+) joined/.exec(text);
      if (joined) {
        clearTimeout(timer);
        resolve({ child, id: joined[1] as string, log: () => text });
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code ?? signal}) before joining: ${text}`));
    });
  });
}

/** Kills every worker this process started (SIGKILL) and waits for them to be gone. */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGKILL");
        }),
    ),
  );
}
