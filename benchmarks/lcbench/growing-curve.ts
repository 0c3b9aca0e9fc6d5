import type { LcbenchData, LcbenchOutput } from "./lcbench-data.ts";
import { LCBENCH_OUTPUTS } from "./lcbench-data.ts";
import { CAT_WIDTH, CONT_WIDTH, OUTPUT_WIDTH, type OnnxSurrogate } from "./onnx-surrogate.ts";

/**
 * Rows ONNX Runtime's matrix kernels compute together. A row's output depends on the
 * kernel that computes it, and on x86 a batch's rows go through it in blocks of 4 from
 * the batch's first row (a tail of 1-3 rows takes another kernel, rounding differently).
 * So a request made of whole 4-epoch blocks of a curve reproduces those rows of the
 * 52-row call bit for bit; `blockwiseExact` checks that on the machine before use.
 */
export const ROW_BLOCK = 4;

/**
 * One configuration's learning curve, predicted a block of epochs at a time: a trial
 * that ASHA stops at epoch 1 costs 8 surrogate rows (its first block and the last,
 * whose time sets the epoch-seconds floor), not 52. Epochs 1..known are filled.
 */
export interface GrowingCurve {
  readonly inputs: Float64Array;
  known: number;
  readonly columns: Readonly<Record<LcbenchOutput, Float64Array>>;
  /** Simulated seconds of each known epoch: increments of the cumulative `time`, floored (see `floor`). */
  readonly seconds: Float64Array;
  /**
   * 1% of the mean epoch time over the whole curve: the network's `time` is not forced
   * to increase, and a simulated step must take positive time.
   */
  readonly floor: number;
  /** Running max of `time` over the known epochs (the base of the next increment). */
  previous: number;
}

/** The epochs one surrogate call fills (1-based, ascending). */
function epochRange(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);
}

/** The surrogate's rows for `epochs` of one configuration: [task code] and [epoch, hyperparameters...] (see predictCurves). */
function predictEpochs(surrogate: OnnxSurrogate, code: number, inputs: Float64Array, epochs: readonly number[]): Float32Array {
  const cat = new Int32Array(epochs.length * CAT_WIDTH).fill(code);
  const cont = new Float32Array(epochs.length * CONT_WIDTH);
  epochs.forEach((epoch, r) => {
    cont[r * CONT_WIDTH] = epoch;
    cont.set(inputs, r * CONT_WIDTH + 1);
  });
  return surrogate.predict(cat, cont, epochs.length);
}

/**
 * Where the known prefix ends after a request for `epoch`: whole blocks, growing 4x
 * (4, 16, then the rest), as ASHA's rungs at reduction factor 4 do; `whole` asks for
 * every epoch at once (FIFO trains every trial to the end).
 */
function prefixEnd(known: number, epoch: number, maxEpoch: number, whole: boolean): number {
  if (whole) return maxEpoch;
  const end = Math.max(Math.ceil(epoch / ROW_BLOCK) * ROW_BLOCK, known === 0 ? ROW_BLOCK : known * 4);
  // Up to the last block, which is known from the start: the rest in one call.
  return end >= maxEpoch - ROW_BLOCK ? maxEpoch : end;
}

/** Whether the data's epochs split into whole blocks (LCBench's 52 do); if not, curves come whole. */
export function blocksFit(data: Pick<LcbenchData, "maxEpoch">): boolean {
  return data.maxEpoch % ROW_BLOCK === 0 && data.maxEpoch >= 2 * ROW_BLOCK;
}

