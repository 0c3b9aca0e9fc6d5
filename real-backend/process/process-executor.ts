import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ContractError, DeadlockError, OptionError } from "../../core/contracts/index.ts";
import type { CheckpointRef, Config, DrivenExecutor, ExecutorListener, ExecutorStats, Resources, TrialView } from "../../core/contracts/index.ts";
import { rngFor, streamSeed, type RngState } from "../../core/rng.ts";
import { FileCheckpointStore, usableCheckpoint, type CheckpointMeta } from "../file-checkpoints.ts";
import { ListenerPump } from "../listener-pump.ts";
import { RealClockMeter } from "../real-clock-meter.ts";
import type { Trainable } from "../trainable.ts";
import { ActorProcess, type ActorSpawn } from "./actor-process.ts";
import { detectCapacity, detectGpus } from "./capacity.ts";
import { PROTOCOL_VERSION, ProtocolViolation, type Command, type Reply } from "./protocol.ts";
import { allocationEnv, ResourceAllocator, sameResources, type Allocation, type MachineCapacity } from "./resource-allocator.ts";

/**
 * Where a trial's code comes from: a module (path or file URL) whose export is a
 * trainable object, a class (Ray's class API) or a function (Ray's function API),
 * run by the Node worker host; or any executable speaking the protocol
 * (docs/protocol.md), e.g. `["python3", "train.py"]`.
 */
export type TrainableSource =
  | { readonly module: string; readonly export?: string }
  | { readonly command: readonly string[]; readonly cwd?: string; readonly env?: Readonly<Record<string, string>> };

export interface ProcessExecutorOptions {
  trainable: TrainableSource;
  seed: number | string;
  /** Per-trial `stdout.log`, `stderr.log` and checkpoint directories go under `<experimentDir>/<trialId>/`. */
  experimentDir: string;
  /** What trials may use. @defaultValue all CPUs (os.availableParallelism) and the GPUs nvidia-smi lists */
  capacity?: Resources;
  /** A process whose trial ended takes the next trial of the same resources. @defaultValue true when the trainable supports it */
  reuseActors?: boolean;
  /** Kills an actor whose step (or save) takes longer, and fails its trial. */
  stepTimeoutSeconds?: number;
  /** Node workers: the V8 heap limit (--max-old-space-size); commands get TUNELAB_MAX_MEMORY_MB (the Python helper applies it). */
  maxMemoryMB?: number;
}

/** One trial as the driver tracks it; its code runs in `actor`. */
interface TrialRun {
  readonly trialId: string;
  readonly resources: Resources;
  readonly actor: Actor;
  config: Config;
  iteration: number;
  timeTotal: number;
  /** Bumped when the trial stops or fails: replies and saves of an older generation are dropped. */
  generation: number;
  live: boolean;
  awaiting: "step" | "save" | undefined;
  sentAt: number;
  /** When the trial took its actor (for GPU-seconds). */
  placedAt: number;
  saveReply: ((rng: unknown) => void) | undefined;
}

/** One actor process and what it holds. */
interface Actor {
  readonly process: ActorProcess;
  readonly allocation: Allocation;
  readonly resources: Resources;
  ready: boolean;
  reuse: boolean;
  trial: TrialRun | undefined;
  /** The start command, held until `ready` arrives. */
  queuedStart: Command | undefined;
}

/** What the checkpoint store "saves": a request to the trial's actor. */
interface SaveRequest {
  readonly run: TrialRun;
  readonly meta: { rng: RngState };
}

const require = createRequire(import.meta.url);
const START_UP_GRACE_SECONDS = 60;
/** How long a stopped actor may take to exit on its own before it is killed. */
const STOP_GRACE_MS = 2000;

