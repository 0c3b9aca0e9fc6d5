import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatSummary } from "./format-summary.ts";
import { Document, isScalar, isSeq, visit } from "yaml";
import { OptionError, TuneLabError } from "../core/errors/index.ts";
import { tuneFrom } from "../real-backend/index.ts";
import { checkRedisUrl } from "../real-backend/redis/connection.ts";
import { defaultExperimentDir } from "../real-backend/tune.ts";
import type { ExperimentOrigin } from "../core/experiment-dir/index.ts";
import {
  experimentToTuneOptions,
  formatRunSummary,
  loadFileCallbacks,
  readExperimentFile,
  renderExperiment,
  resolveExperiment,
  runSummary,
  isSimulationFile,
  renderSimulation,
  resolveSimulation,
  runResolvedSimulation,
  type ExperimentSource,
  type ExperimentTuneOptions,
  type ResolvedExperiment,
} from "./experiment-file/index.ts";

export interface RunFlags {
  dryRun?: boolean;
  json?: boolean;
  /** Write an HTML report of the experiment directory after the run (true: report.html). */
  report?: string | boolean;
  /** Carry on the experiment saved in the file's directory (it starts when nothing is saved there yet). */
  resume?: boolean;
  /** `tunelab resume DIR`: the experiment as rebuilt from the directory's saved file, instead of reading FILE. */
  resolved?: ResolvedExperiment;
  /** With `resolved`: the origin saved in the directory, kept for the next resume. */
  origin?: ExperimentOrigin;
  /** Run the trials on `tunelab worker`s through this Redis (redis:// or rediss://); this process is the driver. */
  redis?: string;
}

/** Reads, checks and resolves an experiment file; throws an OptionError listing every bad field. */
export function loadExperiment(path: string): ResolvedExperiment {
  return resolveExperiment(readExperimentFile(path));
}

/**
 * `tunelab run FILE`: runs the experiment and prints the summary (a table, or one JSON object
 * with --json). `--dry-run` checks the file and prints the resolved experiment, in YAML (or
 * JSON with --json), without running anything. An error of ours becomes one line per problem
 * on stderr and the error's exit code (2 for bad input); the action never rejects with one,
 * since main.ts parses synchronously.
 */
export async function runCommand(file: string, flags: RunFlags): Promise<void> {
  try {
    // Checked before the file: a bad URL is one line naming the flag, whatever else is wrong.
    if (flags.redis !== undefined) checkRedisUrl("--redis", flags.redis);
    const source = flags.resolved === undefined ? readExperimentFile(file) : undefined;
    if (source !== undefined && isSimulationFile(source.plain)) {
      if (flags.redis !== undefined) throw new OptionError("--redis", "applies to real runs; a simulation runs in this process");
      await runSimulationFile(source, file, flags);
      return;
    }
    const resolved = flags.resolved ?? resolveExperiment(source as ExperimentSource);
    // Imported before a dry run too: a bad callback module fails the check, not the run.
    const callbacks = await loadFileCallbacks(resolved.callbacks);
    if (flags.dryRun) {
      const document = renderExperiment(resolved);
      process.stdout.write(flags.json ? `${JSON.stringify(document)}\n` : `# ${file}: valid; resolved experiment (nothing was run)\n${toYaml(document)}`);
      return;
    }
    const options = { ...experimentToTuneOptions(resolved), ...(callbacks.length > 0 ? { callbacks } : {}), ...(flags.resume ? { resume: true } : {}) };
    // The report reads the experiment directory: named here, where tune() would put it, so it is known after the run.
    if (flags.report !== undefined) options.storagePath ??= defaultExperimentDir(resolved.name);
    // The file's text goes into experiment_state.json, so `tunelab resume DIR` can rebuild the experiment.
    const origin = flags.origin ?? { kind: "experiment-file", path: resolved.file, text: readFileSync(resolved.file, "utf8") };
    const run = flags.redis === undefined ? await tuneFrom(options, origin) : await tuneOnWorkers(options, origin, flags.redis);
    const summary = runSummary(
      {
        name: resolved.name,
        file: resolved.file,
        searcher: resolved.searcher.name,
        scheduler: resolved.scheduler.name,
        metric: resolved.metric,
        mode: resolved.mode,
      },
      { ...run, wallSeconds: run.summary.wallSeconds },
    );
    process.stdout.write(flags.json ? `${JSON.stringify(summary)}\n` : formatRunSummary(summary));
    if (flags.report !== undefined && options.storagePath !== undefined) {
      // Loaded on use: the report (and arquero behind it) stays out of every run without --report.
      const { writeReport } = await import("./report-command.ts");
      const written = await writeReport([options.storagePath], "html", typeof flags.report === "string" ? flags.report : "report.html");
      process.stderr.write(`tunelab: wrote ${written}\n`);
    }
  } catch (error) {
    if (!(error instanceof TuneLabError)) throw error;
    const kind = error instanceof OptionError ? "" : `${error.name}: `;
    for (const line of error.message.split("\n")) process.stderr.write(`tunelab: ${kind}${line}\n`);
    process.exitCode = error.exitCode;
  }
}

