import { randomUUID } from "node:crypto";
import { availableParallelism, hostname } from "node:os";
import type { CheckpointRef, ExecutorListener, Result, TrialView } from "../../core/contracts/index.ts";
import { integerAtLeast, positiveNumber } from "../../core/errors/option-checks.ts";
import { detectGpus } from "../process/capacity.ts";
import { ProcessExecutor } from "../process/process-executor.ts";
import { checkRedisUrl, connectRedis, redactUrl, type RedisClient } from "./connection.ts";
import {
  MESSAGE_FIELD,
  parseMessage,
  REDIS_PROTOCOL_VERSION,
  RedisKeys,
  WORKER_GROUP,
  type TrialCommand,
  type WorkerCommand,
  type WorkerInfo,
  type WorkerReply,
} from "./protocol.ts";
import { readStream } from "./streams.ts";

export interface RedisWorkerOptions {
  /** redis://[user:password@]host:port or rediss:// (TLS). */
  redis: string;
  /** CPUs this worker offers. @defaultValue os.availableParallelism() */
  cpus?: number;
  /** GPUs this worker offers. @defaultValue the GPUs nvidia-smi lists */
  gpus?: number;
  /** Keys prefix shared with the driver. @defaultValue "tunelab" */
  namespace?: string;
  /** How often the worker beats. @defaultValue 500 */
  heartbeatMs?: number;
  /** Where the worker says what it does (one line each). @defaultValue stderr */
  log?: (line: string) => void;
}

/** What a worker counts, for tests and its exit line. */
export interface RedisWorkerCounts {
  commands: number;
  /** Commands seen again (a Redis restart re-delivered them, or the driver re-sent them): not run twice. */
  duplicateCommands: number;
  /** Commands of an attempt the driver has moved on from. */
  staleCommands: number;
  sessionsOpened: number;
}

/** The worker's side of one trial: which attempt and command it is on, and the reply to that command (sent again on a repeat). */
interface TrialSlot {
  attempt: number;
  seq: number;
  reply: WorkerReply | undefined;
}

/** One driver session: its actors run in a ProcessExecutor of their own. */
interface Session {
  readonly id: string;
  readonly experiment: string;
  readonly executor: ProcessExecutor;
  readonly trials: Map<string, TrialSlot>;
}

/**
 * `tunelab worker`: registers this machine's CPUs and GPUs in Redis, beats, and
 * runs the trial commands drivers send it, each trial in an actor process of a
 * ProcessExecutor (the same trainable forms and CUDA_VISIBLE_DEVICES isolation as
 * on one machine). It runs only the module or command an experiment names, which
 * must exist on this machine: no code travels through Redis.
 */
export class RedisWorker {
  private id: string;
  private readonly keys: RedisKeys;
  private readonly cpu: number;
  private readonly gpuIndexes: number[];
  private readonly heartbeatMs: number;
  private readonly url: string;
  private readonly log: (line: string) => void;
  private client: RedisClient | undefined;
  private reader: RedisClient | undefined;
  private readonly sessions = new Map<string, Session>();
  private beat = 0;
  private heartbeat: NodeJS.Timeout | undefined;
  private stopped = false;
  private reading: Promise<void> | undefined;
  readonly counts: RedisWorkerCounts = { commands: 0, duplicateCommands: 0, staleCommands: 0, sessionsOpened: 0 };

  constructor(options: RedisWorkerOptions) {
    this.url = checkRedisUrl("--redis", options.redis);
    this.cpu = options.cpus === undefined ? availableParallelism() : positiveNumber("--cpus", options.cpus);
    const gpus = options.gpus === undefined ? detectGpus().length : integerAtLeast("--gpus", options.gpus, 0);
    const detected = gpus > 0 ? detectGpus() : [];
    this.gpuIndexes = Array.from({ length: gpus }, (_, k) => detected[k]?.index ?? k);
    this.heartbeatMs = options.heartbeatMs === undefined ? 500 : integerAtLeast("heartbeatMs", options.heartbeatMs, 10);
    this.keys = new RedisKeys(options.namespace ?? "tunelab");
    this.log = options.log ?? ((line) => process.stderr.write(`tunelab worker: ${line}\n`));
    this.id = newWorkerId();
  }

