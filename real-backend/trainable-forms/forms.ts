import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { Config, RandomStream } from "../../core/contracts/index.ts";
import type { Trainable } from "../trainable.ts";

/** What a trial's code gets besides its config. */
export interface TrialContext {
  readonly trialId: string;
  /** The trial's random stream, rngFor(seed, "trial", trialId); restored with the trial's own checkpoint. */
  readonly rng: RandomStream;
}

/** A step's outcome, as the protocol's `result` carries it. */
export interface StepReport {
  readonly metrics: Record<string, number>;
  readonly done: boolean;
}

/**
 * Ray's class API: `setup(config)` once, `step()` per iteration, `save(dir)` and
 * `load(dir)` for checkpoints, and optionally `reset(config)` so one actor
 * process serves trial after trial. `step` returns the metrics, plus `done: true`
 * on the last iteration.
 */
export interface TrainableClassInstance {
  setup(config: Config, context: TrialContext): void | Promise<void>;
  step(): Record<string, number | boolean> | Promise<Record<string, number | boolean>>;
  save?(dir: string): void | Promise<void>;
  load?(dir: string): void | Promise<void>;
  /** Re-initialises this instance for a new trial; return false when it cannot (a new instance is made). */
  reset?(config: Config, context: TrialContext): boolean | Promise<boolean>;
}
export type TrainableClass = new () => TrainableClassInstance;

/** Ray's function API: the function runs the whole trial and reports each iteration. */
export interface TrialSession extends TrialContext {
  readonly config: Config;
  /**
   * Reports one iteration's metrics (and a checkpoint directory this function wrote,
   * if any). Returns when the driver lets the trial go on; a stop or pause rejects
   * it with TrialStopped, which ends the function there.
   */
  report(metrics: Record<string, number>, options?: { checkpoint?: string }): Promise<void>;
  /** The checkpoint directory to resume from, or null on a fresh start. */
  getCheckpoint(): string | null;
}
export type TrainableFunction = (config: Config, session: TrialSession) => Promise<void>;

/** Thrown out of `session.report` when the driver ends the trial at that report. */
export class TrialStopped extends Error {
  constructor() {
    super("the driver ended this trial at this report");
  }
}

/**
 * One trainable form behind one face, so the worker host speaks the protocol the
 * same way for all of them. A trial is: begin (setup, then load when restoring),
 * steps, saves, restores (a new config and a checkpoint, possibly another trial's).
 */
export interface FormRunner {
  readonly reusable: boolean;
  begin(config: Config, context: TrialContext, restoreDir: string | null): Promise<void>;
  step(iteration: number): Promise<StepReport>;
  save(dir: string): Promise<void>;
  /** Ends the current trial (a stop, or a new trial on a reused actor). */
  end(): void;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "function") return "a function";
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}

/**
 * Picks the form of a module's export: an object with init/step, a class whose
 * prototype has step (Ray's class API), or any other function (Ray's function API).
 * Anything else is refused with a one-line reason naming `where`.
 */
export function runnerFor(exported: unknown, where: string): FormRunner {
  if (typeof exported === "function") {
    const proto = (exported as { prototype?: Record<string, unknown> }).prototype;
    if (proto !== undefined && typeof proto["step"] === "function") return classRunner(exported as TrainableClass, where);
    if (proto !== undefined && Object.getOwnPropertyNames(proto).length > 1) {
      throw new Error(`${where} is a class without a step() method; a class trainable needs setup(config) and step()`);
    }
    return new FunctionRunner(exported as TrainableFunction);
  }
  if (typeof exported === "object" && exported !== null && !Array.isArray(exported)) {
    const o = exported as Record<string, unknown>;
    if (typeof o["init"] === "function" && typeof o["step"] === "function") return objectRunner(exported as Trainable, where);
    const missing = ["init", "step"].filter((k) => typeof o[k] !== "function").join(" and ");
    throw new Error(`${where} is an object without ${missing} functions; a trainable object needs init(config, rng) and step(state, config, context)`);
  }
  throw new Error(`${where} is ${describe(exported)}; expected a trainable object {init, step}, a class with setup/step, or an async function (config, session)`);
}

/** The in-process object form, run in the worker: the state lives here between steps. */
function objectRunner(t: Trainable, where: string): FormRunner {
  if ((t.saveCheckpoint === undefined) !== (t.loadCheckpoint === undefined)) {
    throw new Error(`${where}: saveCheckpoint and loadCheckpoint go together: give both or neither`);
  }
  let state: unknown;
  let config: Config = {};
  let context: TrialContext | undefined;
  return {
    // init/step are plain functions of their arguments: any number of trials can follow one another.
    reusable: true,
    async begin(c, ctx, restoreDir) {
      config = c;
      context = ctx;
      state = restoreDir === null ? await t.init(c, ctx.rng) : await loadState(t, restoreDir);
    },
    async step(iteration) {
      const out = await t.step(state, config, { iteration, rng: (context as TrialContext).rng });
      state = out.state;
      return { metrics: out.metrics, done: out.done === true };
    },
    async save(dir) {
      if (t.saveCheckpoint) await t.saveCheckpoint(state, dir);
      else writeFileSync(join(dir, STATE_FILE), plainJson(state, t.name));
    },
    end() {
      state = undefined;
    },
  };
}

// Same file name and rule as FileCheckpointStore: a checkpoint is loadable by either executor.
const STATE_FILE = "state.json";

async function loadState(t: Trainable, dir: string): Promise<unknown> {
  if (t.loadCheckpoint) return t.loadCheckpoint(dir);
  return JSON.parse(readFileSync(join(dir, STATE_FILE), "utf8")) as unknown;
}

