/**
 * Names of the paper-check groups (one measurement each), in a file of their
 * own so the CLI can list them without loading the experiments behind them.
 */
export const PAPER_CHECK_GROUPS = ["hyperband", "asha", "pbt-toy", "bohb", "pb2"] as const;
export type PaperCheckGroup = (typeof PAPER_CHECK_GROUPS)[number];
