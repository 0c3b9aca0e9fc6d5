import { ContractError, DeadlockError, emptyExecutorStats, OptionError, SavedStateError } from "../core/contracts/index.ts";
import { cloneTrialState, stepOutcomeProblem } from "../core/user-code-checks.ts";
import { noticeSaveDue } from "./notice-save.ts";
import type {
  CheckpointRef,
  Config,
  DrivenExecutor,
  ExecutorListener,
  ExecutorStats,
  Json,
  Objective,
  Resources,
  StepContext,
  TrialView,
} from "../core/contracts/index.ts";
import { rngFor, type Rng, type RngState } from "../core/rng.ts";
import { TrialActor, type CheckpointPayload } from "../core/trial-actor.ts";
import { stepTimeFactor } from "../core/resource-scaling.ts";
import type { EventTrace } from "../core/trace.ts";
import { PlacementIndex, shapeKey, SimNode, toUnits } from "./cluster.ts";
import type { ResolvedCluster, ResolvedNodeType } from "./cluster-spec.ts";
import { EventHeap } from "./event-heap.ts";
import { planScaleUp, SpotFailureWindow, trialsPerNode } from "./autoscaler.ts";
import { sampleLaunchDelay } from "./spot/launch-delay.ts";
import { pickVictims, stormVictims } from "./spot/storm.ts";

const STEP_DONE = 0;
const SAVE_DONE = 1;
const NODE_LOST = 2;
const NODE_UP = 3;
const STEP_FAILED = 4;
const PREEMPTION_NOTICE = 5;
/** An autoscaler launch completes (target: launch index): the node joins, or the spot launch fails. */
const NODE_LAUNCHED = 6;
/** An autoscaled node's idle timeout (target: node index). */
const IDLE_CHECK = 7;
/** A storm strikes, or its notice goes out (target: storm index). */
const STORM = 8;
/** A point of the availability trace takes effect (target: point index). */
const AVAILABILITY = 9;

/** A node asked of the cloud, not yet joined. */
interface Launch {
  readonly type: ResolvedNodeType;
  readonly typeIndex: number;
  readonly requestedAt: number;
  /** Joined or failed: no longer capacity on the way. */
  done: boolean;
}

/** A simulated checkpoint: the shared payload, held in memory. */
export interface SimCheckpoint extends CheckpointPayload {
  /** Set by `discard`: restoring it afterwards is a bug in the loop (the wrong weights, in Ray's terms). */
  discarded?: true;
}

/** One trial's actor, plus where it sits in the simulated cluster. */
class Run extends TrialActor {
  node: SimNode | undefined = undefined;
  /** Outcome of the step in flight, delivered when its event pops. */
  pendingMetrics: Record<string, number> | undefined = undefined;
  pendingDone = false;
  /** Message of the error the objective threw, delivered as a failure when its event pops. */
  pendingError: string | undefined = undefined;
  /** When the actor took its resources. */
  placedAt = 0;
  /** Last moment whose work is safe in a checkpoint (placement or last save): preemption loses the rest. */
  durableAt = 0;
  gpuUnits = 0;
  cpuUnits = 0;
  /** Step seconds multiplier for the resources held now (the objective's resourceScaling); 1 without one. */
  timeFactor = 1;
  /** Lost with its node and not yet placed again: part of the autoscaler's pending demand. */
  awaitingRestart = false;
  /** When the step in flight ends (the next step boundary while it runs). */
  stepEndsAt = 0;
  /** Under a notice, the node's deadline while this trial's notice save is still to come (see notice-save.ts). */
  noticeDeadline: number | undefined = undefined;
  constructor(
    readonly index: number,
    trialId: string,
    resources: Resources,
    rng: Rng,
  ) {
    super(trialId, resources, rng);
  }
}

/** The simulator's figures: every field of ExecutorStats is meaningful here. */
export type SimStats = ExecutorStats;

export interface SimExecutorOptions {
  objective: Objective;
  cluster: ResolvedCluster;
  seed: number | string;
  trace?: EventTrace;
  /** Check after every event that no node holds more than its capacity, and the autoscaler's min and max (tests; costs time). */
  checkInvariants?: boolean;
  /** The experiment's trial cap, so the autoscaler does not count demand for trials that will never exist. @defaultValue unlimited */
  trialLimit?: number;
}

/**
 * Discrete-event executor: a virtual clock, nodes with CPUs and GPUs, actor
 * start-up, checkpoint save and restore costs, spot preemption as a per-node
 * Poisson process with replacement nodes. Same seed => same event order.
 */
export class SimExecutor implements DrivenExecutor {
  readonly virtualClock = true;
  private clock = 0;
  private readonly heap = new EventHeap();
  private readonly nodes: SimNode[] = [];
  /** Nodes by free capacity: placement and canPlace without scanning every node. */
  private readonly placement = new PlacementIndex();
  private readonly runs: Run[] = [];
  private readonly runByTrial = new Map<string, Run>();
  /**
   * The run whose event is being delivered: the loop's answer to a result
   * (continue, save, stop) names that same trial, so `runOf` finds it without a
   * Map lookup, a cache miss per result with thousands of trials in flight.
   */
  private delivering: Run | undefined = undefined;
  private readonly objective: Objective;
  private readonly cluster: ResolvedCluster;
  private readonly seed: number | string;
  private readonly trace: EventTrace | undefined;
  private readonly checkInvariants: boolean;
  private readonly preemptionRng: Rng;
  private listener: ExecutorListener | undefined;
  private warmNodes: SimNode[] = [];
  private nodeCounter = 0;
  private readonly stepContext: { iteration: number; rng: Rng; resources: Resources };
  private readonly counts: SimStats = emptyExecutorStats();
  // ---- the cloud: autoscaling, storms, availability (idle unless the cluster asks for them)
  private readonly autoscaling: boolean;
  private readonly launches: Launch[] = [];
  private launchesInFlight = 0;
  /** Per node type: nodes alive (doomed ones included) plus launches in flight. */
  private readonly typeCounts: number[];
  private readonly typeIndex = new Map<ResolvedNodeType, number>();
  /** The shape (thousandths) of a trial the loop could not place, until a trial is placed again. */
  private demand: { cpu: number; gpu: number } | undefined = undefined;
  private readonly trialLimit: number;
  private awaitingRestart = 0;
  private readonly spotFailures: SpotFailureWindow | undefined;
  private fallingBack = false;
  /** Something the autoscaler's pass reacts to happened (a node lost, ended or failed to launch; the start). */
  private scaleDirty = true;
  private readonly launchRng: Rng;
  private readonly stormRng: Rng;

