import type { RandomStream } from "../../core/contracts/index.ts";
import { adamStep, initAdam, type AdamState } from "./adam.ts";
import { CARTPOLE, cartPoleReset, cartPoleStep, type CartPoleState } from "./cartpole-env.ts";
import { initMlp, mlpBackward, mlpForward, parameterCount, type MlpShape } from "./mlp.ts";

/**
 * REINFORCE with a learned state-value baseline (Williams 1992; Sutton and Barto,
 * 2nd ed., section 13.4) on CartPole, with an entropy bonus. Per update it plays
 * `batchEpisodes` whole episodes with the current stochastic policy, computes
 * discounted returns-to-go G_t, advantages A_t = G_t - V(s_t) (normalised over the
 * batch, the usual variance reduction), and takes one Adam step on
 *   policy loss  -(1/N) sum_t [ A_t log pi(a_t | s_t) + entropyCoeff * H(pi(. | s_t)) ]
 *   value loss    (1/N) sum_t ( v(s_t) - (1 - gamma) G_t )^2
 * The value net predicts the return scaled by (1 - gamma) (so its targets stay in
 * [0, 1] whatever the horizon) and has its own Adam at a fixed rate.
 *
 * All state is plain data (weights, both optimizers' moments, counters, the last
 * returns), so a checkpoint or a PBT exploit carries the whole agent. The random
 * stream (resets and action draws) is the trial's own, checkpointed by the executor.
 */
export interface ReinforceHyperparams {
  readonly lr: number;
  readonly gamma: number;
  readonly entropyCoeff: number;
  readonly batchEpisodes: number;
}

export interface ReinforceState {
  readonly hidden: number;
  policy: number[];
  value: number[];
  policyAdam: AdamState;
  valueAdam: AdamState;
  episodes: number;
  envSteps: number;
  updates: number;
  /** Undiscounted returns of the last RETURN_WINDOW episodes, oldest first. */
  recentReturns: number[];
}

/** Episodes the reported mean return averages over (the "last 10 episodes"). */
export const RETURN_WINDOW = 10;
/** The value baseline's Adam learning rate (not tuned: the four hyperparameters are the policy's). */
export const VALUE_LR = 5e-3;

const policyShape = (hidden: number): MlpShape => ({ inputs: 4, hidden, outputs: 2 });
const valueShape = (hidden: number): MlpShape => ({ inputs: 4, hidden, outputs: 1 });

export function initReinforce(hidden: number, rng: RandomStream): ReinforceState {
  // A small last layer starts the policy near uniform (both actions ~0.5).
  const policy = initMlp(policyShape(hidden), rng, 0.1);
  const value = initMlp(valueShape(hidden), rng, 0.1);
  return {
    hidden,
    policy,
    value,
    policyAdam: initAdam(policy.length),
    valueAdam: initAdam(value.length),
    episodes: 0,
    envSteps: 0,
    updates: 0,
    recentReturns: [],
  };
}