  get workerId(): string {
    return this.id;
  }

  /** Connects, registers and starts beating and reading commands. */
  async start(): Promise<void> {
    this.client = await connectRedis(this.url, "tunelab-worker", "--redis");
    this.reader = await connectRedis(this.url, "tunelab-worker-reader", "--redis");
    await this.register();
    // One beat at a time: while Redis is away a beat waits in the offline queue, and beats must not pile up behind it.
    let beating = false;
    this.heartbeat = setInterval(() => {
      if (beating) return;
      beating = true;
      void this.beatOnce()
        .catch(() => undefined)
        .finally(() => {
          beating = false;
        });
    }, this.heartbeatMs);
    this.reading = this.readCommands();
    this.log(`${this.id} joined ${redactUrl(this.url)} with ${this.cpu} CPUs and ${this.gpuIndexes.length} GPUs`);
  }

  /** Leaves: kills every actor, unregisters (drivers then treat the worker as lost at once) and disconnects. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.heartbeat);
    await Promise.all([...this.sessions.values()].map((s) => s.executor.close()));
    this.sessions.clear();
    try {
      await this.client?.multi().hdel(this.keys.workers, this.id).hdel(this.keys.heartbeats, this.id).del(this.keys.commands(this.id)).exec();
    } catch {
      // Redis gone: the drivers find the worker lost by its missing beats instead.
    }
    this.reader?.disconnect();
    await this.reading?.catch(() => undefined);
    this.client?.disconnect();
  }

  private info(): WorkerInfo {
    return { v: REDIS_PROTOCOL_VERSION, id: this.id, host: hostname(), pid: process.pid, cpu: this.cpu, gpu: this.gpuIndexes.length, gpuIndexes: this.gpuIndexes };
  }

  private async register(): Promise<void> {
    const client = this.client as RedisClient;
    try {
      // From id 0, so commands sent before the group existed are read too.
      await client.xgroup("CREATE", this.keys.commands(this.id), WORKER_GROUP, "0", "MKSTREAM");
    } catch (error) {
      if (!String((error as Error).message).includes("BUSYGROUP")) throw error;
    }
    await client.multi().hset(this.keys.workers, this.id, JSON.stringify(this.info())).hset(this.keys.heartbeats, this.id, String(++this.beat)).exec();
  }

  /**
   * One beat: bump the counter (drivers time its changes on their own clocks, so a
   * Redis restart or clock skew cannot make a worker look dead), drop sessions whose
   * driver died, and start over under a new id if a driver declared this worker lost.
   */
  private async beatOnce(): Promise<void> {
    const client = this.client as RedisClient;
    if (this.stopped) return;
    if ((await client.sismember(this.keys.lost, this.id)) === 1) {
      this.log(`${this.id} was declared lost (missed heartbeats); dropping its trials and joining again`);
      await client.multi().srem(this.keys.lost, this.id).hdel(this.keys.workers, this.id).hdel(this.keys.heartbeats, this.id).del(this.keys.commands(this.id)).exec();
      await Promise.all([...this.sessions.values()].map((s) => s.executor.close()));
      this.sessions.clear();
      this.id = newWorkerId();
      await this.register();
      return;
    }
    const pipeline = client.pipeline().hset(this.keys.workers, this.id, JSON.stringify(this.info())).hset(this.keys.heartbeats, this.id, String(++this.beat));
    const sessions = [...this.sessions.values()];
    for (const s of sessions) pipeline.exists(this.keys.sessionAlive(s.id));
    const answers = (await pipeline.exec()) ?? [];
    sessions.forEach((s, k) => {
      if (answers[k + 2]?.[1] === 0) void this.closeSession(s, "its driver stopped refreshing the session (it died)");
    });
  }