/**
 * Runs every trial in a child process, an actor that keeps the trainable's state
 * in memory from the trial's start to its end, holding the CPUs and GPUs it was
 * given (CUDA_VISIBLE_DEVICES and OMP_NUM_THREADS say which). The driver speaks
 * the trial protocol with it and never runs user code itself. An actor that
 * dies, hangs past `stepTimeoutSeconds` or breaks the protocol fails its trial
 * only. With `reuseActors`, an actor whose trial ended waits, keeping its
 * resources, for the next trial of the same shape; a start that needs room
 * evicts idle actors first.
 */
export class ProcessExecutor implements DrivenExecutor {
  readonly virtualClock = false;
  private readonly seed: number | string;
  private readonly experimentDir: string;
  private readonly spawnSpec: (allocation: Allocation) => ActorSpawn;
  private readonly allocator: ResourceAllocator;
  private readonly reuseActors: boolean | undefined;
  private readonly stepTimeoutSeconds: number | undefined;
  private readonly maxMemoryMB: number | undefined;
  private readonly store: FileCheckpointStore<SaveRequest>;
  private readonly runs = new Map<string, TrialRun>();
  private readonly actors = new Set<Actor>();
  private idle: Actor[] = [];
  /** Actors asked to stop that may not have exited yet: close() makes sure they are gone. */
  private readonly stopping = new Set<ActorProcess>();
  private listener: ExecutorListener | undefined;
  private busy = 0;
  /** One machine: with nothing busy, nothing can change, so that is a deadlock at once. */
  private readonly pump = new ListenerPump({
    busy: () => this.busy,
    starvation: { waitSeconds: 0, error: () => new DeadlockError("no trial is running and the experiment has not ended") },
  });
  private readonly meter = new RealClockMeter();

  constructor(options: ProcessExecutorOptions) {
    this.seed = options.seed;
    this.experimentDir = resolve(options.experimentDir);
    this.reuseActors = options.reuseActors;
    if (options.stepTimeoutSeconds !== undefined && !(options.stepTimeoutSeconds > 0 && Number.isFinite(options.stepTimeoutSeconds))) {
      throw new OptionError("stepTimeoutSeconds", `must be a finite number > 0, got ${options.stepTimeoutSeconds}`);
    }
    this.stepTimeoutSeconds = options.stepTimeoutSeconds;
    if (options.maxMemoryMB !== undefined && !(Number.isInteger(options.maxMemoryMB) && options.maxMemoryMB > 0)) {
      throw new OptionError("maxMemoryMB", `must be a whole number > 0, got ${options.maxMemoryMB}`);
    }
    this.maxMemoryMB = options.maxMemoryMB;
    this.allocator = new ResourceAllocator(capacityFrom(options.capacity));
    this.spawnSpec = spawnSpecFor(options.trainable, this.maxMemoryMB);
    this.store = new FileCheckpointStore<SaveRequest>(this.experimentDir, checkpointBridge(this));
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
    if (this.idle.some((a) => sameResources(a.resources, resources))) return true;
    return this.allocator.fitsAfterReleasing(
      this.idle.map((a) => a.allocation),
      resources,
    );
  }

  couldEverPlace(resources: Resources): boolean {
    return this.allocator.couldEverFit(resources);
  }

  totalResources(): Resources {
    return { cpu: this.allocator.capacity.cpu, gpu: this.allocator.capacity.gpus.length };
  }

  start(trial: TrialView, restoreFrom?: CheckpointRef): void {
    if (this.runs.get(trial.id)?.live) throw new ContractError("ProcessExecutor", `trial ${trial.id} is already running`);
    const previous = this.runs.get(trial.id);
    const actor = this.acquire(trial.resources);
    const run: TrialRun = {
      trialId: trial.id,
      resources: trial.resources,
      actor,
      config: trial.config,
      iteration: 0,
      timeTotal: 0,
      generation: (previous?.generation ?? 0) + 1,
      live: true,
      awaiting: "step",
      sentAt: 0,
      placedAt: this.now(),
      saveReply: undefined,
    };
    this.runs.set(trial.id, run);
    actor.trial = run;
    this.busy++;
    actor.process.logTo(join(this.experimentDir, trial.id));
    let command: Command;
    try {
      const restore = restoreFrom === undefined ? undefined : this.usableCheckpoint(run, restoreFrom, false);
      if (restore) {
        run.iteration = restore.meta.iteration;
        run.timeTotal = restore.meta.timeTotal;
      }
      command = {
        type: "start",
        version: PROTOCOL_VERSION,
        trialId: trial.id,
        config: trial.config,
        seed: streamSeed(this.seed, "trial", trial.id),
        restoreDir: restore?.dir ?? null,
        iteration: run.iteration,
        ...(restore?.rng !== undefined ? { rng: restore.rng } : {}),
      };
    } catch (error) {
      // Deliver the failure from a fresh task: the loop is still inside the call that started this trial.
      setImmediate(() => this.failTrial(run, error instanceof Error ? error.message : String(error)));
      return;
    }
    if (actor.ready) this.sendStep(run, command);
    else actor.queuedStart = command;
  }