  constructor(options: SimExecutorOptions) {
    this.objective = options.objective;
    this.cluster = options.cluster;
    this.seed = options.seed;
    this.trace = options.trace;
    this.checkInvariants = options.checkInvariants ?? false;
    this.preemptionRng = rngFor(this.seed, "preemption");
    this.stepContext = { iteration: 0, rng: this.preemptionRng, resources: { cpu: 0, gpu: 0 } };
    this.autoscaling = this.cluster.autoscaler !== undefined;
    this.trialLimit = options.trialLimit ?? Number.POSITIVE_INFINITY;
    const autoscaler = this.cluster.autoscaler;
    this.spotFailures = autoscaler ? new SpotFailureWindow(autoscaler.fallbackFailures, autoscaler.fallbackWindowSeconds) : undefined;
    this.launchRng = rngFor(this.seed, "launch");
    this.stormRng = rngFor(this.seed, "storm");
    this.typeCounts = this.cluster.nodeTypes.map(() => 0);
    this.cluster.nodeTypes.forEach((type, i) => this.typeIndex.set(type, i));
    for (const type of this.cluster.nodeTypes) {
      for (let i = 0; i < type.count; i++) this.addNode(type);
    }
    // A storm or a drop in availability is announced `notice` seconds ahead (never before the start).
    const notice = this.cluster.preemptionNoticeSeconds;
    this.cluster.storms.forEach((storm, i) => this.heap.push(Math.max(0, storm.atSeconds - notice), STORM, i, 0));
    this.cluster.availability?.points.forEach((point, i) => this.heap.push(Math.max(0, point.time - notice), AVAILABILITY, i, 0));
  }

  // ---- Executor ----------------------------------------------------------

  stats(): SimStats {
    return { ...this.counts };
  }

  now(): number {
    return this.clock;
  }

  /** GPU-seconds held so far, trials still running counted up to now: the meter of a GPU-hour budget. */
  gpuSecondsUsed(): number {
    let used = this.counts.gpuSeconds;
    for (const node of this.nodes) {
      for (const index of node.runs) {
        const run = this.runs[index] as Run;
        used += (run.gpuUnits / 1000) * (this.clock - run.placedAt);
      }
    }
    return used;
  }

  setListener(listener: ExecutorListener): void {
    this.listener = listener;
  }

  canPlace(resources: Resources): boolean {
    const cpu = toUnits(resources.cpu);
    const gpu = toUnits(resources.gpu);
    if (this.placement.canPlace(cpu, gpu)) return true;
    // Pending demand for the autoscaler, as a queued placement group is in Ray.
    if (this.autoscaling && this.demand === undefined) this.demand = { cpu, gpu };
    return false;
  }

  couldEverPlace(resources: Resources): boolean {
    const cpu = toUnits(resources.cpu);
    const gpu = toUnits(resources.gpu);
    return this.cluster.nodeTypes.some((t) => t.maxCount > 0 && toUnits(t.cpus) >= cpu && toUnits(t.gpus) >= gpu);
  }

  totalResources(): Resources {
    let cpu = 0;
    let gpu = 0;
    for (const node of this.nodes) {
      if (!node.alive || node.doomed) continue;
      cpu += node.capacityCpu;
      gpu += node.capacityGpu;
    }
    return { cpu: cpu / 1000, gpu: gpu / 1000 };
  }

  start(trial: TrialView, restoreFrom?: CheckpointRef): void {
    const node = this.placement.place(trial.resources, this.warmNodes);
    if (!node) throw new ContractError("SimExecutor.start", `no free node fits trial ${trial.id}; the loop must check canPlace first`);
    let run = this.runByTrial.get(trial.id);
    if (!run) {
      run = new Run(this.runs.length, trial.id, trial.resources, rngFor(this.seed, "trial", trial.id));
      this.runs.push(run);
      this.runByTrial.set(trial.id, run);
    }
    run.generation++;
    run.node = node;
    // Resources change only here, at a (re)start from a checkpoint: never under a running step.
    run.resources = trial.resources;
    run.timeFactor = stepTimeFactor(this.objective.resourceScaling, trial.resources);
    if (run.awaitingRestart) {
      run.awaitingRestart = false;
      this.awaitingRestart--;
    }
    // Placed: what the loop still cannot place it asks for again.
    this.demand = undefined;
    if (node.runs.size === 0) node.idleSeconds += this.clock - node.idleSince;
    run.gpuUnits = toUnits(trial.resources.gpu);
    run.cpuUnits = toUnits(trial.resources.cpu);
    this.placement.adjustFree(node, -run.cpuUnits, -run.gpuUnits);
    node.runs.add(run.index);
    run.placedAt = this.clock;
    run.durableAt = this.clock;
    run.config = trial.config;

    let delay = this.startupSeconds(node, trial.resources);
    if (restoreFrom) {
      const cp = usable(restoreFrom);
      run.adopt({ ...cp, state: this.checkpointState(cp.state) }, restoreFrom.trialId);
      delay += this.objective.restoreSeconds ?? this.cluster.restoreSeconds;
    } else {
      try {
        run.beginFresh(this.objective.init(run.config, run.rng));
      } catch (error) {
        this.failLater(run, delay, error);
        return;
      }
    }
    this.trace?.emit(this.clock, "actor_start", { trial: trial.id, node: node.id, startup: delay });
    this.step(run, delay);
  }

