import type { RandomStream } from "../../core/contracts/index.ts";

/**
 * CartPole, the cart-and-pole balancing task of Barto, Sutton and Anderson (1983)
 * with the constants, equations and limits of Gym's `CartPole-v1`
 * (classic_control/cartpole.py): Euler integration ("euler" kinematics), a
 * reward of 1 for every step including the last, termination when the cart
 * leaves [-2.4, 2.4] or the pole leans more than 12 degrees, and truncation at
 * 500 steps. Pure: the only randomness is the reset draw from the stream given.
 */
export const CARTPOLE = {
  gravity: 9.8,
  massCart: 1.0,
  massPole: 0.1,
  /** Half the pole's length (Gym's `length`). */
  halfLength: 0.5,
  forceMag: 10.0,
  /** Seconds between state updates. */
  tau: 0.02,
  /** 12 degrees, as Gym writes it: 12 * 2 * pi / 360. */
  thetaThreshold: (12 * 2 * Math.PI) / 360,
  xThreshold: 2.4,
  /** CartPole-v1's `max_episode_steps`. */
  maxEpisodeSteps: 500,
  /** Reset draws every state variable from uniform(-resetBound, resetBound). */
  resetBound: 0.05,
} as const;

const TOTAL_MASS = CARTPOLE.massPole + CARTPOLE.massCart;
const POLE_MASS_LENGTH = CARTPOLE.massPole * CARTPOLE.halfLength;

/** [x, x_dot, theta, theta_dot], Gym's observation order. */
export type CartPoleState = readonly [number, number, number, number];

export interface CartPoleTransition {
  readonly state: CartPoleState;
  readonly reward: number;
  /** The pole fell or the cart left the track. */
  readonly terminated: boolean;
}

/** Gym's `reset`: each of the four variables uniform in [-0.05, 0.05). */
export function cartPoleReset(rng: RandomStream): CartPoleState {
  const b = CARTPOLE.resetBound;
  const draw = (): number => -b + 2 * b * rng.next();
  return [draw(), draw(), draw(), draw()];
}

/** One step of the dynamics: action 1 pushes right with `forceMag`, action 0 pushes left. */
export function cartPoleStep(state: CartPoleState, action: 0 | 1): CartPoleTransition {
  const [x, xDot, theta, thetaDot] = state;
  const force = action === 1 ? CARTPOLE.forceMag : -CARTPOLE.forceMag;
  const cosTheta = Math.cos(theta);
  const sinTheta = Math.sin(theta);
  const temp = (force + POLE_MASS_LENGTH * thetaDot * thetaDot * sinTheta) / TOTAL_MASS;
  const thetaAcc =
    (CARTPOLE.gravity * sinTheta - cosTheta * temp) /
    (CARTPOLE.halfLength * (4.0 / 3.0 - (CARTPOLE.massPole * cosTheta * cosTheta) / TOTAL_MASS));
  const xAcc = temp - (POLE_MASS_LENGTH * thetaAcc * cosTheta) / TOTAL_MASS;
  // Euler: positions move with the old velocities.
  const next: CartPoleState = [x + CARTPOLE.tau * xDot, xDot + CARTPOLE.tau * xAcc, theta + CARTPOLE.tau * thetaDot, thetaDot + CARTPOLE.tau * thetaAcc];
  const terminated =
    next[0] < -CARTPOLE.xThreshold || next[0] > CARTPOLE.xThreshold || next[2] < -CARTPOLE.thetaThreshold || next[2] > CARTPOLE.thetaThreshold;
  return { state: next, reward: 1, terminated };
}
