/**
 * The floor the memory hierarchy puts under "FIFO on 10,000 GPUs keeps >= 70% of
 * its results/s on 256": the simulator's per-result data access with no
 * simulator logic. Trials live in `inFlight` slots; each result picks the next
 * slot from a precomputed order (every live trial once per round, rounds
 * shuffled, as with random step times), touches that trial's objects the way
 * the result path does, and stores one result in its history. A trial ends at
 * 27 results and a new one (new objects) takes its slot. Same trial and result
 * counts at both sizes; only the number of live trials differs.
 *
 *   npx tsx benchmarks/perf/trial-touch-floor.ts [--trials 30000] [--reps 5]
 *
 * Two layouts, each at 256 and 10,000 live trials, turn about in one process:
 * - objects: one object per concern, as now (run, trial, its history array,
 *   config, objective state replaced each step, random stream), a result object
 *   with its metrics allocated per result, plus the step's outcome and metrics;
 * - columns: the per-trial numbers in typed arrays indexed by slot (one cache
 *   line or two per result), the stored result still an object in the history
 *   (the `TrialView.history: Result[]` contract).
 *
 * Prints `name=value` lines: ns per result for each layout and size, and
 * `*_ratio_10000_vs_256` (results/s at 10,000 over results/s at 256).
 */
import { parseArgs } from "node:util";
import { numberFlag } from "../script-flags.ts";

const { values } = parseArgs({ options: { trials: { type: "string" }, reps: { type: "string" } } });
const TRIALS = numberFlag("trials", values.trials, 30_000, { integer: true, min: 1 });
const REPS = numberFlag("reps", values.reps, 5, { integer: true, min: 1 });
const RESULTS_PER_TRIAL = 27;
const SIZES = [256, 10_000] as const;

interface Metrics { loss: number; f: number }
interface Result { trialId: string; iteration: number; metrics: Metrics; time: number; timeTotal: number; done: boolean }
interface Config { x0: number; x1: number; x2: number; x3: number; x4: number; x5: number }
interface State { t: number; remaining: number; fingerprint: number; f: number; gap: number; decay: number; seconds: number }
class Stream { c = 1; s0 = 0.1; s1 = 0.2; s2 = 0.3; next(): number { const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10; this.s0 = this.s1; this.s1 = this.s2; return (this.s2 = t - (this.c = t | 0)); } }
class Run { generation = 0; iteration = 0; timeTotal = 0; pending: Metrics | undefined = undefined; state: State; constructor(readonly trialId: string, readonly config: Config, readonly rng: Stream, state: State) { this.state = state; } }
class TrialRecord { status = 1; lastResult: Result | undefined = undefined; readonly history: Result[] = []; constructor(readonly id: string, readonly index: number) {} }

/** Slot of each result: every live slot once per round, in a shuffled order (xorshift, fixed seed). */
function resultOrder(inFlight: number, results: number): Int32Array {
  const order = new Int32Array(results);
  const round = Int32Array.from({ length: inFlight }, (_, i) => i);
  let x = 0x9e3779b9;
  for (let at = 0; at < results; ) {
    for (let i = inFlight - 1; i > 0; i--) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      const j = (x >>> 0) % (i + 1);
      const tmp = round[i] as number; round[i] = round[j] as number; round[j] = tmp;
    }
    for (let i = 0; i < inFlight && at < results; i++) order[at++] = round[i] as number;
  }
  return order;
}

/** Keeps the finished trials alive, as the loop does (their histories are the run's output). */
let keep: unknown[] = [];
let sink = 0;

function objects(inFlight: number, order: Int32Array): number {
  const runs: Run[] = [];
  const trials: TrialRecord[] = [];
  const all: TrialRecord[] = [];
  let created = 0;
  const fresh = (slot: number) => {
    const id = `t${String(created).padStart(5, "0")}`;
    const config: Config = { x0: Math.random(), x1: Math.random(), x2: Math.random(), x3: Math.random(), x4: Math.random(), x5: Math.random() };
    const trial = new TrialRecord(id, created++);
    all.push(trial);
    trials[slot] = trial;
    runs[slot] = new Run(id, config, new Stream(), { t: 0, remaining: 1, fingerprint: config.x0, f: config.x1, gap: 1, decay: 0.9, seconds: 2 });
  };
  for (let s = 0; s < inFlight; s++) fresh(s);
  const t0 = process.cpuUsage();
  for (let i = 0; i < order.length; i++) {
    const slot = order[i] as number;
    const run = runs[slot] as Run;
    const trial = trials[slot] as TrialRecord;
    // The delivered result (the executor's event), stored in the history (the loop).
    const result: Result = { trialId: run.trialId, iteration: run.iteration, metrics: run.pending ?? { loss: 0, f: 0 }, time: i, timeTotal: run.timeTotal, done: false };
    run.pending = undefined;
    trial.history.push(result);
    trial.lastResult = result;
    // The next step (the objective): read the config and the state, draw noise, a new state and metrics.
    const c = run.config;
    const fingerprint = c.x0 + c.x1 * 1.41 + c.x2 * 2.83 + c.x3 * 4.24 + c.x4 * 5.66 + c.x5 * 7.07;
    const s = run.state;
    const t = s.t + 1;
    const remaining = s.remaining * s.decay;
    const noise = run.rng.next();
    const outcome = { metrics: { loss: s.f + s.gap * remaining + noise, f: s.f }, seconds: s.seconds, state: { t, remaining, fingerprint: fingerprint === s.fingerprint ? s.fingerprint : fingerprint, f: s.f, gap: s.gap, decay: s.decay, seconds: s.seconds } };
    run.state = outcome.state;
    run.iteration++;
    run.timeTotal += outcome.seconds;
    run.pending = outcome.metrics;
    if (trial.history.length === RESULTS_PER_TRIAL) fresh(slot);
  }
  const cpu = process.cpuUsage(t0);
  keep = all;
  sink += all.length;
  return ((cpu.user + cpu.system) * 1000) / order.length;
}

