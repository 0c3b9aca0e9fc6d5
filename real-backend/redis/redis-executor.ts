import { ContractError, DeadlockError, OptionError } from "../../core/contracts/index.ts";
import type { CheckpointRef, Config, DrivenExecutor, ExecutorListener, ExecutorStats, Resources, TrialView } from "../../core/contracts/index.ts";
import type { TrainableSource } from "../process/process-executor.ts";
import { ResourceAllocator, type Allocation } from "../process/resource-allocator.ts";
import { usableCheckpoint } from "../file-checkpoints.ts";
import { ListenerPump } from "../listener-pump.ts";
import { RealClockMeter } from "../real-clock-meter.ts";
import { SharedPathStorage, type CheckpointStorage } from "./checkpoint-storage.ts";
import { parseWorkers, type RedisDriverConnection } from "./driver-connection.ts";
import { DRIVER_GROUP, MESSAGE_FIELD, parseMessage, REDIS_PROTOCOL_VERSION, resultKey, type WorkerCommand, type WorkerInfo, type WorkerReply } from "./protocol.ts";
import { readStream } from "./streams.ts";

export interface RedisExecutorOptions {
  /** An open connection (`RedisDriverConnection.open`); the executor closes it. */
  connection: RedisDriverConnection;
  /** What the workers run: a module path or a command that exists on every worker's machine. */
  trainable: TrainableSource;
  seed: number | string;
  /** The experiment directory, on a path every worker reaches: checkpoints and trial logs go under `<dir>/<trial>/`. */
  experimentDir: string;
  /** @defaultValue a SharedPathStorage of experimentDir */
  checkpoints?: CheckpointStorage;
  reuseActors?: boolean;
  stepTimeoutSeconds?: number;
  maxMemoryMB?: number;
  /** Where warnings go (a worker refused for its protocol version). @defaultValue stderr */
  warn?: (line: string) => void;
}

/** What the Redis executor counts beyond ExecutorStats: the exactly-once and failure figures. */
export interface RedisExecutorCounts {
  /** Replies received again (a re-sent XADD, a re-delivered entry, a worker re-sending after a repeat): ignored. */
  duplicateReplies: number;
  /** Replies of an attempt or command the driver has moved on from (a lost worker's late answers): ignored. */
  staleReplies: number;
  /** Results recorded (each (trial, iteration, attempt) once). */
  results: number;
  /** Commands sent again after the connection to Redis came back. */
  resentCommands: number;
  workersJoined: number;
  workersLost: number;
  /** Workers refused because they speak another protocol version. */
  workersRefused: number;
  /** Stream entries that are not messages of ours. */
  malformed: number;
}

interface WorkerState {
  readonly info: WorkerInfo;
  readonly allocator: ResourceAllocator;
  beat: string | undefined;
  /** Driver time when the beat last changed. */
  changedAt: number;
  readonly trials: Set<string>;
}

interface TrialRun {
  readonly trialId: string;
  readonly worker: WorkerState;
  readonly allocation: Allocation;
  readonly resources: Resources;
  readonly attempt: number;
  readonly placedAt: number;
  seq: number;
  awaiting: "step" | "save" | undefined;
  last: WorkerCommand | undefined;
  live: boolean;
}

/** How long the driver's session key lives without a refresh: past it, workers free the session's actors. */
const SESSION_TTL_MS = 60_000;

/**
 * Runs trials on `tunelab worker`s through Redis, behind the same Executor contract
 * as ProcessExecutor: the loop, searchers and schedulers do not know the difference.
 * A trial is placed on the worker with the most free CPUs that fits it and stays
 * there between steps (its actor keeps its state). Commands go to each worker's
 * stream, replies come back on this session's stream, both with consumer groups
 * (at-least-once); every reply names (trial, attempt, command seq) and a result is
 * recorded once per (trial, iteration, attempt): repeats are counted and dropped.
 * A worker whose heartbeat stops changing for workerTimeoutSeconds is lost: its
 * trials fail as recoverable (not counted against maxFailures) and restart from
 * their latest checkpoint on another worker, as the simulator's node loss does.
 */
