import { runCli } from "../../cli/program.ts";

/**
 * Runs a `tunelab` command in this process (cli/program.ts, the same program
 * bin/tunelab.js runs) and returns what a spawn would: the exit code, stdout and
 * stderr. No process start-up (about a second of tsx module loading per spawn), so
 * tests check each flag's behaviour here and keep a real spawn for what only a
 * process shows (the exit status, the one stderr line, a kill).
 */
export async function tunelabInProcess(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  const capture = (into: string[]) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof process.stdout.write;
  const exitCodeBefore = process.exitCode;
  process.exitCode = undefined;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  let code: number | undefined;
  try {
    code = await runCli(["node", "tunelab", ...args]);
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
  const set = process.exitCode;
  process.exitCode = exitCodeBefore;
  return { code: code ?? (typeof set === "number" ? set : set === undefined ? 0 : Number(set)), stdout: out.join(""), stderr: err.join("") };
}
