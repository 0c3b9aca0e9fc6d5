import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { callbackProblem, loadFileCallbacks, renderExperiment } from "../../../cli/experiment-file/index.ts";
import { loadExperiment } from "../../../cli/run-command.ts";
import { OptionError } from "../../../core/errors/index.ts";
import { problemLines, root, validYaml, writeTemp } from "../_experiment-files.ts";

/** An experiment file next to a callbacks module `cb.ts` with the given source. */
function withModule(source: string, callbacks: string, name = "cb.ts"): string {
  const file = writeTemp(validYaml({ extra: `callbacks: ${callbacks}` }));
  writeFileSync(join(dirname(file), name), source);
  return file;
}

async function loadLines(file: string): Promise<string[]> {
  try {
    await loadFileCallbacks(loadExperiment(file).callbacks);
  } catch (error) {
    if (error instanceof OptionError) return error.message.split("\n");
    throw error;
  }
  throw new Error(`expected the callbacks of ${file} to be rejected`);
}

const MODULE = `
let results = 0;
export default { onTrialResult() { results++; } };
export class Counter { seen = 0; onTrialResult() { this.seen++; } onExperimentEnd() {} }
export const make = () => ({ name: "made", onTrialStart() {} });
export const notOne = 42;
export const typo = { onTrialResults() {} };
export const badHook = { onTrialResult: 3 };
export const empty = { name: "nothing" };
export function results_() { return results; }
`;

describe("experiment file: callbacks", () => {
  it("resolves module paths against the file's directory and shows them in the dry run", () => {
    const file = withModule(MODULE, "[./cb.ts, { module: ./cb.ts, export: Counter }]");
    const resolved = loadExperiment(file);
    const module = join(dirname(file), "cb.ts");
    expect(resolved.callbacks).toEqual([{ module }, { module, export: "Counter" }]);
    expect(renderExperiment(resolved)["callbacks"]).toEqual([{ module }, { module, export: "Counter" }]);
    expect(renderExperiment(loadExperiment(writeTemp(validYaml())))).not.toHaveProperty("callbacks");
  });

  it("a missing file, a bad entry and an unknown key are one line each, with the other bad fields", () => {
    const file = writeTemp(validYaml({ trials: "trials: 0", extra: "callbacks: [./nope.ts, 3, { module: ./x.ts, exprt: A }]" }));
    writeFileSync(join(dirname(file), "x.ts"), "export const A = {};\n");
    expect(problemLines(file)).toEqual([
      "trials: must be an integer >= 1, got 0",
      "callbacks[1]: must be a module path or a mapping { module, export }, got 3",
      'callbacks[2].exprt: unknown field; did you mean export?',
      `callbacks[0].module: no such file: ${join(dirname(file), "nope.ts")}`,
    ]);
    expect(problemLines(writeTemp(validYaml({ extra: "callbacks: ./cb.ts" })))).toEqual(["callbacks: must be a list of module paths or { module, export } mappings, got \"./cb.ts\""]);
  });

  it("imports an object, constructs a class and calls a factory; a nameless object is named after its module", async () => {
    const file = withModule(MODULE, "[./cb.ts, { module: ./cb.ts, export: Counter }, { module: ./cb.ts, export: make }]");
    const [plain, counter, made] = await loadFileCallbacks(loadExperiment(file).callbacks);
    expect(plain?.name).toBe("cb");
    expect(typeof plain?.onTrialResult).toBe("function");
    expect(counter?.constructor.name).toBe("Counter");
    expect(made?.name).toBe("made");
  });

  it("names a missing export, a non-callback, a misspelt hook, a hook that is no function and a module that fails to import", async () => {
    const file = withModule(
      MODULE,
      "[{ module: ./cb.ts, export: Countr }, { module: ./cb.ts, export: notOne }, { module: ./cb.ts, export: typo }, { module: ./cb.ts, export: badHook }, { module: ./cb.ts, export: empty }, ./broken.ts]",
    );
    writeFileSync(join(dirname(file), "broken.ts"), "export const x = ;\n");
    const module = join(dirname(file), "cb.ts");
    const lines = await loadLines(file);
    expect(lines.slice(0, 5)).toEqual([
      `callbacks[0].export: ${module} has no export "Countr"; did you mean Counter?; it exports: Counter, badHook, default, empty, make, notOne, results_, typo`,
      'callbacks[1]: export "notOne" of cb.ts is not a callback: needs an object with hooks (onExperimentStart, onExperimentEnd, onTrialStart, onTrialResult, onTrialComplete, onTrialError, onCheckpoint, onDecision, onExploit), a class of such objects or a function returning one; got 42',
      'callbacks[2]: export "typo" of cb.ts is not a callback: onTrialResults is not a hook; did you mean onTrialResult?; hooks: onExperimentStart, onExperimentEnd, onTrialStart, onTrialResult, onTrialComplete, onTrialError, onCheckpoint, onDecision, onExploit',
      'callbacks[3]: export "badHook" of cb.ts is not a callback: onTrialResult must be a function, got 3',
      'callbacks[4]: export "empty" of cb.ts is not a callback: it has none of the hooks onExperimentStart, onExperimentEnd, onTrialStart, onTrialResult, onTrialComplete, onTrialError, onCheckpoint, onDecision, onExploit',
    ]);
    expect(lines[5]).toMatch(new RegExp(`^callbacks\\[5\\]\\.module: ${join(dirname(file), "broken.ts").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} cannot be imported: .+`));
    expect(lines).toHaveLength(6);
  });

  it("callbackProblem accepts a class instance whose hooks live on its prototype", () => {
    class Logger {
      onTrialComplete(): void {}
    }
    expect(callbackProblem(new Logger())).toBeUndefined();
    expect(callbackProblem(null)).toMatch(/^needs an object with hooks/);
  });
});