  continueTrial(trialId: string): void {
    this.step(this.runOf(trialId), 0);
  }

  save(trialId: string): void {
    const run = this.runOf(trialId);
    this.heap.push(this.clock + (this.objective.checkpointSeconds ?? this.cluster.checkpointSeconds), SAVE_DONE, run.index, run.generation);
  }

  restore(trialId: string, checkpoint: CheckpointRef, config: Config): void {
    const run = this.runOf(trialId);
    const cp = usable(checkpoint);
    // An exploit: the donor's state and iteration; the random stream stays the trial's own (TrialActor.adopt).
    run.adopt({ ...cp, state: this.checkpointState(cp.state) }, checkpoint.trialId);
    run.config = config;
    this.step(run, this.objective.restoreSeconds ?? this.cluster.restoreSeconds);
  }

  /** The state a restart from a checkpoint runs on: the checkpoint's own for an objective that never modifies states, else a copy. */
  private checkpointState(state: unknown): unknown {
    return this.objective.immutableState === true ? state : structuredClone(state);
  }

  /** The checkpoint's state is dropped (memory in the simulator; a directory for a real backend). */
  discard(checkpoint: CheckpointRef): void {
    const cp = checkpoint.handle as SimCheckpoint;
    cp.discarded = true;
    (cp as { state: unknown }).state = undefined;
  }

  stop(trialId: string): void {
    const run = this.runOf(trialId);
    const node = run.node;
    if (!node) return;
    this.releaseRun(run);
    if (this.cluster.reuseActors && node.alive) {
      const shape = shapeKey(run.resources);
      node.warm.set(shape, (node.warm.get(shape) ?? 0) + 1);
      this.warmNodes.push(node);
    }
  }

  // ---- saving the simulation (an exact save of the whole experiment) -----

  /**
   * The simulation between two events, as JSON: clock, event queue, nodes, each
   * trial's actor (the objective's state, iteration, pending step outcome, random
   * stream), the preemption stream and the counters. With `TuneLoop.save()` it
   * makes the whole experiment: restored into a fresh executor built with the
   * same options, the rest of the run is the same event for event. The
   * objective's states must be plain JSON data.
   */
  saveState(): Json {
    const state: SavedSimulation = {
      version: SIM_STATE_VERSION,
      clock: this.clock,
      heap: this.heap.save(),
      nodeCounter: this.nodeCounter,
      preemptionRng: this.preemptionRng.save(),
      launchRng: this.launchRng.save(),
      stormRng: this.stormRng.save(),
      counts: { ...this.counts },
      autoscaler: {
        launches: this.launches.map((l) => ({ typeIndex: l.typeIndex, requestedAt: l.requestedAt, done: l.done })),
        launchesInFlight: this.launchesInFlight,
        typeCounts: [...this.typeCounts],
        demand: this.demand ?? null,
        awaitingRestart: this.awaitingRestart,
        spotFailures: this.spotFailures?.save() ?? [],
        fallingBack: this.fallingBack,
        scaleDirty: this.scaleDirty,
      },
      warmNodes: this.warmNodes.map((n) => n.index),
      nodes: this.nodes.map((n) => ({
        type: this.cluster.nodeTypes.indexOf(n.type),
        id: n.id,
        upSince: n.upSince,
        downAt: Number.isFinite(n.downAt) ? n.downAt : null,
        alive: n.alive,
        doomed: n.doomed,
        lossAt: Number.isFinite(n.lossAt) ? n.lossAt : null,
        freeCpu: n.freeCpu,
        freeGpu: n.freeGpu,
        generation: n.generation,
        runs: [...n.runs],
        warm: [...n.warm],
        // NaN (a trial is placed) does not survive JSON: null stands for it.
        idleSince: Number.isNaN(n.idleSince) ? null : n.idleSince,
        idleSeconds: n.idleSeconds,
        billedFrom: n.billedFrom,
      })),
      runs: this.runs.map((r) => ({
        trialId: r.trialId,
        resources: { ...r.resources },
        rng: r.rng.save(),
        generation: r.generation,
        state: r.state as Json,
        config: r.config as Json,
        iteration: r.iteration,
        timeTotal: r.timeTotal,
        node: r.node?.index ?? null,
        pendingMetrics: r.pendingMetrics ?? null,
        pendingDone: r.pendingDone,
        pendingError: r.pendingError ?? null,
        placedAt: r.placedAt,
        durableAt: r.durableAt,
        gpuUnits: r.gpuUnits,
        cpuUnits: r.cpuUnits,
        timeFactor: r.timeFactor,
        awaitingRestart: r.awaitingRestart,
        stepEndsAt: r.stepEndsAt,
        noticeDeadline: r.noticeDeadline ?? null,
      })),
    };
    return JSON.parse(JSON.stringify(state)) as Json;
  }

