import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { BOHBSearcher, TPESearcher } from "../../algorithms/searchers/index.ts";
import { ASHAScheduler, HyperBandForBOHB, PopulationBasedTraining } from "../../algorithms/schedulers/index.ts";
import { experimentToTuneOptions, renderExperiment } from "../../cli/experiment-file/index.ts";
import { tune } from "../../real-backend/index.ts";
import { loadExperiment } from "../../cli/run-command.ts";
import { OptionError } from "../../core/errors/index.ts";
import { spaceFromPlain } from "../../core/space/from-plain.ts";
import { problemLines, quadraticTrainable, root, validYaml, writeTemp } from "./_experiment-files.ts";

describe("experiment file: every bad input is one line naming its path, and nothing runs", () => {
  it.each<[string, Record<string, string>, string[]]>([
    ["a string where a number goes", { trials: "trials: ten" }, ['trials: must be an integer >= 1, got "ten"']],
    ["a fractional trial count", { trials: "trials: 2.5" }, ["trials: must be an integer >= 1, got 2.5"]],
    ["an unknown mode", { mode: "mode: minimize" }, ['mode: got unknown name "minimize"; known: min, max']],
    ["a boolean as a string", { reuse: "reuseActors: maybe" }, ['reuseActors: must be true or false, got "maybe"']],
    ["a negative cpu", { resources: "resources: { cpu: -1 }" }, ["resources.cpu: must be a finite number >= 0, got -1"]],
    ["a fractional gpu above 1", { resources: "resources: { gpu: 1.5 }" }, ["resources.gpu: above 1 must be a whole number of GPUs, got 1.5"]],
    ["a zero step timeout", { timeout: "stepTimeoutSeconds: 0" }, ["stepTimeoutSeconds: must be a finite number > 0, got 0"]],
    ["a list where a mapping goes", { resources: "resources: [1, 0]" }, ["resources: must be a mapping { cpu, gpu }, got [1,0]"]],
    ["an unknown top-level key (with its did-you-mean)", { trials: "trails: 6" }, ["trials: is required", "trails: unknown field; did you mean trials?"]],
    ["an unknown key in a nested mapping", { resources: "resources: { cpus: 2 }" }, ["resources.cpus: unknown field; did you mean cpu?"]],
    ["a missing required field", { metric: "" }, ["metric: is required"]],
    ["a missing space", { space: "" }, ["space: is required"]],
    ["loguniform with low 0", { space: "space:\n  lr: { loguniform: [0, 1] }" }, ["space.lr.loguniform[0]: must be > 0, got 0"]],
    ["randint with low >= high", { space: "space:\n  layers: { randint: [8, 2] }" }, ["space.layers.randint[1]: must be > low (8), got 2"]],
    ["an empty choice", { space: "space:\n  act: { choice: [] }" }, ["space.act.choice: must be a non-empty list of options, got []"]],
    ["an unknown searcher", { searcher: "searcher: tpee" }, ['searcher.name: got unknown searcher "tpee"; did you mean tpe?; known: random, grid, tpe, gp, bohb']],
    ["an unknown scheduler", { scheduler: "scheduler: { name: lifo }" }, ['scheduler.name: got unknown scheduler "lifo"; did you mean fifo?; known: fifo, asha, asha-promotion, hyperband, pbt, pb2, median, hyperband-bohb']],
    ["a scheduler without a name", { scheduler: "scheduler: { maxT: 9 }" }, ["scheduler.name: is required; known: fifo, asha, asha-promotion, hyperband, pbt, pb2, median, hyperband-bohb"]],
    ["a bad scheduler option (asha reductionFactor 1)", { scheduler: "scheduler: { name: asha, reductionFactor: 1 }" }, ["scheduler.reductionFactor: must be a finite number > 1, got 1"]],
    ["a misspelt scheduler option", { scheduler: "scheduler: { name: asha, reduction_factor: 3 }" }, ["scheduler.reduction_factor: is not an option of scheduler asha; did you mean reductionFactor?; its options: timeAttr, maxT, gracePeriod, reductionFactor, brackets"]],
    ["an option of another scheduler", { scheduler: "scheduler: { name: fifo, maxT: 3 }" }, ["scheduler.maxT: is not an option of scheduler fifo; it takes none"]],
    ["the metric given per scheduler", { scheduler: "scheduler: { name: asha, metric: acc }" }, ["scheduler.metric: is set once, at the top level of the file, not per scheduler"]],
    ["a bad searcher option", { searcher: "searcher: { name: tpe, nStartupTrials: -2 }" }, ["searcher.nStartupTrials: must be an integer >= 0, got -2"]],
    ["options that clash (asha gracePeriod >= maxT)", { scheduler: "scheduler: { name: asha, gracePeriod: 9 }" }, ["scheduler.gracePeriod: must be < maxT (9), got 9"]],
    ["a searcher that is a number", { searcher: "searcher: 3" }, ["searcher: must be a searcher name or a mapping { name, ...options }, got 3"]],
    ["a missing trainable module", { trainable: "trainable: ./nope.ts" }, ["trainable.module: no such file: <dir>/nope.ts"]],
    ["both module and command", { trainable: `trainable: { module: ${quadraticTrainable}, command: [python3, t.py] }` }, ["trainable: give module or command, not both"]],
    ["an empty command", { trainable: "trainable: { command: [] }" }, ["trainable.command: must name a program: a non-empty list like [python3, train.py]"]],
    ["export with a command", { trainable: "trainable: { command: [python3, t.py], export: x }" }, ["trainable.export: goes with module, not command"]],
  ])("%s", (_case, overrides, expected) => {
    const file = writeTemp(validYaml(overrides));
    const lines = problemLines(file).map((line) => line.replace(dirname(file), "<dir>"));
    expect(lines).toEqual(expected);
  });

  it("lists every bad field of a file at once, in the file's order, and is an OptionError (exit 2)", () => {
    const file = writeTemp(
      validYaml({
        trials: "trials: 0",
        mode: "mode: up",
        space: "space:\n  lr: { loguniform: [0, 1] }\n  layers: { randint: [3, 3] }",
        extra: "colour: blue",
      }),
    );
    try {
      loadExperiment(file);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OptionError);
      expect((error as OptionError).exitCode).toBe(2);
      expect((error as OptionError).message.split("\n")).toEqual([
        'mode: got unknown name "up"; known: min, max',
        "trials: must be an integer >= 1, got 0",
        "colour: unknown field",
        "space.lr.loguniform[0]: must be > 0, got 0",
        "space.layers.randint[1]: must be > low (3), got 3",
      ]);
    }
  });

  it("names each bad option of a scheduler, not only the first its constructor meets", () => {
    const file = writeTemp(validYaml({ scheduler: "scheduler: { name: asha, reductionFactor: 1, gracePeriod: -1, brackets: 0 }" }));
    expect(problemLines(file)).toEqual([
      "scheduler.reductionFactor: must be a finite number > 1, got 1",
      "scheduler.gracePeriod: must be a finite number > 0, got -1",
      "scheduler.brackets: must be an integer >= 1, got 0",
    ]);
  });

  it("lists a bad algorithm option along with the other bad fields, without blaming the algorithms for them", () => {
    const file = writeTemp(
      validYaml({
        metric: "metric: ''",
        trainable: "trainable: ./missing.ts",
        space: "space:\n  lr: { loguniform: [0, 1] }",
        extra: "searcher: { name: tpe, nStartupTrials: -1 }\nscheduler: { name: median, gracePeriod: -5, minSamplesRequired: 2 }",
      }),
    );
    expect(problemLines(file).map((line) => line.replace(dirname(file), "<dir>"))).toEqual([
      'metric: must be a non-empty string, got ""',
      "space.lr.loguniform[0]: must be > 0, got 0",
      "trainable.module: no such file: <dir>/missing.ts",
      "searcher.nStartupTrials: must be an integer >= 0, got -1",
      "scheduler.gracePeriod: must be a finite number >= 0, got -5",
    ]);
  });

  it("a YAML syntax error is one line with the file's line:column", () => {
    const file = writeTemp("name: x\ntrials: [1, 2\nmetric: loss\n");
    expect(problemLines(file)).toEqual([`${file}:3:1: syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]`]);
  });

  it("a JSON syntax error too (one parser reads both)", () => {
    const file = writeTemp('{"name": "x",, "trials": 3}', "experiment.json");
    expect(problemLines(file)).toEqual([`${file}:1:14: syntax error: Unexpected , in flow map`]);
  });

  it("a duplicated key is a syntax error, not a silent overwrite", () => {
    const file = writeTemp(validYaml() + "trials: 7\n");
    expect(problemLines(file)[0]).toMatch(/experiment\.yaml:\d+:1: syntax error: Map keys must be unique$/);
  });

  it("a file that does not exist, and one that is not a mapping", () => {
    expect(problemLines("/nonexistent/experiment.yaml")).toEqual(["/nonexistent/experiment.yaml: no such file"]);
    expect(problemLines(writeTemp("- 1\n- 2\n"))).toEqual(["an experiment file must be a mapping of fields, got [1,2]"]);
    expect(problemLines(writeTemp(""))).toEqual(["an experiment file must be a mapping of fields, got null"]);
  });
});

