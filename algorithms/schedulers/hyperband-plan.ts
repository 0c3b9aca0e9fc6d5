/** One rung of a HyperBand bracket: `trials` run until timeAttr reaches `milestone`. */
export interface HyperBandStage {
  readonly trials: number;
  readonly milestone: number;
}

export interface HyperBandBracketPlan {
  readonly s: number;
  readonly stages: readonly HyperBandStage[];
}

/** s_max = floor(log_eta(maxT)), robust to floating error when maxT is a power of eta. */
export function hyperbandSMax(maxT: number, eta: number): number {
  let s = 0;
  while (eta ** (s + 1) <= maxT * (1 + 1e-12)) s++;
  return s;
}

/** Bracket s's first-rung size n_s = ceil((s_max + 1) / (s + 1) * eta^s), in exact integer arithmetic when eta is whole. */
export function hyperbandBracketSize(sMax: number, s: number, eta: number): number {
  if (Number.isInteger(eta)) {
    const numerator = (sMax + 1) * eta ** s;
    return Math.floor((numerator + s) / (s + 1));
  }
  return Math.ceil(((sMax + 1) / (s + 1)) * eta ** s - 1e-9);
}

/**
 * The Hyperband table (Li et al. 2018, Algorithm 1 and Table 1): brackets
 * s = s_max..0; bracket s starts n_s trials at r_s = maxT * eta^-s and keeps
 * floor(n_i / eta) of them at each rung, with r_i = r_s * eta^i.
 */
export function hyperbandPlan(maxT: number, eta: number): HyperBandBracketPlan[] {
  const sMax = hyperbandSMax(maxT, eta);
  const plan: HyperBandBracketPlan[] = [];
  for (let s = sMax; s >= 0; s--) {
    const stages: HyperBandStage[] = [];
    let trials = hyperbandBracketSize(sMax, s, eta);
    for (let i = 0; i <= s; i++) {
      stages.push({ trials, milestone: i === s ? maxT : maxT / eta ** (s - i) });
      trials = Math.floor(trials / eta);
    }
    plan.push({ s, stages });
  }
  return plan;
}