export class RedisExecutor implements DrivenExecutor {
  readonly virtualClock = false;
  readonly counts: RedisExecutorCounts = { duplicateReplies: 0, staleReplies: 0, results: 0, resentCommands: 0, workersJoined: 0, workersLost: 0, workersRefused: 0, malformed: 0 };
  private readonly connection: RedisDriverConnection;
  private readonly open: WorkerCommand;
  private readonly storage: CheckpointStorage;
  private readonly warn: (line: string) => void;
  private readonly workers = new Map<string, WorkerState>();
  /** Ids never to take again: lost, or of another protocol version. */
  private readonly excluded = new Set<string>();
  /** The largest worker ever seen: a lost machine may come back, so a trial it could hold is not impossible. */
  private largest: Resources = { cpu: 0, gpu: 0 };
  private readonly runs = new Map<string, TrialRun>();
  private readonly attempts = new Map<string, number>();
  private readonly recorded = new Set<string>();
  /** Trial starts per worker id (a restart on another worker counts there too). */
  readonly placements = new Map<string, number>();
  private readonly meter = new RealClockMeter();
  private listener: ExecutorListener | undefined;
  private busy = 0;
  /** Many machines: with nothing busy, a worker may still join and take the waiting trials. */
  private readonly pump: ListenerPump;
  private closed = false;
  private polling = false;
  private pollFailed = false;
  private readonly poller: NodeJS.Timeout;
  private readonly reading: Promise<void>;

  constructor(options: RedisExecutorOptions) {
    this.connection = options.connection;
    this.storage = options.checkpoints ?? new SharedPathStorage(options.experimentDir);
    this.warn = options.warn ?? ((line) => process.stderr.write(`tunelab: warning: ${line}\n`));
    if (options.stepTimeoutSeconds !== undefined && !(options.stepTimeoutSeconds > 0 && Number.isFinite(options.stepTimeoutSeconds))) {
      throw new OptionError("stepTimeoutSeconds", `must be a finite number > 0, got ${options.stepTimeoutSeconds}`);
    }
    this.open = {
      v: REDIS_PROTOCOL_VERSION,
      type: "open",
      session: this.connection.session,
      experiment: this.storage.location,
      seed: options.seed,
      storageDir: this.storage.location,
      trainable: options.trainable,
      ...(options.reuseActors !== undefined ? { reuseActors: options.reuseActors } : {}),
      ...(options.stepTimeoutSeconds !== undefined ? { stepTimeoutSeconds: options.stepTimeoutSeconds } : {}),
      ...(options.maxMemoryMB !== undefined ? { maxMemoryMB: options.maxMemoryMB } : {}),
    };
    const seconds = this.connection.options.waitForWorkersSeconds;
    this.pump = new ListenerPump({
      busy: () => this.busy,
      starvation: {
        waitSeconds: seconds,
        error: () =>
          new DeadlockError(
            `no trial has run for ${seconds} s and the experiment has not ended: no worker (${this.workers.size} live) has room for the waiting trials; start one with: tunelab worker --redis URL`,
          ),
      },
    });
    this.refreshSession();
    for (const info of this.connection.initialWorkers.values()) this.join(info, false);
    this.poller = setInterval(() => void this.poll(), this.connection.options.pollMs);
    this.reading = this.readReplies();
    // After Redis comes back, commands whose replies never came are sent again (the worker answers a repeat once).
    this.connection.client.on("ready", () => this.resendAwaited());
    // A poll waits in the offline queue while Redis is away and then reads beats that could not
    // change meanwhile: the next poll after a dropped connection starts every worker's clock again.
    this.connection.client.on("close", () => {
      this.pollFailed = true;
    });
  }

  now(): number {
    return this.meter.now();
  }