describe("experiment file: resolving", () => {
  it("maps the file onto tune()'s options: absolute paths, built algorithms, no undefined keys", () => {
    const file = writeTemp(
      validYaml({
        trainable: "trainable: { module: ../m.ts, export: quad }",
        extra: "storagePath: runs\nseed: 5\nsearcher: { name: tpe, nStartupTrials: 4 }\nscheduler: { name: asha, gracePeriod: 3 }\nresources: { gpu: 0.5 }\nmaxFailures: 2\ncheckpointFrequency: 3\nkeepCheckpoints: 1\nstepTimeoutSeconds: 30\nreuseActors: false",
      }),
    );
    const dir = dirname(file);
    writeFileSync(join(dir, "../m.ts"), "export const quad = {};\n");
    const options = experimentToTuneOptions(loadExperiment(file));
    const { searcher, scheduler, space, ...rest } = options;
    expect(rest).toEqual({
      name: "quad",
      trainable: { module: join(dir, "../m.ts"), export: "quad" },
      metric: "loss",
      mode: "min",
      trials: 6,
      seed: 5,
      resources: { cpu: 1, gpu: 0.5 },
      maxIterations: 9,
      storagePath: join(dir, "runs"),
      maxFailures: 2,
      checkpointFrequency: 3,
      keepCheckpoints: 1,
      stepTimeoutSeconds: 30,
      reuseActors: false,
    });
    expect(searcher).toBeInstanceOf(TPESearcher);
    expect(scheduler).toBeInstanceOf(ASHAScheduler);
    expect((scheduler as unknown as { maxT: number }).maxT).toBe(9); // maxIterations, as `tunelab sim` does
    expect(space).toEqual(spaceFromPlain({ start: { uniform: [-10, 10] }, optimizer: { choice: [
      { kind: "sgd", lr: { loguniform: [1e-3, 1] }, momentum: { choice: [0, 0.9] } },
      { kind: "sign", lr: { loguniform: [1e-3, 1] } },
    ] } }));
  });

  it("leaves out what the file leaves out, names the experiment after its file, and runs a command in the file's directory", () => {
    const file = writeTemp(validYaml({ name: "", maxIterations: "", trainable: "trainable: { command: [python3, train.py], env: { A: b } }" }));
    const options = experimentToTuneOptions(loadExperiment(file));
    expect(options.name).toBe("experiment");
    expect(options.trainable).toEqual({ command: ["python3", "train.py"], cwd: dirname(file), env: { A: "b" } });
    for (const key of ["maxIterations", "storagePath", "maxFailures", "checkpointFrequency", "keepCheckpoints", "stepTimeoutSeconds", "reuseActors"]) {
      expect(Object.hasOwn(options, key), key).toBe(false);
    }
  });

  it("wires hyperband-bohb's budgets to the bohb searcher built from the same file", () => {
    const file = writeTemp(validYaml({ extra: "searcher: bohb\nscheduler: { name: hyperband-bohb, reductionFactor: 3 }" }));
    const { searcher, scheduler } = experimentToTuneOptions(loadExperiment(file));
    expect(searcher).toBeInstanceOf(BOHBSearcher);
    expect(scheduler).toBeInstanceOf(HyperBandForBOHB);
    expect((scheduler as unknown as { budgetObserver: unknown }).budgetObserver).toBe(searcher);
  });

  it("reads PBT's hyperparamMutations in the space DSL, with errors at their path", () => {
    const ok = writeTemp(validYaml({ extra: "scheduler: { name: pbt, perturbationInterval: 3, timeAttr: training_iteration, hyperparamMutations: { start: { uniform: [-5, 5] } } }" }));
    const resolved = loadExperiment(ok);
    expect(resolved.scheduler.instance).toBeInstanceOf(PopulationBasedTraining);
    expect(renderExperiment(resolved)["scheduler"]).toMatchObject({ name: "pbt", perturbationInterval: 3, hyperparamMutations: { start: { uniform: [-5, 5] } } });
    const bad = writeTemp(validYaml({ extra: "scheduler: { name: pbt, hyperparamMutations: { start: { uniform: [5, -5] } } }" }));
    expect(problemLines(bad)).toEqual(["scheduler.hyperparamMutations.start.uniform[1]: must be > low (5), got -5"]);
  });

  it("defaults the searcher to grid search when the space has grid_search leaves, and repeats the grid to cover trials", () => {
    const file = writeTemp(validYaml({ space: "space:\n  start: { grid_search: [-1, 1, 2] }\n  optimizer: { kind: sgd, lr: 0.1, momentum: 0 }" }));
    const resolved = loadExperiment(file);
    expect(resolved.searcher.name).toBe("grid");
    expect(renderExperiment(resolved)["searcher"]).toEqual({ name: "grid", numSamples: 2 }); // 6 trials / 3 variants
  });
});

