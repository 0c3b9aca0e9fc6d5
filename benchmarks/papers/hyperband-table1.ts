import { HyperBandScheduler, hyperbandPlan } from "../../algorithms/schedulers/index.ts";
import { simulate } from "../../simulator/index.ts";
import { benchmarkByName } from "../objectives/index.ts";
import type { PaperCheck } from "./paper-check.ts";

/**
 * Li et al. 2018 (JMLR), Table 1: R = 81, eta = 3. Per bracket s = 4..0 the
 * (n_i, r_i) of each rung, written "n@r". Typed in from the paper, not computed.
 */
export const HYPERBAND_TABLE1 = "81@1 27@3 9@9 3@27 1@81 | 34@3 11@9 3@27 1@81 | 15@9 5@27 1@81 | 8@27 2@81 | 5@81";

export interface HyperBandMeasurement {
  /** hyperbandPlan(81, 3) written as the table. */
  table: string;
  brackets: number;
  configurations: number;
  /** Sum over brackets and rungs of n_i * r_i: the paper's budget, each rung trained from scratch. */
  budget: number;
  /** One band run on the simulator: per bracket and rung, how many trials reached r_i, written as the table. */
  simulated: string;
  /** Iterations the simulated band trained (trials continue, so less than the budget). */
  simulatedIterations: number;
}

export function measureHyperBand(): HyperBandMeasurement {
  const plan = hyperbandPlan(81, 3);
  const table = plan.map((b) => b.stages.map((st) => `${st.trials}@${st.milestone}`).join(" ")).join(" | ");
  const configurations = plan.reduce((sum, b) => sum + (b.stages[0]?.trials ?? 0), 0);
  const budget = plan.reduce((sum, b) => sum + b.stages.reduce((s, st) => s + st.trials * st.milestone, 0), 0);

  const bench = benchmarkByName("branin");
  const hb = new HyperBandScheduler({ metric: "loss", mode: "min", maxT: 81, reductionFactor: 3 });
  const run = simulate({ objective: bench.objective, space: bench.space, metric: "loss", mode: "min", trials: configurations, scheduler: hb, cluster: { gpus: 16 }, seed: 0 });
  const reached = new Map<number, number[]>();
  let simulatedIterations = 0;
  for (const t of run.trials) {
    const s = hb.bracketInfo(t.id)?.s as number;
    const last = t.lastResult?.iteration ?? 0;
    simulatedIterations += last;
    reached.set(s, [...(reached.get(s) ?? []), last]);
  }
  const simulated = plan
    .map((b) => b.stages.map((st) => `${(reached.get(b.s) ?? []).filter((i) => i >= st.milestone).length}@${st.milestone}`).join(" "))
    .join(" | ");
  return { table, brackets: plan.length, configurations, budget, simulated, simulatedIterations };
}

const paper = "Li et al. 2018, HyperBand, Table 1 (R=81, eta=3)";
export const hyperbandChecks: PaperCheck<HyperBandMeasurement>[] = [
  { id: "hyperband.brackets", paper, quantity: "brackets", paperValue: 5, comparison: { kind: "equal" }, measurement: "hyperband", ours: (m) => ({ value: m.brackets }) },
  { id: "hyperband.table", paper, quantity: "n_i@r_i per bracket", paperValue: HYPERBAND_TABLE1, comparison: { kind: "equal" }, measurement: "hyperband", ours: (m) => ({ value: m.table }) },
  { id: "hyperband.configurations", paper, quantity: "configurations per band", paperValue: 143, comparison: { kind: "equal" }, measurement: "hyperband", ours: (m) => ({ value: m.configurations }) },
  { id: "hyperband.budget", paper, quantity: "budget units per band (sum n_i r_i)", paperValue: 1902, comparison: { kind: "equal" }, measurement: "hyperband", ours: (m) => ({ value: m.budget }) },
  {
    id: "hyperband.simulated",
    paper,
    quantity: "simulated band: trials reaching each r_i",
    paperValue: HYPERBAND_TABLE1,
    comparison: { kind: "equal" },
    measurement: "hyperband",
    ours: (m) => ({ value: m.simulated }),
  },
];
