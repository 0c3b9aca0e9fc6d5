/**
 * Adam (Kingma and Ba, 2015) over a flat parameter array, with its moments as
 * plain arrays so that a checkpoint holds the optimizer's whole state and a PBT
 * exploit moves it with the weights. The learning rate is an argument of each
 * update, not state: PBT may change it between steps.
 */
export interface AdamState {
  readonly m: number[];
  readonly v: number[];
  /** Updates taken (for bias correction). */
  readonly t: number;
}

export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

export function initAdam(size: number): AdamState {
  return { m: new Array<number>(size).fill(0), v: new Array<number>(size).fill(0), t: 0 };
}

/** One descent step on `params` (in place) with gradient `grad`; returns the new optimizer state (moments updated in place). */
export function adamStep(params: number[], grad: ArrayLike<number>, state: AdamState, lr: number): AdamState {
  const t = state.t + 1;
  const { beta1, beta2, epsilon } = ADAM;
  const c1 = 1 - beta1 ** t;
  const c2 = 1 - beta2 ** t;
  const { m, v } = state;
  for (let i = 0; i < params.length; i++) {
    const g = grad[i] as number;
    const mi = beta1 * (m[i] as number) + (1 - beta1) * g;
    const vi = beta2 * (v[i] as number) + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    params[i] = (params[i] as number) - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
  }
  return { m, v, t };
}
