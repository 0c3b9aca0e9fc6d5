import { PAPER_CHECK_GROUPS } from "../benchmarks/papers/groups.ts";
import type { PaperCheckOutcome } from "../benchmarks/papers/index.ts";
import { OptionError } from "../core/errors/index.ts";
import { parseInteger } from "./flags.ts";
import { formatTable } from "../benchmarks/stats/index.ts";

export interface CheckFlags {
  seeds: string;
  only?: string;
  json?: boolean;
}

/** `tunelab check papers`: each paper's number, ours, pass or fail; exit 1 when any fails. */
export async function checkCommand(what: string, flags: CheckFlags): Promise<void> {
  if (what !== "papers") throw new OptionError("check", `got unknown target "${what}"; known: papers`);
  const seeds = parseInteger("--seeds", flags.seeds, 2);
  const groups = flags.only === undefined ? PAPER_CHECK_GROUPS : flags.only.split(",").map((g) => g.trim());
  for (const g of groups) {
    if (!(PAPER_CHECK_GROUPS as readonly string[]).includes(g)) throw new OptionError("--only", `got unknown check group "${g}"; known: ${PAPER_CHECK_GROUPS.join(", ")}`);
  }
  // Loaded on use: the experiments (and their algorithms) stay out of every other command's start-up.
  const { runPaperChecks } = await import("../benchmarks/papers/index.ts");
  const outcomes = runPaperChecks({ seeds, groups });
  process.stdout.write(flags.json ? JSON.stringify(outcomes) + "\n" : formatPaperChecks(outcomes));
  if (outcomes.some((o) => !o.pass)) process.exitCode = 1;
}

export function formatPaperChecks(outcomes: readonly PaperCheckOutcome[]): string {
  // One table per paper, so the long citation is printed once.
  const papers = [...new Set(outcomes.map((o) => o.paper))];
  const blocks = papers.map((paper) => {
    const mine = outcomes.filter((o) => o.paper === paper);
    const seconds = mine.reduce((s, o) => s + o.seconds, 0);
    const rows = mine.map((o) => [o.quantity, String(o.paperValue), String(o.ours), o.rule, o.pass ? "pass" : "FAIL"]);
    return `${paper} (${seconds.toFixed(1)} s)\n` + formatTable(["quantity", "paper", "ours", "rule", "result"], rows, false);
  });
  const passed = outcomes.filter((o) => o.pass).length;
  return blocks.join("\n") + `\n${passed}/${outcomes.length} checks pass\n`;
}