  stats(): ExecutorStats {
    return this.meter.stats(this.runs.values());
  }

  gpuSecondsUsed(): number {
    return this.meter.gpuSecondsUsed(this.runs.values());
  }

  setListener(listener: ExecutorListener): void {
    this.listener = listener;
    this.pump.setListener(listener);
  }

  canPlace(resources: Resources): boolean {
    for (const w of this.workers.values()) if (w.allocator.fitsAfterReleasing([], resources)) return true;
    return false;
  }

  couldEverPlace(resources: Resources): boolean {
    return resources.cpu <= this.largest.cpu && resources.gpu <= this.largest.gpu;
  }

  totalResources(): Resources {
    let cpu = 0;
    let gpu = 0;
    for (const w of this.workers.values()) {
      cpu += w.info.cpu;
      gpu += w.info.gpu;
    }
    return { cpu, gpu };
  }

  /** The workers trials can go to now, with the trials on each. */
  liveWorkers(): { id: string; trials: string[] }[] {
    return [...this.workers.values()].map((w) => ({ id: w.info.id, trials: [...w.trials] }));
  }

  start(trial: TrialView, restoreFrom?: CheckpointRef): void {
    if (this.runs.get(trial.id)?.live) throw new ContractError("RedisExecutor", `trial ${trial.id} is already running`);
    const placed = this.place(trial.resources);
    if (!placed) throw new ContractError("RedisExecutor.start", `no worker has room for ${JSON.stringify(trial.resources)}; the loop must check canPlace first`);
    const run = this.newAttempt(trial.id, trial.resources, placed.worker, placed.allocation);
    this.busy++;
    let from: CheckpointRef | undefined;
    try {
      from = restoreFrom === undefined ? undefined : this.usable(trial.id, restoreFrom, false);
    } catch (error) {
      // Deliver the failure from a fresh task: the loop is still inside the call that started this trial.
      setImmediate(() => this.failRun(run, (error as Error).message));
      return;
    }
    this.send(run, { type: "start", config: trial.config, resources: trial.resources, ...(from !== undefined ? { restoreFrom: plainCheckpoint(from) } : {}) });
  }

  continueTrial(trialId: string): void {
    const run = this.live(trialId);
    this.busy++;
    run.awaiting = "step";
    this.send(run, { type: "continue" });
  }

  save(trialId: string): void {
    const run = this.live(trialId);
    this.busy++;
    run.awaiting = "save";
    this.send(run, { type: "save" });
  }

  restore(trialId: string, checkpoint: CheckpointRef, config: Config): void {
    const run = this.live(trialId);
    this.busy++;
    run.awaiting = "step";
    let from: CheckpointRef | undefined;
    try {
      from = this.usable(trialId, checkpoint, true);
    } catch (error) {
      setImmediate(() => this.failRun(run, (error as Error).message));
      return;
    }
    if (from !== undefined) {
      this.send(run, { type: "restore", checkpoint: plainCheckpoint(from), config });
      return;
    }
    // A donor's (PBT), none left: the exploit was undone, the actor goes on with its own weights and config.
    if (checkpoint.trialId !== trialId) {
      this.send(run, { type: "continue" });
      return;
    }
    // Its own, none left: from scratch under the new config (the loop counted a failure), as a new
    // attempt on the same worker, so no reply of the old one can pass for the new one's.
    this.send(run, { type: "stop" });
    const { worker, resources } = run;
    this.endRun(run);
    const allocation = worker.allocator.allocate(resources) as Allocation;
    this.newAttempt(trialId, resources, worker, allocation);
    this.send(this.runs.get(trialId) as TrialRun, { type: "start", config, resources });
  }

  stop(trialId: string): void {
    const run = this.runs.get(trialId);
    if (!run || !run.live) return;
    if (run.awaiting !== undefined) this.busy--;
    this.send(run, { type: "stop" });
    this.endRun(run);
  }

  discard(checkpoint: CheckpointRef): void {
    this.storage.discard(checkpoint.handle);
  }

