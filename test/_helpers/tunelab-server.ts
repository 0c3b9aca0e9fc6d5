import { fork, type ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

export interface ServerRun {
  /** The exit code a `tunelab` process would have had; null when the run was killed. */
  code: number | null;
  /** "SIGKILL" when the run passed its time limit (the child was killed), else null. */
  signal: string | null;
  stdout: string;
  stderr: string;
  /** An error that was not ours (a bug: a `tunelab` process would have printed a stack and exited 1). */
  crashed: boolean;
}

/**
 * One child process that runs `tunelab` commands in process, one after another,
 * each under a hard time limit: a run past it gets the child SIGKILLed (as a
 * spawn with a timeout would) and the next run starts a fresh child. For tests of
 * many runs that must never hang (a spin in the test's own process could not be
 * stopped), at one process start-up instead of one per run.
 */
export class TunelabServer {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;

  async run(args: readonly string[], timeoutMs: number): Promise<ServerRun> {
    const child = await this.start();
    return new Promise<ServerRun>((resolvePromise, reject) => {
      const done = () => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      const onMessage = (m: Omit<ServerRun, "signal">) => {
        done();
        resolvePromise({ ...m, signal: null });
      };
      const onExit = (code: number | null, signal: string | null) => {
        done();
        this.child = undefined;
        if (signal === "SIGKILL") resolvePromise({ code: null, signal, stdout: "", stderr: "", crashed: false });
        else reject(new Error(`the tunelab test child exited (${code ?? signal}) during tunelab ${args.join(" ")}`));
      };
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.on("message", onMessage);
      child.on("exit", onExit);
      child.send({ args });
    });
  }

  /** Kills the child; call it in afterAll. */
  close(): void {
    this.child?.kill("SIGKILL");
    this.child = undefined;
  }

  private async start(): Promise<ChildProcess> {
    if (this.child !== undefined && this.ready !== undefined) {
      await this.ready;
      return this.child;
    }
    const child = fork(join(root, "test/_helpers/tunelab-server-child.ts"), [], {
      cwd: root,
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "ignore", "ignore", "ipc"],
    });
    this.child = child;
    this.ready = new Promise((resolvePromise, reject) => {
      child.once("message", () => resolvePromise());
      child.once("exit", (code, signal) => reject(new Error(`the tunelab test child exited (${code ?? signal}) before it was ready`)));
    });
    await this.ready;
    return child;
  }
}
