import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { encodeCommand, parseReply, ProtocolViolation, type Command, type Reply } from "./protocol.ts";

/** How to start one actor process. */
export interface ActorSpawn {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env: Record<string, string | undefined>;
}

export interface ActorEvents {
  onReply(reply: Reply, line: string): void;
  /** The actor is gone or unusable (it exited, broke the protocol, timed out); called once. */
  onDeath(reason: string): void;
}

/** Lines of stderr a crash message quotes. */
const STDERR_TAIL_LINES = 5;

/**
 * One actor process and its channel: commands as JSON lines on the child's fd 3,
 * replies from its fd 4, so nothing the program prints can be taken for a
 * message. Its stdout and stderr are copied to the current trial's stdout.log and
 * stderr.log (an actor serves several trials when reused), and the last lines of
 * stderr are kept for the message when it dies.
 */
export class ActorProcess {
  private readonly child: ChildProcess;
  private readonly toChild: Writable;
  private stdoutLog: WriteStream | undefined;
  private stderrLog: WriteStream | undefined;
  private readonly stderrTail: string[] = [];
  private partialStderr = "";
  /** The first stderr line that says memory ran out (V8's, Python's MemoryError, CUDA's): a crash message leads with it. */
  private outOfMemory: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private dead = false;
  private readonly closed: Promise<void>;

  constructor(
    spec: ActorSpawn,
    private readonly events: ActorEvents,
  ) {
    this.child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ["ignore", "pipe", "pipe", "pipe", "pipe"],
    });
    const stdio = this.child.stdio as unknown as [null, Readable, Readable, Writable, Readable];
    this.toChild = stdio[3];
    // A dead child makes writes fail with EPIPE: its death is reported through 'close'/'error' instead.
    this.toChild.on("error", () => {});
    stdio[1].on("data", (chunk: Buffer) => this.stdoutLog?.write(chunk));
    stdio[2].on("data", (chunk: Buffer) => {
      this.stderrLog?.write(chunk);
      this.keepTail(chunk.toString("utf8"));
    });
    const lines = createInterface({ input: stdio[4] });
    lines.on("line", (line) => this.receive(line));
    this.closed = new Promise((resolve) => {
      this.child.on("error", (error) => {
        this.die(`could not start ${JSON.stringify(spec.command)}: ${error.message}`);
        resolve();
      });
      this.child.on("close", (code, signal) => {
        this.die(exitReason(code, signal, this.outOfMemory, this.tail()));
        // 'close' comes after the last output chunk; `exited` waits until the logs hold it.
        void Promise.all([finish(this.stdoutLog), finish(this.stderrLog)]).then(() => resolve());
      });
    });
  }

  /** Resolves once the process is gone. */
  get exited(): Promise<void> {
    return this.closed;
  }

  get alive(): boolean {
    return !this.dead;
  }

  /** Sends the actor's output from now on to `<dir>/stdout.log` and `<dir>/stderr.log` (appending). */
  logTo(dir: string): void {
    mkdirSync(dir, { recursive: true });
    this.stdoutLog?.end();
    this.stderrLog?.end();
    this.stdoutLog = createWriteStream(join(dir, "stdout.log"), { flags: "a" });
    this.stderrLog = createWriteStream(join(dir, "stderr.log"), { flags: "a" });
  }

  /** Sends a command; with `timeoutSeconds`, the actor is killed unless a reply comes in time. */
  send(command: Command, timeout?: { seconds: number; what: string }): void {
    if (this.dead) return;
    this.expectReply(timeout);
    this.toChild.write(encodeCommand(command));
  }

  /** Kills the actor unless its next message comes within `timeout` (none: no limit). */
  expectReply(timeout: { seconds: number; what: string } | undefined): void {
    this.clearTimer();
    if (timeout === undefined) return;
    this.timer = setTimeout(() => {
      this.die(`${timeout.what} timed out after ${timeout.seconds} s (stepTimeoutSeconds=${timeout.seconds}); the actor was killed`);
    }, timeout.seconds * 1000);
  }

  /**
   * Asks the program to exit (`stop`), and kills it if it has not within `graceMs`.
   * Its death is no longer reported: the caller is done with it.
   */
  stop(graceMs: number): void {
    if (this.dead) return;
    this.dead = true;
    this.clearTimer();
    this.toChild.write(encodeCommand({ type: "stop" }));
    this.toChild.end();
    const timer = setTimeout(() => {
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    }, graceMs);
    timer.unref();
    void this.closed.then(() => clearTimeout(timer));
  }

  /** Kills the process (SIGKILL) and resolves once it is gone. */
  async kill(): Promise<void> {
    this.dead = true;
    this.clearTimer();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    await this.closed;
  }

  private receive(line: string): void {
    if (this.dead) return;
    this.clearTimer();
    let reply: Reply;
    try {
      reply = parseReply(line);
    } catch (error) {
      this.die(error instanceof ProtocolViolation ? error.message : String(error));
      return;
    }
    this.events.onReply(reply, line);
  }

  /** Reports the death once, and makes sure the process is gone. */
  die(reason: string): void {
    if (this.dead) return;
    this.dead = true;
    this.clearTimer();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    this.events.onDeath(reason);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private keepTail(text: string): void {
    const parts = (this.partialStderr + text).split("\n");
    this.partialStderr = parts.pop() ?? "";
    for (const line of parts) {
      if (line.trim() === "") continue;
      this.stderrTail.push(line.trim());
      if (this.outOfMemory === undefined && /out of memory|MemoryError/i.test(line)) this.outOfMemory = line.trim();
    }
    if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.splice(0, this.stderrTail.length - STDERR_TAIL_LINES);
  }

  private tail(): string {
    const lines = [...this.stderrTail];
    if (this.partialStderr.trim() !== "") lines.push(this.partialStderr.trim());
    return lines.slice(-STDERR_TAIL_LINES).join(" | ");
  }
}

/** "actor process exited with code 3; last stderr: ..." (one line), leading with an out-of-memory line when there was one. */
export function exitReason(code: number | null, signal: string | null, outOfMemory: string | undefined, stderr: string): string {
  const how = signal !== null ? `was killed by signal ${signal}` : `exited with code ${code}`;
  const oom = outOfMemory === undefined ? "" : ` (out of memory: ${outOfMemory})`;
  return `actor process ${how}${oom}${stderr === "" ? " (no stderr)" : `; last stderr: ${stderr}`}`;
}

/** Ends a log stream and resolves once what was written to it is in the file. */
function finish(stream: WriteStream | undefined): Promise<void> {
  if (stream === undefined || stream.writableFinished) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once("error", () => resolve());
    stream.end(() => resolve());
  });
}