  continueTrial(trialId: string): void {
    const run = this.live(trialId);
    this.busy++;
    run.awaiting = "step";
    this.sendStep(run, { type: "continue" });
  }

  save(trialId: string): void {
    const run = this.live(trialId);
    const generation = run.generation;
    this.busy++;
    run.awaiting = "save";
    const meta = { trialId, iteration: run.iteration, timeTotal: run.timeTotal, rng: rngFor(this.seed, "trial", trialId).save() };
    const request: SaveRequest = { run, meta };
    this.store.save(request, meta).then(
      (dir) => {
        if (run.generation !== generation) {
          // The trial was stopped while saving: nobody will ever refer to this directory.
          this.store.discard(dir);
          return;
        }
        run.awaiting = undefined;
        this.busy--;
        this.deliver((l) => l.onCheckpointed({ trialId, iteration: meta.iteration, timeTotal: meta.timeTotal, handle: dir }));
      },
      (error: unknown) => {
        if (run.generation === generation) this.failTrial(run, error instanceof Error ? error.message : String(error));
      },
    );
  }

  restore(trialId: string, checkpoint: CheckpointRef, config: Config): void {
    const run = this.live(trialId);
    this.busy++;
    run.awaiting = "step";
    const before = run.config;
    run.config = config;
    let restore: ReturnType<ProcessExecutor["usableCheckpoint"]>;
    try {
      restore = this.usableCheckpoint(run, checkpoint, true);
    } catch (error) {
      setImmediate(() => this.failTrial(run, error instanceof Error ? error.message : String(error)));
      return;
    }
    if (restore === undefined) {
      if (checkpoint.trialId !== trialId) {
        // A donor's (PBT), none left: the exploit was undone, the actor goes on with its own weights and config.
        run.config = before;
        this.sendStep(run, { type: "continue" });
        return;
      }
      // Its own, none left: from scratch under the new config (the loop counted a failure).
      run.iteration = 0;
      run.timeTotal = 0;
      this.sendStep(run, { type: "start", version: PROTOCOL_VERSION, trialId, config, seed: streamSeed(this.seed, "trial", trialId), restoreDir: null, iteration: 0 });
      return;
    }
    run.iteration = restore.meta.iteration;
    run.timeTotal = restore.meta.timeTotal;
    this.sendStep(run, {
      type: "restore",
      dir: restore.dir,
      config,
      iteration: restore.meta.iteration,
      ...(restore.rng !== undefined ? { rng: restore.rng } : {}),
    });
  }

  stop(trialId: string): void {
    const run = this.runs.get(trialId);
    if (!run || !run.live) return;
    this.endRun(run);
    const actor = run.actor;
    actor.trial = undefined;
    const between = run.awaiting === undefined;
    const reusable = between && actor.ready && actor.reuse && this.reuseActors !== false && actor.process.alive;
    if (!between) this.busy--;
    run.awaiting = undefined;
    if (reusable) this.idle.push(actor);
    else this.retire(actor, between);
  }

  /** Resolves once `isFinished()` holds after an event; rejects with the loop's own error, or a DeadlockError when nothing runs. */
  run(isFinished: () => boolean): Promise<void> {
    return this.pump.run(isFinished);
  }

