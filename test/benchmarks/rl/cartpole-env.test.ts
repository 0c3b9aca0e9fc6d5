import { describe, expect, it } from "vitest";
import { CARTPOLE, cartPoleReset, cartPoleStep, type CartPoleState } from "../../../benchmarks/rl/index.ts";
import { rngFor } from "../../../core/rng.ts";

// Gym's CartPole-v1: total_mass = 1.1, polemass_length = 0.1 * 0.5 = 0.05.
describe("CartPole dynamics (Gym CartPole-v1)", () => {
  it("has Gym's constants", () => {
    expect(CARTPOLE).toMatchObject({ gravity: 9.8, massCart: 1, massPole: 0.1, halfLength: 0.5, forceMag: 10, tau: 0.02, xThreshold: 2.4, maxEpisodeSteps: 500 });
    expect(CARTPOLE.thetaThreshold).toBeCloseTo(0.20943951, 8); // 12 degrees
  });

  it("from rest, a push right: exact fractions", () => {
    // theta = 0: cos = 1, sin = 0.
    // temp     = (10 + 0.05 * 0^2 * 0) / 1.1                  = 100/11
    // thetaacc = (9.8 * 0 - 1 * 100/11) / (0.5 * (4/3 - 0.1 * 1 / 1.1))
    //          = -(100/11) / (0.5 * 41/33) = -(100/11) * (66/41) = -600/41
    // xacc     = 100/11 - 0.05 * (-600/41) * 1 / 1.1 = 100/11 + 300/451 = 4400/451
    // Euler: x = 0 + 0.02 * 0, x_dot = 0.02 * 4400/451 = 88/451, theta = 0, theta_dot = 0.02 * -600/41 = -12/41
    const { state, reward, terminated } = cartPoleStep([0, 0, 0, 0], 1);
    expect(state[0]).toBe(0);
    expect(state[1]).toBeCloseTo(88 / 451, 14);
    expect(state[2]).toBe(0);
    expect(state[3]).toBeCloseTo(-12 / 41, 14);
    expect(reward).toBe(1);
    expect(terminated).toBe(false);
  });

  it("a push left from a tilted, moving state", () => {
    // s = (0.01, -0.02, 0.03, 0.04), action 0 (force -10)
    // cos 0.03 = 0.9995500337, sin 0.03 = 0.0299955002
    // temp     = (-10 + 0.05 * 0.04^2 * 0.0299955002) / 1.1 = (-10 + 2.39964e-6) / 1.1 = -9.0909069094
    // thetaacc = (9.8 * 0.0299955002 - 0.9995500337 * -9.0909069094) / (0.5 * (4/3 - 0.1 * 0.9995500337^2 / 1.1))
    //          = (0.2939559020 + 9.0868163081) / (0.5 * (1.3333333333 - 0.0908272973)) = 9.3807722101 / 0.6212530180 = 15.0997611888
    // xacc     = -9.0909069094 - 0.05 * 15.0997611888 * 0.9995500337 / 1.1 = -9.0909069094 - 0.6860439457 = -9.7769508551
    // Euler: x = 0.01 + 0.02 * -0.02 = 0.0096; x_dot = -0.02 + 0.02 * -9.7769508551 = -0.2155390171
    //        theta = 0.03 + 0.02 * 0.04 = 0.0308; theta_dot = 0.04 + 0.02 * 15.0997611888 = 0.3419952238
    const { state, terminated } = cartPoleStep([0.01, -0.02, 0.03, 0.04], 0);
    expect(state[0]).toBeCloseTo(0.0096, 12);
    expect(state[1]).toBeCloseTo(-0.2155390171, 9);
    expect(state[2]).toBeCloseTo(0.0308, 12);
    expect(state[3]).toBeCloseTo(0.3419952238, 9);
    expect(terminated).toBe(false);
  });

  it("a fast, leaning state (the theta_dot^2 term matters)", () => {
    // s = (0.5, 1.0, -0.2, 0.5), action 1; cos -0.2 = 0.9800665778, sin -0.2 = -0.1986693308
    // temp     = (10 + 0.05 * 0.25 * -0.1986693308) / 1.1 = 9.9975166334 / 1.1 = 9.0886514849
    // thetaacc = (9.8 * -0.1986693308 - 0.9800665778 * 9.0886514849) / (0.5 * (4/3 - 0.1 * 0.9605304970 / 1.1))
    //          = (-1.9469594418 - 8.9074835580) / (0.5 * 1.2460123791) = -10.8544429998 / 0.6230061895 = -17.4226888628
    // xacc     = 9.0886514849 + 0.05 * 17.4226888628 * 0.9800665778 / 1.1 = 9.0886514849 + 0.7761543205 = 9.8648058054
    const { state } = cartPoleStep([0.5, 1.0, -0.2, 0.5], 1);
    expect(state[0]).toBeCloseTo(0.52, 12);
    expect(state[1]).toBeCloseTo(1 + 0.02 * 9.8648058054, 9);
    expect(state[2]).toBeCloseTo(-0.19, 12);
    expect(state[3]).toBeCloseTo(0.5 + 0.02 * -17.4226888628, 9);
  });

  it("terminates past 12 degrees or 2.4 m, on the step that crosses (still rewarded)", () => {
    // theta' = 0.2094 + 0.02 * 0.1 > 12 degrees (0.20944)
    expect(cartPoleStep([0, 0, 0.2094, 0.1], 1)).toMatchObject({ terminated: true, reward: 1 });
    expect(cartPoleStep([0, 0, 0.2, 0.1], 1).terminated).toBe(false);
    expect(cartPoleStep([2.399, 0.1, 0, 0], 1).terminated).toBe(true); // x' = 2.401
    expect(cartPoleStep([-2.399, -0.1, 0, 0], 0).terminated).toBe(true);
    expect(cartPoleStep([2.39, 0.1, 0, 0], 1).terminated).toBe(false); // x' = 2.392
  });

  it("resets uniformly in [-0.05, 0.05) from the seeded stream, the same for the same seed", () => {
    const a = rngFor(3, "env");
    const b = rngFor(3, "env");
    const states: CartPoleState[] = [];
    for (let i = 0; i < 500; i++) {
      const s = cartPoleReset(a);
      expect(s).toEqual(cartPoleReset(b));
      states.push(s);
    }
    const all = states.flat();
    expect(Math.min(...all)).toBeGreaterThanOrEqual(-0.05);
    expect(Math.max(...all)).toBeLessThan(0.05);
    expect(Math.min(...all)).toBeLessThan(-0.049);
    expect(Math.max(...all)).toBeGreaterThan(0.049);
    expect(all.reduce((x, y) => x + y, 0) / all.length).toBeCloseTo(0, 2);
  });

  it("a do-nothing-clever policy falls within tens of steps (always pushing right)", () => {
    let s: CartPoleState = [0, 0, 0, 0];
    let steps = 0;
    for (; steps < 500; steps++) {
      const next = cartPoleStep(s, 1);
      s = next.state;
      if (next.terminated) break;
    }
    // Pushing one way tips the pole the other way; it passes 12 degrees in well under a second of simulated time.
    expect(steps).toBeGreaterThan(5);
    expect(steps).toBeLessThan(20);
    expect(s[2]).toBeLessThan(-CARTPOLE.thetaThreshold);
  });
});
