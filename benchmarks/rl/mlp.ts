import type { RandomStream } from "../../core/contracts/index.ts";

/**
 * A one-hidden-layer tanh network over plain number arrays, small enough that a
 * hand-written forward and backward pass beats any framework's call overhead
 * (CartPole's nets have ~100 weights). Parameters live in one flat array so that
 * checkpoints, Adam and PBT exploits copy them as plain data.
 *
 * Layout of `params`: W1 (hidden x inputs, row-major), b1 (hidden), W2 (outputs x hidden), b2 (outputs).
 */
export interface MlpShape {
  readonly inputs: number;
  readonly hidden: number;
  readonly outputs: number;
}

export const parameterCount = (s: MlpShape): number => s.hidden * s.inputs + s.hidden + s.outputs * s.hidden + s.outputs;

/** Glorot-uniform weights, zero biases. */
export function initMlp(shape: MlpShape, rng: RandomStream, outputScale = 1): number[] {
  const params = new Array<number>(parameterCount(shape)).fill(0);
  const { inputs, hidden, outputs } = shape;
  const a1 = Math.sqrt(6 / (inputs + hidden));
  for (let i = 0; i < hidden * inputs; i++) params[i] = (2 * rng.next() - 1) * a1;
  const w2 = hidden * inputs + hidden;
  const a2 = Math.sqrt(6 / (hidden + outputs)) * outputScale;
  for (let i = 0; i < outputs * hidden; i++) params[w2 + i] = (2 * rng.next() - 1) * a2;
  return params;
}

/** Forward pass: writes the hidden activations into `hiddenOut` and the outputs into `out`. */
export function mlpForward(shape: MlpShape, params: readonly number[], input: ArrayLike<number>, hiddenOut: Float64Array, out: Float64Array): void {
  const { inputs, hidden, outputs } = shape;
  const b1 = hidden * inputs;
  const w2 = b1 + hidden;
  const b2 = w2 + outputs * hidden;
  for (let h = 0; h < hidden; h++) {
    let z = params[b1 + h] as number;
    const row = h * inputs;
    for (let i = 0; i < inputs; i++) z += (params[row + i] as number) * (input[i] as number);
    hiddenOut[h] = Math.tanh(z);
  }
  for (let o = 0; o < outputs; o++) {
    let z = params[b2 + o] as number;
    const row = w2 + o * hidden;
    for (let h = 0; h < hidden; h++) z += (params[row + h] as number) * (hiddenOut[h] as number);
    out[o] = z;
  }
}

/**
 * Backward pass for one example: adds d(loss)/d(params) into `grad`, given
 * d(loss)/d(outputs) in `outGrad` and the activations of the forward pass.
 */
export function mlpBackward(
  shape: MlpShape,
  params: readonly number[],
  input: ArrayLike<number>,
  hiddenAct: Float64Array,
  outGrad: ArrayLike<number>,
  grad: Float64Array,
): void {
  const { inputs, hidden, outputs } = shape;
  const b1 = hidden * inputs;
  const w2 = b1 + hidden;
  const b2 = w2 + outputs * hidden;
  for (let o = 0; o < outputs; o++) {
    const g = outGrad[o] as number;
    grad[b2 + o] = (grad[b2 + o] as number) + g;
    const row = w2 + o * hidden;
    for (let h = 0; h < hidden; h++) grad[row + h] = (grad[row + h] as number) + g * (hiddenAct[h] as number);
  }
  for (let h = 0; h < hidden; h++) {
    let g = 0;
    for (let o = 0; o < outputs; o++) g += (params[w2 + o * hidden + h] as number) * (outGrad[o] as number);
    const a = hiddenAct[h] as number;
    g *= 1 - a * a; // tanh'
    grad[b1 + h] = (grad[b1 + h] as number) + g;
    const row = h * inputs;
    for (let i = 0; i < inputs; i++) grad[row + i] = (grad[row + i] as number) + g * (input[i] as number);
  }
}