  /** Back from `saveState()`, on a fresh executor built with the same options (before any trial starts). */
  restoreState(saved: Json): void {
    const s = saved as unknown as SavedSimulation;
    if (!s || s.version !== SIM_STATE_VERSION) {
      throw new SavedStateError("SimExecutor.restoreState", `found simulation state version ${String(s?.version)}, need ${SIM_STATE_VERSION}`);
    }
    if (this.runs.length > 0) throw new ContractError("SimExecutor.restoreState", "needs a fresh executor (no trial started yet)");
    this.clock = s.clock;
    this.heap.restore(s.heap);
    this.nodeCounter = s.nodeCounter;
    this.preemptionRng.restore(s.preemptionRng);
    this.launchRng.restore(s.launchRng);
    this.stormRng.restore(s.stormRng);
    Object.assign(this.counts, s.counts);
    const a = s.autoscaler;
    this.launches.length = 0;
    for (const l of a.launches) {
      const type = this.cluster.nodeTypes[l.typeIndex];
      if (!type) throw new SavedStateError("SimExecutor.restoreState", `a launch has node type #${l.typeIndex}, which this cluster does not have`);
      this.launches.push({ type, typeIndex: l.typeIndex, requestedAt: l.requestedAt, done: l.done });
    }
    this.launchesInFlight = a.launchesInFlight;
    a.typeCounts.forEach((count, i) => (this.typeCounts[i] = count));
    this.demand = a.demand ?? undefined;
    this.awaitingRestart = a.awaitingRestart;
    this.spotFailures?.restore(a.spotFailures);
    this.fallingBack = a.fallingBack;
    this.scaleDirty = a.scaleDirty;
    this.nodes.length = 0;
    this.placement.clear();
    s.nodes.forEach((n, index) => {
      const type = this.cluster.nodeTypes[n.type];
      if (!type) throw new SavedStateError("SimExecutor.restoreState", `node ${n.id} has node type #${n.type}, which this cluster does not have`);
      const node = new SimNode(index, n.id, type, n.upSince, n.billedFrom);
      node.idleSince = n.idleSince ?? Number.NaN;
      node.idleSeconds = n.idleSeconds;
      node.downAt = n.downAt ?? Number.POSITIVE_INFINITY;
      node.alive = n.alive;
      node.doomed = n.doomed;
      node.lossAt = n.lossAt ?? Number.POSITIVE_INFINITY;
      node.freeCpu = n.freeCpu;
      node.freeGpu = n.freeGpu;
      node.generation = n.generation;
      for (const run of n.runs) node.runs.add(run);
      for (const [shape, count] of n.warm) node.warm.set(shape, count);
      this.nodes.push(node);
      this.placement.add(node);
    });
    this.warmNodes = s.warmNodes.map((i) => this.nodes[i] as SimNode);
    this.runByTrial.clear();
    this.delivering = undefined;
    s.runs.forEach((r, index) => {
      const run = new Run(index, r.trialId, r.resources, rngFor(this.seed, "trial", r.trialId));
      run.rng.restore(r.rng);
      run.generation = r.generation;
      run.state = r.state;
      run.config = r.config as Config;
      run.iteration = r.iteration;
      run.timeTotal = r.timeTotal;
      run.node = r.node === null ? undefined : this.nodes[r.node];
      run.pendingMetrics = r.pendingMetrics ?? undefined;
      run.pendingDone = r.pendingDone;
      run.pendingError = r.pendingError ?? undefined;
      run.placedAt = r.placedAt;
      run.durableAt = r.durableAt;
      run.gpuUnits = r.gpuUnits;
      run.cpuUnits = r.cpuUnits;
      run.timeFactor = r.timeFactor;
      run.awaitingRestart = r.awaitingRestart;
      run.stepEndsAt = r.stepEndsAt ?? 0;
      run.noticeDeadline = r.noticeDeadline ?? undefined;
      this.runs.push(run);
      this.runByTrial.set(r.trialId, run);
    });
  }

  // ---- driving -----------------------------------------------------------

  /**
   * Pops events until `isFinished()` or the heap is empty. Spot preemptions keep
   * the heap non-empty forever, so the loop's own end decides.
   */
  run(isFinished: () => boolean): void {
    const heap = this.heap;
    while (!isFinished()) {
      // The pass runs only when there is demand or a node went: nothing else changes its outcome.
      if (this.autoscaling && (this.scaleDirty || this.demand !== undefined)) this.reconcile();
      if (!heap.popInto()) throw new DeadlockError("the simulation ran out of events before the experiment ended");
      const event = heap.last;
      this.clock = event.time;
      this.counts.events++;
      this.dispatch(event.kind, event.target, event.generation);
      if (this.warmNodes.length > 0) this.coolActors();
      if (this.checkInvariants) this.assertCapacity();
    }
    this.closeBooks();
  }