describe("tunelab run with callbacks from the file", () => {
  const tunelab = (...args: string[]) => spawnSync(process.execPath, [join(root, "bin/tunelab.js"), ...args], { cwd: root, encoding: "utf8" });

  it("calls the file's callbacks in the driver; one that throws is reported once with its name and the run finishes", () => {
    const file = writeTemp(validYaml({ trials: "trials: 3", maxIterations: "maxIterations: 4", extra: "storagePath: runs\ncallbacks: [./count.ts, { module: ./count.ts, export: Broken }]" }));
    const dir = dirname(file);
    const out = join(dir, "counts.json");
    writeFileSync(
      join(dir, "count.ts"),
      `import { writeFileSync } from "node:fs";
let results = 0, starts = 0;
export default {
  onTrialStart() { starts++; },
  onTrialResult() { results++; },
  onExperimentEnd(info: { trials: readonly unknown[] }) { writeFileSync(${JSON.stringify(out)}, JSON.stringify({ results, starts, trials: info.trials.length })); },
};
export class Broken { onTrialResult() { throw new Error("boom"); } }
`,
    );
    const r = tunelab("run", "--json", file);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim());
    const counts = JSON.parse(readFileSync(out, "utf8"));
    expect(counts).toEqual({ results: summary.results, starts: counts.starts, trials: 3 });
    expect(counts.results).toBeGreaterThanOrEqual(3);
    expect(counts.starts).toBeGreaterThanOrEqual(3);
    expect(r.stderr.split("\n").filter((l) => l.includes("boom"))).toEqual(["tunelab: callback Broken threw in onTrialResult: boom (further errors of this callback are not shown)"]);
  }, 60_000);

  it("a bad callback fails the dry run with exit 2", () => {
    const file = withModule(MODULE, "[{ module: ./cb.ts, export: notOne }]");
    const r = tunelab("run", "--dry-run", file);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^tunelab: callbacks\[0\]: export "notOne" of cb\.ts is not a callback/);
  }, 30_000);
});
