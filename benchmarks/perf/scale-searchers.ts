/** ms per suggestion of the model-based searchers on Hartmann6 (6 floats) with N finished trials, for benchmarks/perf/scale.ts. */
import { execFileSync } from "node:child_process";
import { mkdirSync, existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { GPSearcher, TPESearcher } from "../../algorithms/searchers/index.ts";
import type { Config, Searcher } from "../../core/contracts/index.ts";
import { uniform, type Space } from "../../core/space/index.ts";
import { hartmann6 } from "../objectives/index.ts";

const hartmannSpace = (float: typeof uniform): Space => Object.fromEntries(hartmann6.bounds.map(([low, high], i) => [`x${i}`, float(low, high)]));
const x = new Float64Array(6);
function loss(config: Config): number {
  for (let i = 0; i < 6; i++) x[i] = config[`x${i}`] as number;
  return hartmann6.evaluate(x);
}

/** A searcher with `startup` random trials before its model: `history + 1` builds a random history. */
export type Factory = (startup?: number) => Searcher;
const base = { metric: "y", mode: "min" as const, seed: 0 };

type Classes = { TPESearcher: typeof TPESearcher; GPSearcher: typeof GPSearcher };
function factoriesOf(classes: Classes, space: Space) {
  return {
    "tpe-univariate": (startup?: number) => new classes.TPESearcher(space, { ...base, ...(startup ? { nStartupTrials: startup } : {}) }),
    "tpe-multivariate": (startup?: number) => new classes.TPESearcher(space, { ...base, multivariate: true, group: true, ...(startup ? { nStartupTrials: startup } : {}) }),
    gp: (startup?: number) => new classes.GPSearcher(space, { ...base, ...(startup ? { nStartupTrials: startup } : {}) }),
  } satisfies Record<string, Factory>;
}

export const searcherFactories = factoriesOf({ TPESearcher, GPSearcher }, hartmannSpace(uniform));
export type SearcherName = keyof typeof searcherFactories;

/**
 * The same factories on the searchers of git revision `ref` (e.g. the commit before a
 * speed change), extracted with `git archive` under the repository's ignored tmp/ and
 * imported beside the current ones, so both are timed in one process (the machine's load
 * hits both alike). Only the benchmark reaches the old code.
 */
export async function baselineFactories(ref: string): Promise<typeof searcherFactories> {
  const commit = execFileSync("git", ["rev-parse", "--short", ref], { encoding: "utf8" }).trim();
  const dir = resolve("tmp", `baseline-${commit}`);
  if (!existsSync(resolve(dir, "algorithms"))) {
    mkdirSync(dir, { recursive: true });
    const archive = execFileSync("git", ["archive", commit, "algorithms", "core"], { maxBuffer: 1 << 28 });
    execFileSync("tar", ["-x", "-C", dir], { input: archive });
  }
  const module = (await import(pathToFileURL(resolve(dir, "algorithms/searchers/index.ts")).href)) as Classes;
  // Its own space DSL: domains are checked by class.
  const spaceModule = (await import(pathToFileURL(resolve(dir, "core/space/index.ts")).href)) as { uniform: typeof uniform };
  return factoriesOf(module, hartmannSpace(spaceModule.uniform));
}

function tell(searcher: Searcher, id: string, config: Config, t: number): void {
  searcher.onTrialComplete(id, { trialId: id, iteration: 1, metrics: { y: loss(config) }, time: t, timeTotal: 1 });
}

/** A model-phase searcher restored from a random history of `history` finished trials. */
function withHistory(factory: Factory, history: number): Searcher {
  const builder = factory(history + 1);
  for (let t = 0; t < history; t++) {
    const id = `h${t}`;
    tell(builder, id, builder.suggest(id) as Config, t);
  }
  const timed = factory();
  timed.restore(builder.save());
  return timed;
}

/** Median wall and CPU (the process's user + system time, GC threads included) milliseconds of one suggestion. */
export interface SuggestionTime {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * Median ms per suggestion with `history` random finished trials (the method of
 * compare-search.ts --speed), for each factory: the history is built by a searcher still in
 * its random phase, handed over by save/restore; `warmup` suggestions are not timed.
 * The factories take turns suggestion by suggestion, so a change in the machine's load
 * hits each alike: compare them by their ratio. CPU time leaves out the time the process
 * waited for a core (the wall figure's noise on a shared machine).
 */
export function msPerSuggestion(factories: readonly Factory[], history: number, repeats: number, warmup: number): SuggestionTime[] {
  const searchers = factories.map((f) => withHistory(f, history));
  const wall = factories.map((): number[] => []);
  const cpu = factories.map((): number[] => []);
  for (let r = 0; r < warmup + repeats; r++) {
    searchers.forEach((searcher, k) => {
      const id = `t${r}`;
      const cpuStarted = process.cpuUsage();
      const started = performance.now();
      const config = searcher.suggest(id) as Config;
      const ended = performance.now();
      const used = process.cpuUsage(cpuStarted);
      if (r >= warmup) {
        (wall[k] as number[]).push(ended - started);
        (cpu[k] as number[]).push((used.user + used.system) / 1000);
      }
      tell(searcher, id, config, r);
    });
  }
  const median = (t: number[]): number => t.sort((a, b) => a - b)[t.length >> 1] as number;
  return wall.map((w, k) => ({ wallMs: median(w), cpuMs: median(cpu[k] as number[]) }));
}
