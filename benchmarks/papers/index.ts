import { ashaChecks, measureAsha } from "./asha.ts";
import { bohbChecks, measureBohb } from "./bohb-counting-ones.ts";
import { hyperbandChecks, measureHyperBand } from "./hyperband-table1.ts";
import { PAPER_CHECK_GROUPS, type PaperCheckGroup } from "./groups.ts";
import { comparisonRule, passes, type Measurement, type PaperCheck, type PaperCheckOptions, type PaperCheckOutcome } from "./paper-check.ts";
import { measurePb2, pb2Checks } from "./pb2-rl-return.ts";
import { measurePbtToy, pbtToyChecks } from "./pbt-toy.ts";

export type { Comparison, PaperCheck, PaperCheckOptions, PaperCheckOutcome } from "./paper-check.ts";

/** Every check, in the order printed. The checks are data; the measurements below run the experiments they read. */
export const PAPER_CHECKS: readonly PaperCheck[] = [...hyperbandChecks, ...ashaChecks, ...pbtToyChecks, ...bohbChecks, ...pb2Checks] as PaperCheck[];

const MEASUREMENTS: Readonly<Record<PaperCheckGroup, Measurement>> = {
  hyperband: measureHyperBand,
  asha: measureAsha,
  "pbt-toy": measurePbtToy,
  bohb: measureBohb,
  pb2: measurePb2,
};

export { PAPER_CHECK_GROUPS, type PaperCheckGroup } from "./groups.ts";

/**
 * Runs the checks whose measurement is in `groups` (all by default), each
 * measurement once, and compares ours with the paper's number.
 */
export function runPaperChecks(options: PaperCheckOptions & { groups?: readonly string[] } = {}): PaperCheckOutcome[] {
  const groups: readonly string[] = options.groups ?? PAPER_CHECK_GROUPS;
  const measured = new Map<string, { value: unknown; seconds: number }>();
  const outcomes: PaperCheckOutcome[] = [];
  for (const check of PAPER_CHECKS) {
    if (!groups.includes(check.measurement)) continue;
    let seconds = 0;
    if (!measured.has(check.measurement)) {
      const started = performance.now();
      const value = MEASUREMENTS[check.measurement as PaperCheckGroup](options);
      seconds = (performance.now() - started) / 1000;
      measured.set(check.measurement, { value, seconds });
    }
    const ours = check.ours(measured.get(check.measurement)!.value);
    outcomes.push({
      id: check.id,
      paper: check.paper,
      quantity: check.quantity,
      paperValue: check.paperValue,
      ours: ours.value,
      rule: comparisonRule(check),
      pass: passes(check, ours),
      seconds,
    });
  }
  return outcomes;
}