describe("tunelab run --dry-run rendering", () => {
  it("prints the space as written and each algorithm's options with the defaults in force", () => {
    const file = writeTemp(validYaml({ extra: "scheduler: { name: asha, gracePeriod: 3 }\nsearcher: random" }));
    const document = renderExperiment(loadExperiment(file));
    expect(document["space"]).toEqual({
      start: { uniform: [-10, 10] },
      optimizer: { choice: [{ kind: "sgd", lr: { loguniform: [0.001, 1] }, momentum: { choice: [0, 0.9] } }, { kind: "sign", lr: { loguniform: [0.001, 1] } }] },
    });
    // maxT from maxIterations (as `tunelab sim`), reductionFactor and timeAttr from ASHA's own defaults.
    expect(document["scheduler"]).toEqual({ name: "asha", timeAttr: "training_iteration", maxT: 9, gracePeriod: 3, reductionFactor: 4 });
    expect(document["searcher"]).toEqual({ name: "random" });
    expect(document["resources"]).toEqual({ cpu: 1, gpu: 0 });
    // The rendered document is itself a valid experiment file that resolves to the same thing.
    const again = writeTemp(JSON.stringify(document), "again.json");
    expect(renderExperiment(loadExperiment(again))).toEqual({ ...document, name: "quad" });
  });
});