/**
 * The experiment's trials on `tunelab worker`s through Redis (loaded on use: ioredis stays out
 * of every other run). A connection problem (unreachable, wrong password, no worker joined) is
 * the flag's error: one line naming --redis, the password hidden.
 */
async function tuneOnWorkers(options: ExperimentTuneOptions & { storagePath?: string }, origin: ExperimentOrigin, url: string) {
  const { tuneOnRedisFrom } = await import("../real-backend/redis/tune-on-redis.ts");
  try {
    return await tuneOnRedisFrom({ ...options, redis: url }, origin);
  } catch (error) {
    if (error instanceof OptionError && (error.field === "redis" || error.field.startsWith("redis."))) {
      throw new OptionError("--redis", error.message.slice(error.field.length + 2), { cause: error });
    }
    throw error;
  }
}

/**
 * `tunelab run SIM.yaml` for a `kind: simulation` file: the simulated run's summary, the
 * same table (or --json object) as `tunelab sim`; `--dry-run` prints the resolved simulation.
 */
async function runSimulationFile(source: ExperimentSource, file: string, flags: RunFlags): Promise<void> {
  if (flags.resume) throw new OptionError("--resume", "applies to real runs; a simulation is rerun from its file (same seed, same run)");
  const simulation = await resolveSimulation(source);
  try {
    if (flags.dryRun) {
      const document = renderSimulation(simulation);
      process.stdout.write(flags.json ? `${JSON.stringify(document)}\n` : `# ${file}: valid; resolved simulation (nothing was run); the objective reports ${simulation.benchmark.metric} (${simulation.benchmark.mode})\n${toYaml(document)}`);
      return;
    }
    // A report reads the experiment directory: without storagePath, the run writes one to a temporary folder.
    const out = simulation.storagePath ?? (flags.report !== undefined ? mkdtempSync(join(tmpdir(), "tunelab-sim-")) : undefined);
    const summary = runResolvedSimulation(simulation, out);
    process.stdout.write(flags.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
    if (flags.report !== undefined && out !== undefined) {
      const { writeReport } = await import("./report-command.ts");
      const written = await writeReport([out], "html", typeof flags.report === "string" ? flags.report : "report.html");
      process.stderr.write(`tunelab: wrote ${written}\n`);
    }
  } finally {
    await simulation.close();
  }
}

/** YAML with lists of scalars and mappings of scalars and such lists on one line, as a file is written. */
function toYaml(value: unknown): string {
  const document = new Document(value);
  visit(document, {
    Seq: (_key, node) => {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  visit(document, {
    Map: (_key, node) => {
      if (node.items.every((pair) => isScalar(pair.value) || (isSeq(pair.value) && pair.value.flow === true)) && node.items.length <= 2) node.flow = true;
    },
  });
  return document.toString();
}