  private async readCommands(): Promise<void> {
    while (!this.stopped) {
      let entries: Awaited<ReturnType<typeof readStream>>;
      const id = this.id;
      try {
        entries = await readStream(this.reader as RedisClient, this.keys.commands(id), WORKER_GROUP, id);
      } catch (error) {
        if (this.stopped) return;
        // The group is gone (Redis lost its data, or this worker was re-registered): recreate it.
        if (String((error as Error).message).includes("NOGROUP")) await this.register().catch(() => undefined);
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      for (const [, fields] of entries) await this.handle(parseMessage(fields) as WorkerCommand | undefined);
      if (entries.length > 0) {
        const ids = entries.map(([entryId]) => entryId);
        // Not awaited: on the other connection, off the step's critical path (a repeat after a lost ack is dropped by seq).
        (this.client as RedisClient).multi().xack(this.keys.commands(id), WORKER_GROUP, ...ids).xdel(this.keys.commands(id), ...ids).exec().catch(() => undefined);
      }
    }
  }

  private async handle(command: WorkerCommand | undefined): Promise<void> {
    if (command === undefined) return;
    this.counts.commands++;
    if (command.v !== REDIS_PROTOCOL_VERSION) {
      this.log(`ignored a command of protocol version ${command.v}; this worker speaks ${REDIS_PROTOCOL_VERSION}`);
      if ("trialId" in command && typeof command.session === "string") {
        await this.reply(command.session, { ...base(this.id, command), type: "failed", reason: `worker ${this.id} speaks protocol version ${REDIS_PROTOCOL_VERSION}, not ${command.v}` }, undefined);
      }
      return;
    }
    if (command.type === "open") return this.open(command);
    if (command.type === "close") {
      const session = this.sessions.get(command.session);
      if (session) await this.closeSession(session, "its driver closed it");
      return;
    }
    const session = this.sessions.get(command.session);
    if (!session) {
      await this.reply(command.session, { ...base(this.id, command), type: "failed", reason: `worker ${this.id} holds no session ${command.session}` }, undefined);
      return;
    }
    const slot = session.trials.get(command.trialId);
    if (slot && (command.attempt < slot.attempt || (command.attempt === slot.attempt && command.seq < slot.seq))) {
      this.counts.staleCommands++;
      return;
    }
    if (slot && command.attempt === slot.attempt && command.seq === slot.seq) {
      // Seen: re-send its reply if it has one (the driver asked again after a Redis restart).
      this.counts.duplicateCommands++;
      if (slot.reply) await this.reply(session.id, slot.reply, undefined);
      return;
    }
    if (slot && command.attempt > slot.attempt) session.executor.stop(command.trialId);
    session.trials.set(command.trialId, { attempt: command.attempt, seq: command.seq, reply: undefined });
    this.run(session, command);
  }

  private open(command: Extract<WorkerCommand, { type: "open" }>): void {
    if (this.sessions.has(command.session)) return;
    for (const s of this.sessions.values()) {
      if (s.experiment === command.experiment) void this.closeSession(s, "a newer driver of the same experiment took over");
    }
    let executor: ProcessExecutor;
    try {
      executor = new ProcessExecutor({
        trainable: command.trainable,
        seed: command.seed,
        experimentDir: command.storageDir,
        capacity: { cpu: this.cpu, gpu: this.gpuIndexes.length },
        ...(command.reuseActors !== undefined ? { reuseActors: command.reuseActors } : {}),
        ...(command.stepTimeoutSeconds !== undefined ? { stepTimeoutSeconds: command.stepTimeoutSeconds } : {}),
        ...(command.maxMemoryMB !== undefined ? { maxMemoryMB: command.maxMemoryMB } : {}),
      });
    } catch (error) {
      // The trainable is not on this machine (or the options are bad): every start of this session fails with the reason.
      this.log(`session ${command.session} cannot run here: ${(error as Error).message}`);
      executor = unusableExecutor((error as Error).message);
    }
    const session: Session = { id: command.session, experiment: command.experiment, executor, trials: new Map() };
    executor.setListener(this.listenerFor(session));
    this.sessions.set(command.session, session);
    this.counts.sessionsOpened++;
    this.log(`${this.id} opened session ${command.session} of ${command.experiment}`);
  }

  private async closeSession(session: Session, why: string): Promise<void> {
    if (this.sessions.get(session.id) !== session) return;
    this.sessions.delete(session.id);
    this.log(`${this.id} closed session ${session.id}: ${why}`);
    await session.executor.close();
  }

  /** Runs one new command on the session's executor; a command the executor refuses fails the trial. */
  private run(session: Session, command: TrialCommand): void {
    const executor = session.executor;
    try {
      if (command.type === "start") executor.start(trialView(command), command.restoreFrom);
      else if (command.type === "continue") executor.continueTrial(command.trialId);
      else if (command.type === "save") executor.save(command.trialId);
      else if (command.type === "restore") executor.restore(command.trialId, command.checkpoint, command.config);
      else executor.stop(command.trialId);
    } catch (error) {
      void this.replyToSlot(session, command.trialId, { type: "failed", reason: (error as Error).message });
    }
  }

  private listenerFor(session: Session): ExecutorListener {
    const send = (trialId: string, reply: ReplyBody) => void this.replyToSlot(session, trialId, reply);
    return {
      onResult: (result: Result) =>
        send(result.trialId, { type: "result", iteration: result.iteration, metrics: result.metrics as Record<string, number>, timeTotal: result.timeTotal, done: result.done === true }),
      onCheckpointed: (checkpoint: CheckpointRef) => send(checkpoint.trialId, { type: "checkpointed", checkpoint }),
      onFailed: (trialId, _recoverable, reason, stack) => send(trialId, { type: "failed", reason, ...(stack !== undefined ? { stack } : {}) }),
      onNodeAdded: () => undefined,
      onNodeLost: () => undefined,
      onPreemptionNotice: () => undefined,
    };
  }

  /** Answers the trial's current command (and keeps the answer, to send again if the command comes again). */
  private async replyToSlot(session: Session, trialId: string, body: ReplyBody): Promise<void> {
    const slot = session.trials.get(trialId);
    if (!slot || this.sessions.get(session.id) !== session) return;
    const reply = { v: REDIS_PROTOCOL_VERSION, worker: this.id, trialId, attempt: slot.attempt, seq: slot.seq, ...body } as WorkerReply;
    slot.reply = reply;
    await this.reply(session.id, reply, slot);
  }

  private async reply(session: string, reply: WorkerReply, _slot: TrialSlot | undefined): Promise<void> {
    try {
      await (this.client as RedisClient).xadd(this.keys.replies(session), "*", MESSAGE_FIELD, JSON.stringify(reply));
    } catch (error) {
      // Only when the worker is stopping (the connection otherwise waits for Redis): the driver will find the worker lost.
      if (!this.stopped) this.log(`could not send a reply: ${(error as Error).message}`);
    }
  }
}

type ReplyBody =
  | { type: "result"; iteration: number; metrics: Record<string, number>; timeTotal: number; done: boolean }
  | { type: "checkpointed"; checkpoint: CheckpointRef }
  | { type: "failed"; reason: string; stack?: string };

function base(worker: string, command: { trialId: string; attempt: number; seq: number }): { v: number; worker: string; trialId: string; attempt: number; seq: number } {
  return { v: REDIS_PROTOCOL_VERSION, worker, trialId: command.trialId, attempt: command.attempt, seq: command.seq };
}

/** The face of a trial the process executor reads (id, config, resources). */
function trialView(command: Extract<WorkerCommand, { type: "start" }>): TrialView {
  return {
    id: command.trialId,
    index: 0,
    status: "RUNNING",
    config: command.config,
    resources: command.resources,
    history: [],
    lastResult: undefined,
    latestCheckpoint: undefined,
    savePending: false,
    errorMessage: undefined,
  };
}

/** A session whose trainable cannot run here: every command throws the reason, which fails the trial. */
function unusableExecutor(reason: string): ProcessExecutor {
  const refuse = (): never => {
    throw new Error(`cannot run the experiment's trainable on this worker: ${reason}`);
  };
  return { setListener: () => undefined, start: refuse, continueTrial: refuse, save: refuse, restore: refuse, stop: () => undefined, close: async () => undefined } as unknown as ProcessExecutor;
}

function newWorkerId(): string {
  return `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

