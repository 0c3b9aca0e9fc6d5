import { PAPER_CHECK_GROUPS } from "../../papers/groups.ts";
import type { PaperCheckSuite } from "../suite.ts";

/**
 * `tunelab check papers` as a suite: each check group is a cell, so the groups run in
 * parallel on the runner's threads, a finished group is one JSON line that a rerun does not
 * recompute, and the report is the same table (paper's number, ours, pass or fail). 10
 * seeds for the statistical checks, the default of `tunelab check papers`.
 */
export const papersSuite: PaperCheckSuite = {
  kind: "paper-checks",
  name: "papers",
  description: "HyperBand Table 1, ASHA, PBT toy, BOHB counting ones, PB2 vs PBT: the paper's number, ours, pass or fail",
  benchmarks: PAPER_CHECK_GROUPS,
  checkSeeds: 10,
};