  private dispatch(kind: number, target: number, generation: number): void {
    const listener = this.listener as ExecutorListener;
    if (kind === STEP_DONE) {
      const run = this.runs[target] as Run;
      if (run.generation !== generation || !run.node) return;
      // A boundary under a notice: ask for the notice save before the loop hears the result (it saves after it).
      if (run.noticeDeadline !== undefined) this.noticeBoundary(run);
      const metrics = run.pendingMetrics as Record<string, number>;
      run.pendingMetrics = undefined;
      this.delivering = run;
      listener.onResult({
        trialId: run.trialId,
        iteration: run.iteration,
        metrics,
        time: this.clock,
        timeTotal: run.timeTotal,
        done: run.pendingDone,
      });
    } else if (kind === STEP_FAILED) {
      const run = this.runs[target] as Run;
      if (run.generation !== generation || !run.node) return;
      const reason = run.pendingError ?? "the objective failed";
      this.releaseRun(run);
      listener.onFailed(run.trialId, false, reason);
    } else if (kind === SAVE_DONE) {
      const run = this.runs[target] as Run;
      if (run.generation !== generation || !run.node) return;
      // An objective whose states are never modified shares them with its checkpoints.
      const copy = this.objective.immutableState === true ? { state: run.state } : cloneTrialState(`objective "${this.objective.name}"`, run.trialId, run.state);
      if ("problem" in copy) {
        // A state that cannot be copied fails its trial, not the whole run.
        this.releaseRun(run);
        listener.onFailed(run.trialId, false, copy.problem);
        return;
      }
      // A save under a notice keeps the work since the last one from being lost with the node.
      if (run.node.doomed) this.counts.gpuSecondsSavedByNotice += (run.gpuUnits / 1000) * (this.clock - run.durableAt);
      run.durableAt = this.clock;
      const handle: SimCheckpoint = run.payload(copy.state);
      listener.onCheckpointed({ trialId: run.trialId, iteration: run.iteration, timeTotal: run.timeTotal, handle });
    } else if (kind === NODE_LOST) {
      const node = this.nodes[target] as SimNode;
      if (node.generation !== generation || !node.alive) return;
      this.loseNode(node);
    } else if (kind === PREEMPTION_NOTICE) {
      const node = this.nodes[target] as SimNode;
      if (node.generation !== generation || !node.alive) return;
      this.noticeArrives(node, node.lossAt);
    } else if (kind === NODE_UP) {
      const type = (this.nodes[target] as SimNode).type;
      if (!this.spotAvailable(type)) {
        // The trace has no capacity for the replacement now: try again when it rises, if it ever does.
        const retry = this.cluster.availability?.nextRise(type.name, this.clock, this.aliveOf(type));
        this.trace?.emit(this.clock, "launch_failed", { nodeType: type.name, retryAt: retry ?? null });
        if (retry !== undefined) this.heap.push(retry, NODE_UP, target, 0);
        return;
      }
      const node = this.addNode(type);
      listener.onNodeAdded(node.id);
    } else if (kind === NODE_LAUNCHED) {
      this.launched(this.launches[target] as Launch);
    } else if (kind === IDLE_CHECK) {
      const node = this.nodes[target] as SimNode;
      if (node.generation !== generation || !node.alive) return;
      this.idleCheck(node);
    } else if (kind === STORM) {
      this.storm(target);
    } else if (kind === AVAILABILITY) {
      this.availabilityPoint(target);
    }
  }

  private step(run: Run, delay: number): void {
    const ctx = this.stepContext;
    ctx.iteration = run.iteration + 1;
    ctx.rng = run.rng;
    ctx.resources = run.resources;
    let outcome;
    try {
      outcome = this.objective.step(run.state, run.config, ctx as StepContext);
    } catch (error) {
      this.failLater(run, delay, error);
      return;
    }
    const problem = stepOutcomeProblem(`objective "${this.objective.name}"`, run.trialId, outcome, true);
    if (problem !== undefined) {
      run.pendingError = problem;
      this.heap.push(this.clock + delay, STEP_FAILED, run.index, run.generation);
      return;
    }
    const seconds = outcome.seconds;
    if (!(seconds >= 0) || !Number.isFinite(seconds)) {
      throw new OptionError(`${this.objective.name}.step`, `returned seconds=${seconds} for trial ${run.trialId}; need a finite number >= 0`);
    }
    const duration = seconds * run.timeFactor;
    run.state = outcome.state;
    run.iteration++;
    run.timeTotal += duration;
    run.pendingMetrics = outcome.metrics;
    run.pendingDone = outcome.done === true;
    run.stepEndsAt = this.clock + delay + duration;
    this.heap.push(run.stepEndsAt, STEP_DONE, run.index, run.generation);
  }

  /** An objective that throws fails its trial (counting against maxFailures) when the step would have ended. */
  private failLater(run: Run, delay: number, error: unknown): void {
    run.pendingError = `${this.objective.name} threw: ${error instanceof Error ? error.message : String(error)}`;
    this.heap.push(this.clock + delay, STEP_FAILED, run.index, run.generation);
  }

  private startupSeconds(node: SimNode, resources: Resources): number {
    const shape = shapeKey(resources);
    const warm = node.warm.get(shape) ?? 0;
    if (warm > 0) {
      node.warm.set(shape, warm - 1);
      this.counts.actorReuses++;
      return 0;
    }
    this.counts.actorStarts++;
    if (this.objective.startupSeconds !== undefined) return this.objective.startupSeconds;
    return this.cluster.actorStartupSeconds + (resources.gpu > 0 ? this.cluster.gpuInitSeconds : 0);
  }

  private releaseRun(run: Run): void {
    const node = run.node as SimNode;
    run.noticeDeadline = undefined;
    this.placement.adjustFree(node, run.cpuUnits, run.gpuUnits);
    node.runs.delete(run.index);
    if (node.runs.size === 0) {
      node.idleSince = this.clock;
      if (node.alive && node.type.autoscaled) this.heap.push(this.clock + node.type.idleTimeoutSeconds, IDLE_CHECK, node.index, node.generation);
    }
    this.counts.gpuSeconds += (run.gpuUnits / 1000) * (this.clock - run.placedAt);
    run.node = undefined;
    run.generation++;
    run.pendingMetrics = undefined;
  }

  /** Actors not reused by the end of the event that freed them shut down. */
  private coolActors(): void {
    for (const node of this.warmNodes) node.warm.clear();
    this.warmNodes = [];
  }