  /** Resolves once `isFinished()` holds after an event; rejects with the loop's own error, or a DeadlockError when nothing has run for waitForWorkersSeconds. */
  run(isFinished: () => boolean): Promise<void> {
    return this.pump.run(isFinished);
  }

  /** Tells the workers the session is over (they free its actors) and disconnects. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.poller);
    const { client, keys, session } = this.connection;
    try {
      const pipeline = client.pipeline();
      for (const w of this.workers.values()) pipeline.xadd(keys.commands(w.info.id), "*", MESSAGE_FIELD, JSON.stringify({ v: REDIS_PROTOCOL_VERSION, type: "close", session }));
      pipeline.del(keys.sessionAlive(session), keys.replies(session));
      await withTimeout(pipeline.exec(), 5000);
    } catch {
      // Redis gone: the workers free the session's actors when its key expires.
    }
    this.connection.close();
    await this.reading.catch(() => undefined);
  }

  // ---- workers -------------------------------------------------------------

  private join(info: WorkerInfo, announce: boolean): void {
    if (this.excluded.has(info.id) || this.workers.has(info.id)) return;
    if (info.v !== REDIS_PROTOCOL_VERSION) {
      this.excluded.add(info.id);
      this.counts.workersRefused++;
      this.warn(`worker ${info.id} speaks protocol version ${info.v}; this driver speaks ${REDIS_PROTOCOL_VERSION}: it gets no trials`);
      return;
    }
    const gpus = (info.gpuIndexes ?? []).map((index) => ({ index }));
    const worker: WorkerState = { info, allocator: new ResourceAllocator({ cpu: info.cpu, gpus }), beat: undefined, changedAt: this.now(), trials: new Set() };
    this.workers.set(info.id, worker);
    this.largest = { cpu: Math.max(this.largest.cpu, info.cpu), gpu: Math.max(this.largest.gpu, info.gpu) };
    this.counts.workersJoined++;
    this.xadd(this.connection.keys.commands(info.id), this.open);
    if (announce) this.deliver((l) => l.onNodeAdded(info.id));
  }

  /** The worker is gone: its trials fail as recoverable (they restart from their checkpoints elsewhere). */
  private lose(worker: WorkerState, why: string): void {
    const id = worker.info.id;
    if (this.workers.get(id) !== worker) return;
    this.workers.delete(id);
    this.excluded.add(id);
    this.counts.workersLost++;
    this.meter.counts.nodesLost++;
    const { client, keys } = this.connection;
    // The lost set tells a worker that was only cut off to drop its actors and join again under a new id.
    client.multi().sadd(keys.lost, id).hdel(keys.workers, id).hdel(keys.heartbeats, id).del(keys.commands(id)).exec().catch(() => undefined);
    this.deliver((l) => l.onNodeLost(id));
    for (const trialId of [...worker.trials]) {
      const run = this.runs.get(trialId);
      if (!run || !run.live || run.worker !== worker) continue;
      if (run.awaiting !== undefined) this.busy--;
      this.endRun(run);
      this.meter.counts.preemptions++;
      this.deliver((l) => l.onFailed(trialId, true, `worker ${id} lost: ${why}`));
    }
  }

  private async poll(): Promise<void> {
    if (this.polling || this.closed) return;
    this.polling = true;
    try {
      const { client, keys } = this.connection;
      const answers = await client.multi().hgetall(keys.workers).hgetall(keys.heartbeats).set(keys.sessionAlive(this.connection.session), "1", "PX", SESSION_TTL_MS).exec();
      const workers = parseWorkers((answers?.[0]?.[1] ?? {}) as Record<string, string>);
      const beats = (answers?.[1]?.[1] ?? {}) as Record<string, string>;
      const now = this.now();
      // Time Redis was unreachable is nobody's missed heartbeat: start every worker's clock again.
      const restart = this.pollFailed;
      this.pollFailed = false;
      for (const info of workers.values()) this.join(info, true);
      const timeout = this.connection.options.workerTimeoutSeconds;
      for (const worker of [...this.workers.values()]) {
        if (!workers.has(worker.info.id)) {
          this.lose(worker, "it left (unregistered)");
          continue;
        }
        const beat = beats[worker.info.id];
        if (beat !== worker.beat || restart) {
          worker.beat = beat;
          worker.changedAt = now;
        } else if (now - worker.changedAt > timeout) {
          this.lose(worker, `no heartbeat for ${timeout} s`);
        }
      }
    } catch {
      this.pollFailed = true;
    } finally {
      this.polling = false;
    }
  }