  discard(checkpoint: CheckpointRef): void {
    if (typeof checkpoint.handle === "string") this.store.discard(checkpoint.handle);
  }

  /**
   * Ends every actor and waits until they are gone. Call it in `finally`. Idle actors
   * and those already asked to stop get their grace period: a program that exits on its
   * own flushes its buffered prints into stdout.log, which a SIGKILL would lose. Busy
   * ones are killed.
   */
  async close(): Promise<void> {
    const all = [...this.actors];
    const idle = new Set(this.idle);
    this.idle = [];
    for (const actor of all) actor.trial = undefined;
    const stopGracefully = (process: ActorProcess): Promise<void> => {
      process.stop(STOP_GRACE_MS);
      return process.exited;
    };
    await Promise.all([
      ...all.map((a) => (idle.has(a) && a.ready ? stopGracefully(a.process) : a.process.kill())),
      ...[...this.stopping].map((p) => p.exited),
    ]);
    this.actors.clear();
    this.stopping.clear();
  }

  /** Sends a command that the actor answers with a result. */
  private sendStep(run: TrialRun, command: Command): void {
    run.sentAt = performance.now();
    run.actor.process.send(command, this.timeout("step"));
  }

  private timeout(what: string): { seconds: number; what: string } | undefined {
    return this.stepTimeoutSeconds === undefined ? undefined : { seconds: this.stepTimeoutSeconds, what };
  }

  /** An idle actor of this shape, or a new one (evicting idle actors until the resources fit). */
  private acquire(resources: Resources): Actor {
    if (this.reuseActors !== false) {
      const k = this.idle.findIndex((a) => sameResources(a.resources, resources));
      if (k >= 0) {
        this.meter.counts.actorReuses++;
        return this.idle.splice(k, 1)[0] as Actor;
      }
    }
    let allocation = this.allocator.allocate(resources);
    while (allocation === undefined && this.idle.length > 0) {
      this.retire(this.idle.shift() as Actor, true);
      allocation = this.allocator.allocate(resources);
    }
    if (allocation === undefined) throw new ContractError("ProcessExecutor.start", `no room for ${JSON.stringify(resources)}; the loop must check canPlace first`);
    return this.spawnActor(resources, allocation);
  }

  private spawnActor(resources: Resources, allocation: Allocation): Actor {
    this.meter.counts.actorStarts++;
    const actor: Actor = {
      resources,
      allocation,
      ready: false,
      reuse: false,
      trial: undefined,
      queuedStart: undefined,
      process: undefined as unknown as ActorProcess,
    };
    (actor as { process: ActorProcess }).process = new ActorProcess(this.spawnSpec(allocation), {
      onReply: (reply, line) => this.onReply(actor, reply, line),
      onDeath: (reason) => this.onDeath(actor, reason),
    });
    // A program that never says `ready` (it does not speak the protocol) is caught too; start-up
    // (an interpreter, imports) gets a minute more than a step.
    if (this.stepTimeoutSeconds !== undefined) {
      actor.process.expectReply({ seconds: this.stepTimeoutSeconds + START_UP_GRACE_SECONDS, what: "start-up (waiting for ready)" });
    }
    this.actors.add(actor);
    return actor;
  }