  private addNode(type: ResolvedNodeType, billedFrom: number = this.clock): SimNode {
    const node = new SimNode(this.nodes.length, `n${this.nodeCounter++}`, type, this.clock, billedFrom);
    this.nodes.push(node);
    this.placement.add(node);
    this.bumpType(this.typeIndex.get(type) as number, 1);
    this.trace?.emit(this.clock, "node_up", { node: node.id, nodeType: type.name });
    // A node that never gets work goes after its idle timeout.
    if (type.autoscaled) this.heap.push(this.clock + type.idleTimeoutSeconds, IDLE_CHECK, node.index, node.generation);
    if (type.spot && type.preemptionRate > 0) {
      // Poisson process: exponential time to the next preemption, rate per node-hour.
      const u = this.preemptionRng.next();
      const hours = -Math.log(1 - u) / type.preemptionRate;
      const lostAt = this.clock + hours * 3600;
      node.lossAt = lostAt;
      const notice = this.cluster.preemptionNoticeSeconds;
      if (notice > 0) this.heap.push(Math.max(this.clock, lostAt - notice), PREEMPTION_NOTICE, node.index, node.generation);
      this.heap.push(lostAt, NODE_LOST, node.index, node.generation);
    }
    return node;
  }

  private loseNode(node: SimNode): void {
    const listener = this.listener as ExecutorListener;
    this.placement.update(node, (n) => (n.alive = false));
    node.generation++;
    node.downAt = this.clock;
    this.bumpType(this.typeIndex.get(node.type) as number, -1);
    this.counts.nodesLost++;
    this.scaleDirty = true;
    listener.onNodeLost(node.id);
    const victims = [...node.runs].map((i) => this.runs[i] as Run);
    // A fixed-size type gets its replacement after the delay; an autoscaled one through demand and minCount.
    if (node.type.autoscaled) {
      if (node.type.spot) this.spotFailures?.record(this.clock);
    } else {
      this.heap.push(this.clock + this.cluster.replacementDelaySeconds, NODE_UP, node.index, 0);
    }
    // One victim at a time: the loop may act on another victim (a PBT waiter restoring from the first) while that one still runs here.
    for (const run of victims) {
      if (!run.node) continue;
      this.counts.gpuSecondsLostToPreemption += (run.gpuUnits / 1000) * (this.clock - run.durableAt);
      this.counts.preemptions++;
      this.releaseRun(run);
      run.awaitingRestart = true;
      this.awaitingRestart++;
      listener.onFailed(run.trialId, true, `node ${node.id} was preempted`);
    }
  }

  private closeBooks(): void {
    let cost = 0;
    let onDemand = 0;
    let paidGpu = 0;
    let idle = 0;
    const availability = this.cluster.availability;
    for (const node of this.nodes) {
      const end = Math.min(node.downAt, this.clock);
      const hours = (end - node.billedFrom) / 3600;
      cost += availability && node.type.spot ? availability.cost(node.type.name, node.billedFrom, end, node.type.pricePerHour) : hours * node.type.pricePerHour;
      onDemand += hours * node.type.onDemandPricePerHour;
      paidGpu += (end - node.billedFrom) * node.type.gpus;
      idle += node.idleSeconds + (node.runs.size === 0 && end > node.idleSince ? end - node.idleSince : 0);
    }
    this.counts.costDollars = cost;
    this.counts.costOnDemandDollars = onDemand;
    this.counts.paidGpuSeconds = paidGpu;
    this.counts.idleNodeSeconds = idle;
    // Trials still holding resources at the end (none after a normal finish) count up to now.
    for (const run of this.runs) if (run.node) this.counts.gpuSeconds += (run.gpuUnits / 1000) * (this.clock - run.placedAt);
  }

  // ---- the cloud ---------------------------------------------------------

  private bumpType(typeIndex: number, by: number): void {
    this.typeCounts[typeIndex] = (this.typeCounts[typeIndex] as number) + by;
  }

  private aliveOf(type: ResolvedNodeType): number {
    let n = 0;
    for (const node of this.nodes) if (node.alive && !node.doomed && node.type === type) n++;
    return n;
  }

  /** Whether the availability trace lets one more spot node of `type` exist now. */
  private spotAvailable(type: ResolvedNodeType): boolean {
    const availability = this.cluster.availability;
    if (!availability || !type.spot) return true;
    return this.aliveOf(type) < availability.available(type.name, this.clock);
  }

  private priceNow(type: ResolvedNodeType): number {
    return (type.spot ? this.cluster.availability?.price(type.name, this.clock) : undefined) ?? type.pricePerHour;
  }

  /**
   * The autoscaler's pass, before each event: keep every type at its minCount,
   * then launch for the pending demand (Ray's bin-packing of queued requests onto
   * node types), falling back to on-demand after repeated spot failures.
   */
  private reconcile(): void {
    this.scaleDirty = false;
    const types = this.cluster.nodeTypes;
    const config = this.cluster.autoscaler as NonNullable<ResolvedCluster["autoscaler"]>;
    for (let i = 0; i < types.length; i++) {
      const type = types[i] as ResolvedNodeType;
      while ((this.typeCounts[i] as number) < type.minCount) this.launch(i, "min_count");
    }
    const fallingBack = (this.spotFailures as SpotFailureWindow).fallingBack(this.clock);
    if (fallingBack !== this.fallingBack) {
      this.fallingBack = fallingBack;
      this.trace?.emit(this.clock, fallingBack ? "spot_fallback" : "spot_resumed", {});
    }
    const demand = this.demand;
    if (demand) {
      let inFlightTrials = 0;
      for (const launch of this.launches) {
        if (!launch.done) inFlightTrials += trialsPerNode(launch.type, demand.cpu, demand.gpu);
      }
      const notStarted = this.trialLimit - this.runs.length;
      const waiting = Math.max(1, Math.min(config.pendingTrials, notStarted + this.awaitingRestart));
      let nodesUp = 0;
      for (let i = 0; i < types.length; i++) nodesUp += this.typeCounts[i] as number;
      const plan = planScaleUp({
        config,
        types,
        counts: this.typeCounts,
        prices: types.map((t) => this.priceNow(t)),
        inFlightTrials,
        launchesInFlight: this.launchesInFlight,
        nodesUp: nodesUp - this.launchesInFlight,
        demandTrials: waiting,
        cpu: demand.cpu,
        gpu: demand.gpu,
        avoidSpot: fallingBack,
      });
      for (const i of plan) this.launch(i, "demand");
    }
    if (this.checkInvariants) this.assertScaleBounds();
  }

