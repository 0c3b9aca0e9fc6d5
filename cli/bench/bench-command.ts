import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isPaperCheckSuite, suiteByName, suiteNames, type CellRecord, type PaperCheckSuite } from "../../benchmarks/suites/index.ts";
import { suiteReport } from "../../benchmarks/suites/report/suite-report.ts";
import { parsePairs } from "../compare-command.ts";
import { OptionError } from "../../core/errors/index.ts";
import { parseInteger } from "../flags.ts";
import { progressSetting } from "../progress-flag.ts";
import { formatPaperChecks } from "../check-command.ts";
import { importRegistrations } from "./cell-worker.ts";
import { formatCosts, methodCosts } from "./cost-table.ts";
import { runGrid } from "./run-grid.ts";

export interface BenchFlags {
  suite: string;
  out: string;
  methods?: string;
  seeds?: string;
  threads?: string;
  /** Modules that register benchmarks or suites (repeatable). */
  import?: string[];
  /** --progress forces it, --no-progress turns it off; left out: on a terminal only. */
  progress?: boolean;
  /** No progress on stderr. */
  quiet?: boolean;
}

/**
 * `tunelab bench`: runs a suite's grid (methods x benchmarks x seeds) on all cores,
 * resumably, then prints and writes the figures (DIR/report.txt, DIR/report.json).
 */
export async function benchCommand(flags: BenchFlags): Promise<void> {
  const modules = (flags.import ?? []).map((m) => pathToFileURL(resolve(m)).href);
  // Registrations first: a module may add the suite itself.
  await importRegistrations(modules);
  if (!suiteNames().includes(flags.suite)) throw new OptionError("--suite", `got unknown name "${flags.suite}"; known: ${suiteNames().join(", ")}`);
  const found = suiteByName(flags.suite);
  if (isPaperCheckSuite(found)) return benchPaperChecks(found, flags, modules);
  const suite = found;
  const methods = flags.methods === undefined ? [...suite.methods] : parsePairs(flags.methods, "--methods").map(([a, b]) => `${a}:${b}`);
  const seeds = flags.seeds === undefined ? suite.seeds : parseInteger("--seeds", flags.seeds, 1);
  const threads = flags.threads === undefined ? undefined : parseInteger("--threads", flags.threads, 0);
  const cpuBefore = process.cpuUsage();
  const run = await runGrid({ suite, methods, seeds, out: flags.out, modules, progress: progressSetting(flags), ...(threads !== undefined ? { threads } : {}) });
  const report = suiteReport(run.records, { suite: suite.name, methods, benchmarks: suite.benchmarks, seeds, targetRegret: suite.targetRegret });
  const cpu = process.cpuUsage(cpuBefore);
  // user + system of the whole process: the main thread, the pool's threads and their surrogate threads.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const costs = methodCosts(run.records, methods);
  const timing =
    `wall time ${run.wallSeconds.toFixed(1)} s for ${run.computed} new cells (${run.cellsPerSecond.toFixed(2)} cells/s); ${run.records.length - run.computed} cells were already in ${flags.out}\n` +
    `CPU ${cpuSeconds.toFixed(1)} s (user+sys, all threads) for the new cells; CPU / 2 = ${(cpuSeconds / 2).toFixed(1)} s, the wall time on 2 idle cores kept busy`;
  const text = report.text + "\n" + formatCosts(costs, run.computed === run.records.length ? cpuSeconds : undefined) + "\n" + timing + "\n";
  writeFileSync(join(flags.out, "report.txt"), text);
  writeFileSync(join(flags.out, "report.json"), JSON.stringify({ suite: suite.name, methods, seeds, ...report.data, wallSeconds: run.wallSeconds, cpuSeconds, computed: run.computed, costs }, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)) + "\n");
  process.stdout.write(text);
}

/**
 * `tunelab bench --suite papers`: each check group is a cell on the pool (resumable like any
 * other), and the report is `tunelab check papers`'s table, printed and written the same way.
 * `--seeds` is the statistical checks' seeds, as in `tunelab check papers --seeds`.
 * Exits 1 when a check fails or a group could not run.
 */
async function benchPaperChecks(found: PaperCheckSuite, flags: BenchFlags, modules: string[]): Promise<void> {
  if (flags.methods !== undefined) throw new OptionError("--methods", `suite ${found.name} runs each check's own methods (as in its paper); leave --methods out`);
  const suite = flags.seeds === undefined ? found : { ...found, checkSeeds: parseInteger("--seeds", flags.seeds, 2) };
  const threads = flags.threads === undefined ? undefined : parseInteger("--threads", flags.threads, 0);
  const run = await runGrid({ suite, methods: [], seeds: 1, out: flags.out, modules, progress: progressSetting(flags), ...(threads !== undefined ? { threads } : {}) });
  const outcomes = run.records.flatMap((r) => (r.ok && "checks" in r ? r.checks : []));
  const failed = run.records.filter((r): r is Extract<CellRecord, { ok: false }> => !r.ok);
  const text =
    formatPaperChecks(outcomes) +
    (failed.length > 0 ? `Failed groups (they run again on the next start):\n${failed.map((f) => `  ${f.benchmark}: ${f.error}`).join("\n")}\n` : "") +
    `wall time ${run.wallSeconds.toFixed(1)} s for ${run.computed} new cells; ${run.records.length - run.computed} cells were already in ${flags.out} (statistical checks: ${suite.checkSeeds} seeds)\n`;
  writeFileSync(join(flags.out, "report.txt"), text);
  writeFileSync(join(flags.out, "report.json"), JSON.stringify({ suite: suite.name, checkSeeds: suite.checkSeeds, checks: outcomes, failed: failed.map((f) => ({ key: f.key, error: f.error })), wallSeconds: run.wallSeconds, computed: run.computed }) + "\n");
  process.stdout.write(text);
  if (failed.length > 0 || outcomes.some((o) => !o.pass)) process.exitCode = 1;
}