  /** The live worker with the most free CPUs that fits `resources`, and its allocation. */
  private place(resources: Resources): { worker: WorkerState; allocation: Allocation } | undefined {
    let best: WorkerState | undefined;
    for (const w of this.workers.values()) {
      if (!w.allocator.fitsAfterReleasing([], resources)) continue;
      if (!best || w.info.cpu - w.allocator.cpuInUse > best.info.cpu - best.allocator.cpuInUse) best = w;
    }
    const allocation = best?.allocator.allocate(resources);
    return best && allocation ? { worker: best, allocation } : undefined;
  }

  // ---- messages ------------------------------------------------------------

  private send(run: TrialRun, body: DistributiveOmit<Extract<WorkerCommand, { trialId: string }>, "v" | "session" | "trialId" | "attempt" | "seq">): void {
    run.seq++;
    const command = { v: REDIS_PROTOCOL_VERSION, session: this.connection.session, trialId: run.trialId, attempt: run.attempt, seq: run.seq, ...body } as WorkerCommand;
    run.last = command;
    this.xadd(this.connection.keys.commands(run.worker.info.id), command);
  }

  private xadd(stream: string, message: WorkerCommand): void {
    // The connection queues commands while Redis is away; an error here means it was closed.
    this.connection.client.xadd(stream, "*", MESSAGE_FIELD, JSON.stringify(message)).catch(() => undefined);
  }

  private resendAwaited(): void {
    if (this.closed) return;
    this.refreshSession();
    for (const run of this.runs.values()) {
      if (!run.live || run.awaiting === undefined || run.last === undefined) continue;
      this.counts.resentCommands++;
      this.xadd(this.connection.keys.commands(run.worker.info.id), run.last);
    }
  }

  private refreshSession(): void {
    this.connection.client.set(this.connection.keys.sessionAlive(this.connection.session), "1", "PX", SESSION_TTL_MS).catch(() => undefined);
  }