  private launch(typeIndex: number, reason: "min_count" | "demand"): void {
    const type = this.cluster.nodeTypes[typeIndex] as ResolvedNodeType;
    const delay = sampleLaunchDelay(type.launchDelay, this.launchRng);
    this.launches.push({ type, typeIndex, requestedAt: this.clock, done: false });
    this.launchesInFlight++;
    this.bumpType(typeIndex, 1);
    this.heap.push(this.clock + delay, NODE_LAUNCHED, this.launches.length - 1, 0);
    this.trace?.emit(this.clock, "node_launch", { nodeType: type.name, reason, delay });
  }

  private launched(launch: Launch): void {
    this.launchesInFlight--;
    this.bumpType(launch.typeIndex, -1);
    launch.done = true;
    if (!this.spotAvailable(launch.type)) {
      this.scaleDirty = true;
      this.spotFailures?.record(this.clock);
      this.trace?.emit(this.clock, "launch_failed", { nodeType: launch.type.name });
      return;
    }
    // Billed from the request: the instance runs (and is charged) while it boots.
    const node = this.addNode(launch.type, launch.requestedAt);
    this.counts.nodesLaunched++;
    (this.listener as ExecutorListener).onNodeAdded(node.id);
  }

  private idleCheck(node: SimNode): void {
    if (node.runs.size > 0 || this.clock - node.idleSince < node.type.idleTimeoutSeconds - 1e-9) return;
    const typeIndex = this.typeIndex.get(node.type) as number;
    if ((this.typeCounts[typeIndex] as number) <= node.type.minCount) return;
    this.placement.update(node, (n) => (n.alive = false));
    node.generation++;
    node.downAt = this.clock;
    this.bumpType(typeIndex, -1);
    this.scaleDirty = true;
    this.trace?.emit(this.clock, "node_terminated", { node: node.id, nodeType: node.type.name, idleSeconds: this.clock - node.idleSince });
  }

  /**
   * A notice reaches a node that goes at `deadline`: it takes no new trials, and each trial on
   * it is told to save at its last step boundary that leaves time for the save (notice-save.ts).
   * A trial whose step in flight ends on that boundary is told now (the loop saves after its
   * next step); the others are told when they reach theirs (noticeBoundary).
   */
  private noticeArrives(node: SimNode, deadline: number): void {
    this.placement.update(node, (n) => (n.doomed = true));
    const checkpoint = this.objective.checkpointSeconds ?? this.cluster.checkpointSeconds;
    const dueNow: string[] = [];
    for (const i of node.runs) {
      const run = this.runs[i] as Run;
      run.noticeDeadline = undefined;
      // Saving, starting or between events: its next boundary decides.
      if (!(run.stepEndsAt > this.clock) || run.pendingMetrics === undefined) {
        run.noticeDeadline = deadline;
        continue;
      }
      // Its last step is in flight: it ends there, nothing to save for.
      if (run.pendingDone) continue;
      const due = noticeSaveDue(run.stepEndsAt, this.peekNextStepSeconds(run), checkpoint, deadline);
      if (due === "now") dueNow.push(run.trialId);
      else if (due === "later") run.noticeDeadline = deadline;
    }
    const notice = this.cluster.preemptionNoticeSeconds;
    const left = deadline - this.clock;
    // The Poisson notice goes out at lossAt - notice: report the notice, not its float residue.
    (this.listener as ExecutorListener).onPreemptionNotice(node.id, dueNow, Math.abs(left - notice) < 1e-9 ? notice : Math.min(notice, left));
  }

  /** A trial under a notice reached a step boundary: if it is its last one with time to save, the loop is told to save now. */
  private noticeBoundary(run: Run): void {
    const deadline = run.noticeDeadline as number;
    const node = run.node as SimNode;
    if (run.pendingDone) {
      run.noticeDeadline = undefined;
      return;
    }
    const due = noticeSaveDue(this.clock, this.peekNextStepSeconds(run), this.objective.checkpointSeconds ?? this.cluster.checkpointSeconds, deadline);
    if (due === "later") return;
    run.noticeDeadline = undefined;
    if (due === "now") (this.listener as ExecutorListener).onPreemptionNotice(node.id, [run.trialId], deadline - this.clock);
  }

  /**
   * Seconds the trial's next step would take, asked of the objective on a copy of its state
   * with its random stream rewound afterwards, so the run itself is untouched; undefined when
   * the objective would fail or the state cannot be copied.
   */
  private peekNextStepSeconds(run: Run): number | undefined {
    const copy = cloneTrialState(`objective "${this.objective.name}"`, run.trialId, run.state);
    if ("problem" in copy) return undefined;
    const ctx = this.stepContext;
    ctx.iteration = run.iteration + 1;
    ctx.rng = run.rng;
    ctx.resources = run.resources;
    const rewind = run.rng.save();
    try {
      const seconds = this.objective.step(copy.state, run.config, ctx as StepContext)?.seconds;
      return typeof seconds === "number" && seconds >= 0 && Number.isFinite(seconds) ? seconds * run.timeFactor : undefined;
    } catch {
      return undefined;
    } finally {
      run.rng.restore(rewind);
    }
  }