function columns(inFlight: number, order: Int32Array): number {
  // One row of numbers per slot: iteration, timeTotal, pending loss/f, state (7), config fingerprint, stream (4).
  const W = 16;
  const rows = new Float64Array(inFlight * W);
  const histories: Result[][] = [];
  const ids: string[] = [];
  const all: Result[][] = [];
  let created = 0;
  const fresh = (slot: number) => {
    const id = `t${String(created++).padStart(5, "0")}`;
    const history: Result[] = [];
    all.push(history);
    histories[slot] = history;
    ids[slot] = id;
    const r = slot * W;
    rows.fill(0, r, r + W);
    rows[r + 4] = 1; // remaining
    rows[r + 5] = Math.random(); // f
    rows[r + 6] = 1; // gap
    rows[r + 7] = 0.9; // decay
    rows[r + 8] = 2; // seconds
    rows[r + 9] = Math.random(); // config fingerprint
    rows[r + 10] = 1; rows[r + 11] = 0.1; rows[r + 12] = 0.2; rows[r + 13] = 0.3;
  };
  for (let s = 0; s < inFlight; s++) fresh(s);
  const t0 = process.cpuUsage();
  for (let i = 0; i < order.length; i++) {
    const slot = order[i] as number;
    const r = slot * W;
    const history = histories[slot] as Result[];
    const result: Result = { trialId: ids[slot] as string, iteration: rows[r] as number, metrics: { loss: rows[r + 2] as number, f: rows[r + 3] as number }, time: i, timeTotal: rows[r + 1] as number, done: false };
    history.push(result);
    const t = (rows[r + 14] as number) + 1;
    const remaining = (rows[r + 4] as number) * (rows[r + 7] as number);
    const tt = 2091639 * (rows[r + 11] as number) + (rows[r + 10] as number) * 2.3283064365386963e-10;
    rows[r + 11] = rows[r + 12] as number; rows[r + 12] = rows[r + 13] as number;
    const noise = (rows[r + 13] = tt - (rows[r + 10] = tt | 0));
    rows[r + 14] = t;
    rows[r + 4] = remaining;
    rows[r + 2] = (rows[r + 5] as number) + (rows[r + 6] as number) * remaining + noise;
    rows[r + 3] = rows[r + 5] as number;
    rows[r] = (rows[r] as number) + 1;
    rows[r + 1] = (rows[r + 1] as number) + (rows[r + 8] as number) * (rows[r + 9] as number > -1 ? 1 : 0);
    if (history.length === RESULTS_PER_TRIAL) fresh(slot);
  }
  const cpu = process.cpuUsage(t0);
  keep = all;
  sink += all.length;
  return ((cpu.user + cpu.system) * 1000) / order.length;
}

const layouts = { objects, columns } as const;
const orders = new Map(SIZES.map((n) => [n, resultOrder(n, TRIALS * RESULTS_PER_TRIAL)]));
const ns: Record<string, number[]> = {};
// Warm-up, then turn about: layout by layout, size by size, `REPS` times.
for (const run of Object.values(layouts)) run(256, resultOrder(256, 300 * RESULTS_PER_TRIAL));
for (let rep = 0; rep < REPS; rep++) {
  for (const [name, run] of Object.entries(layouts)) {
    for (const n of SIZES) {
      keep = [];
      (ns[`${name}_${n}`] ??= []).push(run(n, orders.get(n) as Int32Array));
    }
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
console.log(`trials=${TRIALS}`);
console.log(`results=${TRIALS * RESULTS_PER_TRIAL}`);
console.log(`reps=${REPS}`);
for (const name of Object.keys(layouts)) {
  for (const n of SIZES) console.log(`${name}_cpu_ns_per_result_${n}=${median(ns[`${name}_${n}`] as number[]).toFixed(1)}`);
  console.log(`${name}_ratio_10000_vs_256=${(median(ns[`${name}_256`] as number[]) / median(ns[`${name}_10000`] as number[])).toFixed(3)}`);
}
console.log(`load_average=${(await import("node:os")).loadavg()[0]?.toFixed(2)}`);
if (sink < 0) console.log(keep.length);