  private onReply(actor: Actor, reply: Reply, line: string): void {
    const run = actor.trial;
    const violation = (problem: string) => actor.process.die(new ProtocolViolation(problem, line).message);
    if (reply.type === "ready") {
      if (actor.ready) return violation("a second ready");
      actor.ready = true;
      actor.reuse = reply.reuse;
      const start = actor.queuedStart;
      actor.queuedStart = undefined;
      if (start && run) this.sendStep(run, start);
      return;
    }
    if (reply.type === "error") return actor.process.die(reply.message);
    if (!actor.ready || run === undefined || run.awaiting === undefined) {
      const when = !actor.ready || run === undefined ? "before start" : "while no command awaits a reply";
      return violation(`a ${reply.type} ${when}`);
    }
    if (reply.type === "result") {
      if (run.awaiting !== "step") return violation("a result while a save awaits saved");
      run.awaiting = undefined;
      run.iteration++;
      run.timeTotal += (performance.now() - run.sentAt) / 1000;
      this.busy--;
      const result = { trialId: run.trialId, iteration: run.iteration, metrics: reply.metrics, time: this.now(), timeTotal: run.timeTotal, done: reply.done };
      this.deliver((l) => l.onResult(result));
      return;
    }
    if (run.awaiting !== "save" || run.saveReply === undefined) return violation("a saved while no save was asked for");
    const answer = run.saveReply;
    run.saveReply = undefined;
    answer(reply.rng);
  }

  /** The actor is gone: its trial (if any) fails, and its resources go back. */
  private onDeath(actor: Actor, reason: string): void {
    const wasIdle = this.idle.indexOf(actor);
    if (wasIdle >= 0) this.idle.splice(wasIdle, 1);
    const run = actor.trial;
    // failTrial retires the actor (its resources go back); otherwise retire it here. A retired actor
    // (one this executor killed) is no longer in `actors`, and its resources were released then.
    if (run !== undefined && run.live) this.failTrial(run, reason);
    else this.retire(actor);
  }

  private failTrial(run: TrialRun, reason: string): void {
    if (!run.live) return;
    const wasBusy = run.awaiting !== undefined;
    run.awaiting = undefined;
    this.endRun(run);
    run.actor.trial = undefined;
    this.retire(run.actor);
    if (wasBusy) this.busy--;
    this.deliver((l) => l.onFailed(run.trialId, false, reason));
  }

  private endRun(run: TrialRun): void {
    this.meter.release(run);
    run.live = false;
    run.generation++;
    const answer = run.saveReply;
    run.saveReply = undefined;
    if (answer) answer(undefined);
  }

  /**
   * Ends an actor and gives its resources back at once. A healthy one (its trial ended,
   * or an idle one evicted) is asked to `stop` and killed after a grace period; one
   * that failed is killed now.
   */
  private retire(actor: Actor, healthy = false): void {
    if (!this.actors.has(actor)) return;
    this.actors.delete(actor);
    this.allocator.release(actor.allocation);
    if (healthy && actor.ready) {
      actor.process.stop(STOP_GRACE_MS);
      this.stopping.add(actor.process);
      void actor.process.exited.then(() => this.stopping.delete(actor.process));
    } else {
      void actor.process.kill();
    }
  }

  /** Called by the checkpoint store inside its atomic save: the actor writes into `dir`. */
  requestSave(request: SaveRequest, dir: string): Promise<void> {
    const { run } = request;
    return new Promise<void>((resolvePromise, reject) => {
      if (!run.live) return reject(new Error(`trial ${run.trialId} stopped while saving`));
      run.saveReply = (rng) => {
        if (!run.live) return reject(new Error(`trial ${run.trialId} stopped while saving`));
        // The Node worker sends its random stream's state; other trainables keep their own.
        if (rng !== undefined) request.meta.rng = rng as RngState;
        resolvePromise();
      };
      run.actor.process.send({ type: "save", dir }, this.timeout("save"));
    });
  }

  /**
   * The checkpoint a trial restores, checked first (usableCheckpoint, shared with the
   * in-process executor): a damaged one falls back to an earlier one with a warning
   * naming the path, or to none (undefined). Garbage is never handed to the trainable.
   */
  private usableCheckpoint(run: TrialRun, checkpoint: CheckpointRef, live: boolean): { dir: string; meta: CheckpointMeta; rng: unknown } | undefined {
    const usable = usableCheckpoint(this.experimentDir, run.trialId, checkpoint, this.listener, live);
    if (usable === undefined) return undefined;
    // The trial's own checkpoint brings back its random stream; a clone keeps its own.
    return { dir: usable.dir, meta: usable.meta, rng: usable.ref.trialId === run.trialId ? usable.meta.rng : undefined };
  }