  /** Loses (or, with a notice, dooms) the chosen nodes; the loss itself happens at `lossAt`. */
  private reclaim(victims: readonly SimNode[], lossAt: number): void {
    for (const node of victims) {
      if (lossAt > this.clock) {
        // A spot node's own Poisson loss may come first: the earlier one is its deadline.
        node.lossAt = Math.min(node.lossAt, lossAt);
        this.noticeArrives(node, node.lossAt);
        this.heap.push(lossAt, NODE_LOST, node.index, node.generation);
      } else if (node.alive) {
        this.loseNode(node);
      }
    }
  }

  private storm(index: number): void {
    const storm = this.cluster.storms[index] as ResolvedCluster["storms"][number];
    const candidates = this.nodes.filter((n) => n.alive && !n.doomed && n.type.spot && (storm.nodeType === undefined || n.type.name === storm.nodeType));
    const victims = stormVictims(candidates, storm.fraction, this.stormRng);
    this.trace?.emit(this.clock, "storm", { at: storm.atSeconds, fraction: storm.fraction, lost: victims.length, of: candidates.length });
    this.reclaim(victims, storm.atSeconds);
  }

  private availabilityPoint(index: number): void {
    const point = (this.cluster.availability as NonNullable<ResolvedCluster["availability"]>).points[index] as NonNullable<ResolvedCluster["availability"]>["points"][number];
    const candidates = this.nodes.filter((n) => n.alive && !n.doomed && n.type.spot && n.type.name === point.type);
    const excess = candidates.length - point.available;
    if (excess <= 0) return;
    const victims = pickVictims(candidates, excess, this.stormRng);
    this.trace?.emit(this.clock, "capacity_drop", { nodeType: point.type, available: point.available, lost: victims.length });
    this.reclaim(victims, point.time);
  }

  /** The autoscaler's bounds: never above maxCount; after its pass, never below minCount. */
  private assertScaleBounds(): void {
    this.cluster.nodeTypes.forEach((type, i) => {
      const n = this.typeCounts[i] as number;
      if (n > type.maxCount || n < type.minCount) throw new Error(`node type ${type.name} has ${n} nodes (up or launching) at t=${this.clock}, outside [${type.minCount}, ${type.maxCount}]`);
    });
  }

  private assertCapacity(): void {
    for (const node of this.nodes) {
      if (node.freeCpu < 0 || node.freeGpu < 0 || node.freeCpu > node.capacityCpu || node.freeGpu > node.capacityGpu) {
        throw new Error(`node ${node.id} over capacity at t=${this.clock}: free cpu=${node.freeCpu} gpu=${node.freeGpu} (thousandths)`);
      }
    }
  }

  private runOf(trialId: string): Run {
    const delivering = this.delivering;
    const run = delivering !== undefined && delivering.trialId === trialId ? delivering : this.runByTrial.get(trialId);
    if (!run || !run.node) throw new ContractError("SimExecutor", `trial ${trialId} is not running in the simulator`);
    return run;
  }

  /** Nodes with their capacity and current allocation (for tests and reports). */
  nodeSnapshot(): Array<{ id: string; alive: boolean; capacityGpu: number; usedGpu: number; capacityCpu: number; usedCpu: number }> {
    return this.nodes.map((n) => ({
      id: n.id,
      alive: n.alive,
      capacityGpu: n.type.gpus,
      usedGpu: (n.capacityGpu - n.freeGpu) / 1000,
      capacityCpu: n.type.cpus,
      usedCpu: (n.capacityCpu - n.freeCpu) / 1000,
    }));
  }
}

// 2: the autoscaler, storm and launch streams, node idle/billing times, resource scaling.
const SIM_STATE_VERSION = 2;

/** `SimExecutor.saveState()`: plain data, indices into the node and run tables. */
interface SavedSimulation {
  version: number;
  clock: number;
  heap: ReturnType<EventHeap["save"]>;
  nodeCounter: number;
  preemptionRng: RngState;
  launchRng: RngState;
  stormRng: RngState;
  counts: SimStats;
  autoscaler: {
    launches: Array<{ typeIndex: number; requestedAt: number; done: boolean }>;
    launchesInFlight: number;
    typeCounts: number[];
    demand: { cpu: number; gpu: number } | null;
    awaitingRestart: number;
    spotFailures: number[];
    fallingBack: boolean;
    scaleDirty: boolean;
  };
  warmNodes: number[];
  nodes: Array<{
    type: number;
    id: string;
    upSince: number;
    downAt: number | null;
    alive: boolean;
    doomed: boolean;
    /** Absent in states saved before notice saves were timed (version 2 then too). */
    lossAt?: number | null;
    freeCpu: number;
    freeGpu: number;
    generation: number;
    runs: number[];
    warm: Array<[string, number]>;
    idleSince: number | null;
    idleSeconds: number;
    billedFrom: number;
  }>;
  runs: Array<{
    trialId: string;
    resources: Resources;
    rng: RngState;
    generation: number;
    state: Json;
    config: Json;
    iteration: number;
    timeTotal: number;
    node: number | null;
    pendingMetrics: Record<string, number> | null;
    pendingDone: boolean;
    pendingError: string | null;
    placedAt: number;
    durableAt: number;
    gpuUnits: number;
    cpuUnits: number;
    timeFactor: number;
    awaitingRestart: boolean;
    stepEndsAt?: number;
    noticeDeadline?: number | null;
  }>;
}

/** A checkpoint's state, refusing one that was discarded: the loop must never restore it. */
function usable(checkpoint: CheckpointRef): SimCheckpoint {
  const cp = checkpoint.handle as SimCheckpoint;
  if (cp.discarded) {
    throw new Error(`internal: restored the checkpoint of ${checkpoint.trialId} at iteration ${checkpoint.iteration} after it was discarded`);
  }
  return cp;
}