describe("tunelab run: every trial in a worker process", () => {
  const withDir = (file: string) => ({ ...experimentToTuneOptions(loadExperiment(file)), storagePath: mkdtempSync(join(tmpdir(), "tunelab-run-")) });

  it("runs the README example to the same result twice (seeded), in worker processes", async () => {
    const file = join(root, "examples/experiments/quadratic.yaml");
    // One worker: with several, results arrive in real-time order and TPE sees them in that order.
    const first = { ...withDir(file), capacity: { cpu: 1, gpu: 0 } };
    const a = await tune(first);
    const second = { ...withDir(file), capacity: { cpu: 1, gpu: 0 } };
    const b = await tune(second);
    rmSync(second.storagePath, { recursive: true, force: true });
    expect(a.trials).toHaveLength(24);
    expect(a.best?.metric).toBeLessThan(0.01);
    expect(a.best).toEqual(b.best);
    // maxIterations: 27 bounds every trial; ASHA (rf 3, grace 3) stopped some early.
    const lengths = a.trials.map((t) => t.history.length);
    expect(Math.max(...lengths)).toBe(27);
    expect(lengths.filter((n) => n < 27).length).toBeGreaterThan(0);
    // Worker processes: each trial has its logs in the experiment directory; actors were reused.
    expect(existsSync(join(first.storagePath, "t00000", "stderr.log"))).toBe(true);
    expect(a.summary.actorReuses).toBeGreaterThan(0);
    rmSync(first.storagePath, { recursive: true, force: true });
  });

  it("runs a command trainable (the Python example) end to end", async (context) => {
    if (!existsSync("/usr/bin/python3")) return context.skip("Debian's /usr/bin/python3 is not installed");
    const script = join(root, "examples/python/train_quadratic.py");
    const file = writeTemp(
      validYaml({
        trainable: `trainable: { command: [/usr/bin/python3, ${script}] }`,
        space: "space:\n  lr: { loguniform: [0.01, 0.4] }",
        trials: "trials: 4",
        maxIterations: "maxIterations: 6",
      }),
    );
    const options = withDir(file);
    const run = await tune(options);
    expect(run.trials.map((t) => t.status)).toEqual(["TERMINATED", "TERMINATED", "TERMINATED", "TERMINATED"]);
    expect(run.trials.every((t) => t.history.length === 6)).toBe(true);
    // Gradient descent on (w - 3)^2 from w = 0: the loss after 6 steps of size lr is 9 (1 - 2 lr)^12.
    for (const trial of run.trials) {
      const lr = trial.config["lr"] as number;
      expect(trial.lastResult?.metrics["loss"]).toBeCloseTo(9 * (1 - 2 * lr) ** 12, 9);
    }
    rmSync(options.storagePath, { recursive: true, force: true });
  });

  it("stepTimeoutSeconds from the file kills a hung worker and fails its trial, naming the limit", async () => {
    const hang = writeTemp("export default { name: 'hang', init: () => ({}), step: () => new Promise(() => {}) };\n", "hang.ts");
    const file = writeTemp(validYaml({ trainable: `trainable: ${hang}`, trials: "trials: 1", extra: "stepTimeoutSeconds: 1" }), "hang.yaml");
    const options = withDir(file);
    const run = await tune(options);
    expect(run.trials[0]?.status).toBe("ERROR");
    expect(run.trials[0]?.errorMessage).toMatch(/step.*1 ?s|stepTimeoutSeconds/);
    rmSync(options.storagePath, { recursive: true, force: true });
  });

  it("a module without the named export fails its trials with one line naming the export", async () => {
    const noExport = writeTemp(validYaml({ trainable: `trainable: { module: ${quadraticTrainable}, export: quad }`, trials: "trials: 1" }));
    const options = withDir(noExport);
    const run = await tune(options);
    expect(run.trials[0]?.status).toBe("ERROR");
    expect(run.trials[0]?.errorMessage).toContain('"quad"');
    rmSync(options.storagePath, { recursive: true, force: true });
  });
});

describe("every searcher and scheduler name builds from a file, and its dry-run rendering resolves to itself", () => {
  const cases: Array<[string, string]> = [
    ...["random", "grid", "tpe", "gp", "bohb"].map((name): [string, string] => ["searcher", name]),
    ...["fifo", "asha", "asha-promotion", "hyperband", "hyperband-bohb", "median", "pbt", "pb2"].map((name): [string, string] => ["scheduler", name]),
  ];
  it.each(cases)("%s %s", (kind, name) => {
    const file = writeTemp(validYaml({ extra: `${kind}: ${name}` }));
    const document = renderExperiment(loadExperiment(file));
    expect((document[kind] as { name: string }).name).toBe(name);
    const again = writeTemp(JSON.stringify(document), "again.json");
    expect(renderExperiment(loadExperiment(again))).toEqual({ ...document, name: "quad" });
  });
});