function plainJson(state: unknown, name: string): string {
  const json = JSON.stringify(state);
  if (json === undefined || !isDeepStrictEqual(JSON.parse(json), state)) {
    throw new Error(
      `trainable ${name}: its state is not plain JSON, so it cannot be saved as ${STATE_FILE}; give the trainable saveCheckpoint(state, dir) and loadCheckpoint(dir)`,
    );
  }
  return json;
}

function classRunner(Cls: TrainableClass, where: string): FormRunner {
  const proto = Cls.prototype as Partial<TrainableClassInstance>;
  if (typeof proto.setup !== "function") throw new Error(`${where} is a class without setup(config); a class trainable needs setup(config) and step()`);
  if ((typeof proto.save === "function") !== (typeof proto.load === "function")) {
    throw new Error(`${where}: save(dir) and load(dir) go together: give both or neither`);
  }
  let instance: TrainableClassInstance | undefined;
  let used = false;
  return {
    reusable: typeof proto.reset === "function",
    async begin(config, context, restoreDir) {
      // A reused actor re-initialises its instance (reset) instead of building a new one, as Ray's reuse_actors does.
      if (instance !== undefined && used && instance.reset !== undefined && (await instance.reset(config, context))) {
        // reset done
      } else {
        instance = new Cls();
        await instance.setup(config, context);
      }
      used = true;
      if (restoreDir !== null) {
        if (!instance.load) throw new Error(`${where} has no load(dir), so it cannot restore a checkpoint`);
        await instance.load(restoreDir);
      }
    },
    async step() {
      const out = await (instance as TrainableClassInstance).step();
      if (typeof out !== "object" || out === null) throw new Error(`${where}.step() returned ${describe(out)}; expected an object of metrics`);
      const { done, ...metrics } = out;
      return { metrics: metrics as Record<string, number>, done: done === true };
    },
    async save(dir) {
      const i = instance as TrainableClassInstance;
      if (!i.save) throw new Error(`${where} has no save(dir), so it cannot checkpoint`);
      await i.save(dir);
    },
    end() {
      // The instance stays for reset(config) by the next trial.
    },
  };
}

interface Pending {
  metrics: Record<string, number>;
  checkpoint: string | undefined;
  release: () => void;
  stop: () => void;
}

/**
 * Ray's function API on the step protocol: the function runs until its next
 * `report`, which parks it until the driver's next `continue`. A function that
 * returns ends its trial; like Ray, the driver then gets one closing result with
 * `done` repeating the last metrics.
 */
class FunctionRunner implements FormRunner {
  readonly reusable = true;
  private generation = 0;
  private config: Config = {};
  private context: TrialContext | undefined;
  private restoreDir: string | null = null;
  private running = false;
  private pending: Pending | undefined;
  private lastMetrics: Record<string, number> | undefined;
  private lastCheckpoint: string | undefined;
  private waiter: { resolve: (r: StepReport) => void; reject: (e: unknown) => void } | undefined;

  constructor(private readonly fn: TrainableFunction) {}

  async begin(config: Config, context: TrialContext, restoreDir: string | null): Promise<void> {
    this.end();
    this.config = config;
    this.context = context;
    this.restoreDir = restoreDir;
    this.lastMetrics = undefined;
    this.lastCheckpoint = undefined;
  }

  step(): Promise<StepReport> {
    return new Promise<StepReport>((resolve, reject) => {
      this.waiter = { resolve, reject };
      if (!this.running) this.launch();
      else if (this.pending) {
        const p = this.pending;
        this.pending = undefined;
        p.release();
      } else {
        // The function already returned after its last report: close the trial as Ray does.
        this.finish();
      }
    });
  }

  async save(dir: string): Promise<void> {
    if (this.lastCheckpoint === undefined) {
      throw new Error("the function's latest session.report(...) carried no checkpoint; report { checkpoint: dir } at the iterations the scheduler saves");
    }
    cpSync(this.lastCheckpoint, dir, { recursive: true });
  }

  end(): void {
    this.generation++;
    this.running = false;
    const p = this.pending;
    this.pending = undefined;
    p?.stop();
  }

  private launch(): void {
    this.running = true;
    const generation = this.generation;
    const context = this.context as TrialContext;
    const session: TrialSession = {
      trialId: context.trialId,
      rng: context.rng,
      config: this.config,
      getCheckpoint: () => this.restoreDir,
      report: (metrics, options) =>
        new Promise<void>((release, reject) => {
          if (generation !== this.generation) return reject(new TrialStopped());
          const checkpoint = options?.checkpoint;
          if (checkpoint !== undefined && !existsSync(checkpoint)) {
            return reject(new Error(`session.report: checkpoint directory ${checkpoint} does not exist`));
          }
          this.pending = { metrics, checkpoint, release, stop: () => reject(new TrialStopped()) };
          this.lastMetrics = metrics;
          this.lastCheckpoint = checkpoint;
          this.take()?.resolve({ metrics, done: false });
        }),
    };
    this.fn(this.config, session).then(
      () => {
        if (generation !== this.generation) return;
        this.running = true;
        if (this.waiter) this.finish();
      },
      (error: unknown) => {
        if (generation !== this.generation || error instanceof TrialStopped) return;
        this.take()?.reject(error);
      },
    );
  }

  private finish(): void {
    const waiter = this.take();
    if (!waiter) return;
    if (this.lastMetrics === undefined) waiter.reject(new Error("the trainable function returned without reporting any result"));
    else waiter.resolve({ metrics: this.lastMetrics, done: true });
  }

  private take() {
    const w = this.waiter;
    this.waiter = undefined;
    return w;
  }
}
