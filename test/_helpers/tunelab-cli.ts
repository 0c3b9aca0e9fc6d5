import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

/** Runs the `tunelab` command (bin/tunelab.js, from source) and returns its exit code and output. */
export function tunelabCli(args: readonly string[], options: { timeoutMs?: number } = {}) {
  const r = spawnSync(process.execPath, [join(root, "bin/tunelab.js"), ...args], {
    cwd: root,
    encoding: "utf8",
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs, killSignal: "SIGKILL" as const } : {}),
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}
