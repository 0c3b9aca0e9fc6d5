/**
 * A PB2 whose protected steps a test can call by hand: record a perturbation point,
 * pick a config for a trial from a donor, read the saved extra state. Shared by the
 * PB2 tests that drive the model step directly (no loop, no simulator).
 */
import { PB2 } from "../../../algorithms/schedulers/index.ts";
import type { Config, Json, TrialView } from "../../../core/contracts/index.ts";

/** A Park-Miller generator: a test's own fixed stream of uniforms in (0, 1), apart from PB2's seeded ones. */
export function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

export class Pb2Probe extends PB2 {
  point(trial: TrialView, time: number, score: number): void {
    this.onPerturbationPoint(trial, time, score);
  }
  pick(trial: TrialView, donor: TrialView): Config {
    return this.newConfig(trial, donor);
  }
  extra(): Record<string, Json> {
    return this.saveExtra() as Record<string, Json>;
  }
}

/** The part of a trial PB2's model step reads. */
export const trialView = (id: string, config: Config) => ({ id, config }) as unknown as TrialView;
