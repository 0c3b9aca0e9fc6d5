/**
 * The Node client of the trial protocol: the entry point of a worker process.
 * `node --import <tsx> node-worker-host.ts <module URL> <export name>` loads the
 * user's module here (never in the driver), picks its trainable form, announces
 * `ready`, then answers the driver's commands on fd 3 with replies on fd 4,
 * one at a time, until `stop`.
 */
import { Socket } from "node:net";
import { createInterface } from "node:readline";
import type { Config } from "../../core/contracts/index.ts";
import { Rng, type RngState } from "../../core/rng.ts";
import { runnerFor, type FormRunner } from "../trainable-forms/forms.ts";
import { PROTOCOL_VERSION, type Command, type Reply } from "./protocol.ts";

const [moduleUrl, exportName = "default"] = process.argv.slice(2);
// Sockets on the pipe fds, not fs streams: an fs read blocks a thread-pool thread, and
// process.exit() (a trainable's own, or a crash) would then wait for it forever.
const out = new Socket({ fd: 4, readable: false, writable: true });

function send(reply: Reply): void {
  out.write(`${JSON.stringify(reply)}\n`);
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}

/** Sends the error, then exits once it is written: the driver fails the trial with it. */
function fatal(error: unknown): void {
  out.end(`${JSON.stringify({ type: "error", message: messageOf(error) } satisfies Reply)}\n`, () => process.exit(1));
}

async function load(): Promise<FormRunner> {
  const where = `export "${exportName}" of ${moduleUrl}`;
  const mod = (await import(moduleUrl as string)) as Record<string, unknown>;
  if (!(exportName in mod)) {
    const names = Object.keys(mod).join(", ") || "none";
    throw new Error(`${where} does not exist (the module exports: ${names})`);
  }
  return runnerFor(mod[exportName], where);
}

interface TrialState {
  trialId: string;
  seed: string;
  rng: Rng;
  iteration: number;
}

async function main(): Promise<void> {
  let runner: FormRunner;
  try {
    runner = await load();
  } catch (error) {
    fatal(error);
    return;
  }
  send({ type: "ready", version: PROTOCOL_VERSION, reuse: runner.reusable });
  let trial: TrialState | undefined;

  const step = async (): Promise<void> => {
    const t = trial as TrialState;
    t.iteration++;
    const report = await runner.step(t.iteration);
    send({ type: "result", metrics: report.metrics, done: report.done });
  };

  const handle = async (cmd: Command): Promise<void> => {
    switch (cmd.type) {
      case "start": {
        if (cmd.version !== PROTOCOL_VERSION) throw new Error(`driver speaks protocol ${cmd.version}, this worker ${PROTOCOL_VERSION}`);
        if (trial) runner.end();
        const rng = cmd.rng === undefined ? new Rng(cmd.seed) : new Rng(cmd.seed, cmd.rng as RngState);
        trial = { trialId: cmd.trialId, seed: cmd.seed, rng, iteration: cmd.iteration };
        await runner.begin(cmd.config as Config, { trialId: cmd.trialId, rng }, cmd.restoreDir);
        return step();
      }
      case "continue":
        return step();
      case "save":
        await runner.save(cmd.dir);
        send({ type: "saved", rng: (trial as TrialState).rng.save() });
        return;
      case "restore": {
        const t = trial as TrialState;
        // The trial's own checkpoint brings back its random stream; a clone keeps its own.
        if (cmd.rng !== undefined) t.rng.restore(cmd.rng as RngState);
        t.iteration = cmd.iteration;
        runner.end();
        await runner.begin(cmd.config as Config, { trialId: t.trialId, rng: t.rng }, cmd.dir);
        return step();
      }
      case "stop":
        runner.end();
        out.end(() => process.exit(0));
        return;
    }
  };

  // Commands are handled strictly in order: the driver sends the next only after the reply.
  let queue = Promise.resolve();
  const lines = createInterface({ input: new Socket({ fd: 3, readable: true, writable: false }) });
  lines.on("line", (line) => {
    queue = queue.then(() => handle(JSON.parse(line) as Command)).catch(fatal);
  });
  lines.on("close", () => {
    // The driver went away: nothing more will come.
    void queue.then(() => process.exit(0));
  });
}

void main();