  private async readReplies(): Promise<void> {
    const { reader, client, keys, session } = this.connection;
    const stream = keys.replies(session);
    while (!this.closed) {
      let entries: Awaited<ReturnType<typeof readStream>>;
      try {
        entries = await readStream(reader, stream, DRIVER_GROUP, session);
      } catch (error) {
        if (this.closed) return;
        // Redis lost the stream (it restarted without its data): create it again and go on.
        if (String((error as Error).message).includes("NOGROUP")) await client.xgroup("CREATE", stream, DRIVER_GROUP, "0", "MKSTREAM").catch(() => undefined);
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      for (const [, fields] of entries) this.handle(parseMessage(fields) as WorkerReply | undefined);
      if (entries.length > 0) {
        const ids = entries.map(([id]) => id);
        client.multi().xack(stream, DRIVER_GROUP, ...ids).xdel(stream, ...ids).exec().catch(() => undefined);
      }
    }
  }

  private handle(reply: WorkerReply | undefined): void {
    if (reply === undefined || reply.v !== REDIS_PROTOCOL_VERSION || typeof reply.trialId !== "string") {
      this.counts.malformed++;
      return;
    }
    const run = this.runs.get(reply.trialId);
    if (!run || !run.live || reply.attempt !== run.attempt || reply.worker !== run.worker.info.id) {
      this.counts.staleReplies++;
      return;
    }
    if (reply.seq !== run.seq || run.awaiting === undefined) {
      this.counts.duplicateReplies++;
      return;
    }
    if (reply.type === "result") {
      const key = resultKey(run.trialId, run.attempt, reply.iteration);
      if (run.awaiting !== "step" || this.recorded.has(key)) {
        this.counts.duplicateReplies++;
        return;
      }
      this.recorded.add(key);
      this.counts.results++;
      run.awaiting = undefined;
      this.busy--;
      const result = { trialId: run.trialId, iteration: reply.iteration, metrics: reply.metrics, time: this.now(), timeTotal: reply.timeTotal, done: reply.done };
      this.deliver((l) => l.onResult(result));
    } else if (reply.type === "checkpointed") {
      if (run.awaiting !== "save") {
        this.counts.duplicateReplies++;
        return;
      }
      run.awaiting = undefined;
      this.busy--;
      this.deliver((l) => l.onCheckpointed(reply.checkpoint));
    } else if (reply.type === "failed") {
      this.busy--;
      this.endRun(run);
      this.deliver((l) => l.onFailed(run.trialId, false, `${reply.reason} (on worker ${reply.worker})`, reply.stack));
    } else {
      this.counts.malformed++;
    }
  }

  /** A new placement of the trial on `worker`: the next attempt, awaiting its first step. */
  private newAttempt(trialId: string, resources: Resources, worker: WorkerState, allocation: Allocation): TrialRun {
    const attempt = (this.attempts.get(trialId) ?? 0) + 1;
    this.attempts.set(trialId, attempt);
    const run: TrialRun = { trialId, worker, allocation, resources, attempt, placedAt: this.now(), seq: 0, awaiting: "step", last: undefined, live: true };
    this.runs.set(trialId, run);
    worker.trials.add(trialId);
    this.placements.set(worker.info.id, (this.placements.get(worker.info.id) ?? 0) + 1);
    return run;
  }

  /**
   * The checkpoint a trial restores, checked by the driver before any worker reads it
   * (usableCheckpoint, as on one machine; the shared path is the driver's too): a damaged
   * one falls back to an earlier one with a warning naming the path, or to none (undefined),
   * as the loop decides. An object store would have to be checked on the worker.
   */
  private usable(trialId: string, checkpoint: CheckpointRef, live: boolean): CheckpointRef | undefined {
    if (this.storage.kind !== "shared-path") return checkpoint;
    return usableCheckpoint(this.storage.location, trialId, checkpoint, this.listener, live)?.ref;
  }

  /** The trial fails here, before its worker ran anything of this command. */
  private failRun(run: TrialRun, reason: string): void {
    if (!run.live) return;
    if (run.awaiting !== undefined) this.busy--;
    this.endRun(run);
    this.deliver((l) => l.onFailed(run.trialId, false, reason));
  }

  private endRun(run: TrialRun): void {
    this.meter.release(run);
    run.live = false;
    run.awaiting = undefined;
    run.worker.trials.delete(run.trialId);
    run.worker.allocator.release(run.allocation);
  }

  /** Calls the loop; an error it throws ends the run (it is not the trial's fault). */
  private deliver(call: (listener: ExecutorListener) => void): void {
    this.meter.counts.events++;
    this.pump.deliver(call);
  }

  private live(trialId: string): TrialRun {
    const run = this.runs.get(trialId);
    if (!run || !run.live) throw new ContractError("RedisExecutor", `trial ${trialId} is not running`);
    return run;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A checkpoint reference as JSON (the loop's ref may carry more than the fields a worker needs). */
function plainCheckpoint(checkpoint: CheckpointRef): CheckpointRef {
  return { trialId: checkpoint.trialId, iteration: checkpoint.iteration, timeTotal: checkpoint.timeTotal, handle: checkpoint.handle, ...(checkpoint.seq !== undefined ? { seq: checkpoint.seq } : {}) };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms).unref())]);
}
