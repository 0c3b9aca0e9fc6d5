import { OptionError } from "../core/contracts/index.ts";
import type { Invariant } from "./check-scheduler.ts";

/**
 * The rung rule of successive halving with promotions (ASHA's promotion type,
 * one bracket): of the trials that reached milestone m, at most
 * floor(n / reductionFactor) ever went past it. Counted over every result the
 * scheduler saw, so a re-done iteration after a failure counts once.
 */
export function atMostFractionLeaveRung(options: { milestones: readonly number[]; reductionFactor: number }): Invariant {
  const { milestones, reductionFactor } = options;
  if (!(reductionFactor > 1)) throw new OptionError("atMostFractionLeaveRung.reductionFactor", `must be > 1, got ${reductionFactor}`);
  if (milestones.length === 0 || milestones.some((m) => !(m > 0))) {
    throw new OptionError("atMostFractionLeaveRung.milestones", `must be a non-empty list of numbers > 0, got ${JSON.stringify(milestones)}`);
  }
  return ({ calls }) => {
    const furthest = new Map<string, number>();
    for (const call of calls) furthest.set(call.trialId, Math.max(furthest.get(call.trialId) ?? 0, call.result.iteration));
    for (const m of milestones) {
      let reached = 0;
      const left: string[] = [];
      for (const [id, it] of furthest) {
        if (it >= m) reached++;
        if (it > m) left.push(id);
      }
      const allowed = Math.floor(reached / reductionFactor);
      if (left.length > allowed) {
        return `${left.length} trial(s) (${left.join(", ")}) left the rung at ${m}, which ${reached} reached: at most floor(${reached}/${reductionFactor}) = ${allowed} may`;
      }
    }
    return true;
  };
}