/** Plays `batchEpisodes` episodes and takes one update; mutates and returns `state`. Returns the env steps used. */
export function reinforceUpdate(state: ReinforceState, hp: ReinforceHyperparams, rng: RandomStream): number {
  const pShape = policyShape(state.hidden);
  const vShape = valueShape(state.hidden);
  const hiddenAct = new Float64Array(state.hidden);
  const logits = new Float64Array(2);
  const valueOut = new Float64Array(1);

  // ---- roll out ----
  const observations: number[] = [];
  const actions: number[] = [];
  const returns: number[] = [];
  for (let e = 0; e < hp.batchEpisodes; e++) {
    let s: CartPoleState = cartPoleReset(rng);
    const start = actions.length;
    for (let t = 0; t < CARTPOLE.maxEpisodeSteps; t++) {
      mlpForward(pShape, state.policy, s, hiddenAct, logits);
      const pRight = 1 / (1 + Math.exp((logits[0] as number) - (logits[1] as number)));
      const action: 0 | 1 = rng.next() < pRight ? 1 : 0;
      observations.push(s[0], s[1], s[2], s[3]);
      actions.push(action);
      const next = cartPoleStep(s, action);
      s = next.state;
      if (next.terminated) break;
    }
    // Every step earns reward 1: G_t = sum_{k=0}^{T-1-t} gamma^k.
    const length = actions.length - start;
    const episodeReturns = new Array<number>(length);
    let g = 0;
    for (let t = length - 1; t >= 0; t--) {
      g = 1 + hp.gamma * g;
      episodeReturns[t] = g;
    }
    returns.push(...episodeReturns);
    state.recentReturns.push(length);
    if (state.recentReturns.length > RETURN_WINDOW) state.recentReturns.shift();
  }
  const n = actions.length;
  state.episodes += hp.batchEpisodes;
  state.envSteps += n;

  // ---- advantages ----
  const scale = 1 - hp.gamma;
  const advantages = new Float64Array(n);
  const obs = new Float64Array(4);
  let mean = 0;
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < 4; i++) obs[i] = observations[4 * t + i] as number;
    mlpForward(vShape, state.value, obs, hiddenAct, valueOut);
    const a = (returns[t] as number) - (valueOut[0] as number) / scale;
    advantages[t] = a;
    mean += a;
  }
  mean /= n;
  let variance = 0;
  for (let t = 0; t < n; t++) variance += ((advantages[t] as number) - mean) ** 2;
  const std = Math.sqrt(variance / n);
  const norm = std > 1e-8 ? std : 1;

  // ---- gradients ----
  const policyGrad = new Float64Array(state.policy.length);
  const valueGrad = new Float64Array(state.value.length);
  const dLogits = new Float64Array(2);
  const dValue = new Float64Array(1);
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < 4; i++) obs[i] = observations[4 * t + i] as number;
    const advantage = ((advantages[t] as number) - mean) / norm;
    mlpForward(pShape, state.policy, obs, hiddenAct, logits);
    const l0 = logits[0] as number;
    const l1 = logits[1] as number;
    const top = Math.max(l0, l1);
    const logZ = top + Math.log(Math.exp(l0 - top) + Math.exp(l1 - top));
    const logP0 = l0 - logZ;
    const logP1 = l1 - logZ;
    const p0 = Math.exp(logP0);
    const p1 = Math.exp(logP1);
    const entropy = -(p0 * logP0 + p1 * logP1);
    const action = actions[t] as number;
    // d/dz_j of [A log p_a + beta H] = A (1[j = a] - p_j) - beta p_j (log p_j + H); the loss is its negative mean.
    dLogits[0] = -(advantage * ((action === 0 ? 1 : 0) - p0) - hp.entropyCoeff * p0 * (logP0 + entropy)) / n;
    dLogits[1] = -(advantage * ((action === 1 ? 1 : 0) - p1) - hp.entropyCoeff * p1 * (logP1 + entropy)) / n;
    mlpBackward(pShape, state.policy, obs, hiddenAct, dLogits, policyGrad);

    mlpForward(vShape, state.value, obs, hiddenAct, valueOut);
    dValue[0] = (2 * ((valueOut[0] as number) - scale * (returns[t] as number))) / n;
    mlpBackward(vShape, state.value, obs, hiddenAct, dValue, valueGrad);
  }
  state.policyAdam = adamStep(state.policy, policyGrad, state.policyAdam, hp.lr);
  state.valueAdam = adamStep(state.value, valueGrad, state.valueAdam, VALUE_LR);
  state.updates++;
  return n;
}

/** Mean of the last RETURN_WINDOW episode returns (0 before the first episode). */
export function meanRecentReturn(state: ReinforceState): number {
  const r = state.recentReturns;
  return r.length === 0 ? 0 : r.reduce((a, b) => a + b, 0) / r.length;
}

export { parameterCount };