  /** Calls the loop; an error it throws ends the run (it is not the trial's fault). */
  private deliver(call: (listener: ExecutorListener) => void): void {
    this.meter.counts.events++;
    this.pump.deliver(call);
  }

  private live(trialId: string): TrialRun {
    const run = this.runs.get(trialId);
    if (!run || !run.live) throw new ContractError("ProcessExecutor", `trial ${trialId} is not running`);
    return run;
  }
}

/** The checkpoint store's view of the executor: "saving" asks the actor to write, "loading" is the actor's job. */
function checkpointBridge(executor: ProcessExecutor): Trainable<SaveRequest> {
  const notHere = (): never => {
    throw new ContractError("ProcessExecutor", "trials run in actor processes, never in the driver");
  };
  return {
    name: "process-actor",
    init: notHere,
    step: notHere,
    saveCheckpoint: (request, dir) => executor.requestSave(request, dir),
    loadCheckpoint: notHere,
  };
}

function capacityFrom(capacity: Resources | undefined): MachineCapacity {
  if (capacity === undefined) return detectCapacity();
  for (const field of ["cpu", "gpu"] as const) {
    const v = capacity[field];
    if (!Number.isFinite(v) || v < 0) throw new OptionError(`capacity.${field}`, `must be a finite number >= 0, got ${v}`);
  }
  if (!Number.isInteger(capacity.gpu)) throw new OptionError("capacity.gpu", `must be a whole number of GPUs, got ${capacity.gpu}`);
  // Detected devices first, so their real indexes reach CUDA_VISIBLE_DEVICES; beyond them, indexes follow on.
  const detected = capacity.gpu > 0 ? detectGpus() : [];
  const gpus = Array.from({ length: capacity.gpu }, (_, k) => detected[k] ?? { index: k });
  return { cpu: capacity.cpu, gpus };
}

/** How to spawn an actor for `source`, given its allocation. */
function spawnSpecFor(source: TrainableSource, maxMemoryMB: number | undefined): (allocation: Allocation) => ActorSpawn {
  const memoryEnv = maxMemoryMB === undefined ? {} : { TUNELAB_MAX_MEMORY_MB: String(maxMemoryMB) };
  if ("command" in source) {
    const [command, ...args] = source.command;
    if (command === undefined || command === "") throw new OptionError("trainable.command", "must name an executable, e.g. [\"python3\", \"train.py\"]");
    return (allocation) => ({
      command,
      args,
      ...(source.cwd !== undefined ? { cwd: source.cwd } : {}),
      env: { ...process.env, ...source.env, ...memoryEnv, ...allocationEnv(allocation), TUNELAB_PROTOCOL: String(PROTOCOL_VERSION) },
    });
  }
  if (typeof source.module !== "string" || source.module === "") throw new OptionError("trainable.module", "must be a path or file URL");
  const url = source.module.startsWith("file:") ? source.module : pathToFileURL(resolve(source.module)).href;
  if (!existsSync(fileURLToPath(url))) throw new OptionError("trainable.module", `no such file: ${fileURLToPath(url)}`);
  // tsx from this package's own dependencies (not the cwd's), so TypeScript modules load with no build step.
  const tsx = pathToFileURL(require.resolve("tsx")).href;
  // The source in a checkout; the compiled file in the installed package.
  const hostSource = fileURLToPath(new URL("./node-worker-host.ts", import.meta.url));
  const host = existsSync(hostSource) ? hostSource : fileURLToPath(new URL("./node-worker-host.js", import.meta.url));
  const heap = maxMemoryMB === undefined ? [] : [`--max-old-space-size=${maxMemoryMB}`];
  return (allocation) => ({
    command: process.execPath,
    args: ["--import", tsx, ...heap, host, url, source.export ?? "default"],
    env: { ...process.env, ...allocationEnv(allocation), TUNELAB_PROTOCOL: String(PROTOCOL_VERSION) },
  });
}