/** Starts a configuration's curve with the epochs up to `epoch` (whole blocks) and its last block. */
export function startCurve(surrogate: OnnxSurrogate, data: LcbenchData, code: number, inputs: Float64Array, epoch: number, whole: boolean): GrowingCurve {
  const maxEpoch = data.maxEpoch;
  const end = whole || !blocksFit(data) ? maxEpoch : prefixEnd(0, epoch, maxEpoch, false);
  const tail = end < maxEpoch ? epochRange(maxEpoch - ROW_BLOCK + 1, maxEpoch) : [];
  const epochs = [...epochRange(1, end), ...tail];
  const out = predictEpochs(surrogate, code, inputs, epochs);
  const columns = Object.fromEntries(LCBENCH_OUTPUTS.map((name) => [name, new Float64Array(maxEpoch)])) as Record<LcbenchOutput, Float64Array>;
  fill(columns, out, epochs);
  const floor = Math.max(1e-6, (0.01 * Math.max(columns.time[maxEpoch - 1] as number, 0)) / maxEpoch);
  const curve: GrowingCurve = { inputs, known: 0, columns, seconds: new Float64Array(maxEpoch), floor, previous: 0 };
  advance(curve, end);
  return curve;
}

/** Predicts the curve's epochs up to at least `epoch` (no call when they are known). */
export function extendCurve(surrogate: OnnxSurrogate, data: LcbenchData, code: number, curve: GrowingCurve, epoch: number): void {
  if (epoch <= curve.known) return;
  const maxEpoch = data.maxEpoch;
  const end = prefixEnd(curve.known, epoch, maxEpoch, false);
  // The last block came with the first call.
  const epochs = epochRange(curve.known + 1, Math.min(end, maxEpoch - ROW_BLOCK));
  if (epochs.length > 0) fill(curve.columns, predictEpochs(surrogate, code, curve.inputs, epochs), epochs);
  advance(curve, end);
}

function fill(columns: Record<LcbenchOutput, Float64Array>, out: Float32Array, epochs: readonly number[]): void {
  epochs.forEach((epoch, r) => {
    LCBENCH_OUTPUTS.forEach((name, k) => {
      (columns[name] as Float64Array)[epoch - 1] = out[r * OUTPUT_WIDTH + k] as number;
    });
  });
}

/** Epoch seconds of the newly known epochs, as predictCurves computes them over a whole curve. */
function advance(curve: GrowingCurve, end: number): void {
  const time = curve.columns.time;
  for (let e = curve.known; e < end; e++) {
    curve.seconds[e] = Math.max(curve.floor, (time[e] as number) - curve.previous);
    curve.previous = Math.max(curve.previous, time[e] as number);
  }
  curve.known = end;
}

const checked = new WeakMap<OnnxSurrogate, boolean>();

/**
 * Whether block-wise requests reproduce the 52-row call bit for bit on this machine's
 * ONNX Runtime (its kernels differ between CPUs): a few configurations of a few tasks,
 * every block pattern startCurve and extendCurve make. Checked once per surrogate; when
 * false, every curve is predicted whole, as before.
 */
export function blockwiseExact(surrogate: OnnxSurrogate, data: LcbenchData): boolean {
  const known = checked.get(surrogate);
  if (known !== undefined) return known;
  let exact = blocksFit(data);
  const probes = [0.13, 0.5, 0.91];
  for (let p = 0; exact && p < probes.length; p++) {
    const u = probes[p] as number;
    const inputs = Float64Array.from(data.parameters, (param) => {
      const value = param.lower + u * (param.upper - param.lower);
      return param.integer ? Math.round(value) : value;
    });
    const code = data.taskCode.get(data.taskIds[(p * 11) % data.taskIds.length] as string) as number;
    const whole = startCurve(surrogate, data, code, inputs, 1, true);
    const grown = startCurve(surrogate, data, code, inputs, 1, false);
    for (const epoch of [ROW_BLOCK + 1, 4 * ROW_BLOCK + 1, data.maxEpoch]) extendCurve(surrogate, data, code, grown, epoch);
    exact = LCBENCH_OUTPUTS.every((name) => whole.columns[name].every((v, i) => Object.is(v, grown.columns[name][i]))) && whole.seconds.every((v, i) => Object.is(v, grown.seconds[i]));
  }
  checked.set(surrogate, exact);
  return exact;
}
