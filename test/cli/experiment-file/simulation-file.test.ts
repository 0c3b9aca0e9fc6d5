import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { readExperimentFile, renderSimulation, resolveExperiment, resolveSimulation, runResolvedSimulation } from "../../../cli/experiment-file/index.ts";
import { benchmarkByName } from "../../../benchmarks/objectives/index.ts";
import { ASHAScheduler } from "../../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../../algorithms/searchers/index.ts";
import { OptionError } from "../../../core/errors/index.ts";
import { simulate } from "../../../simulator/index.ts";
import { stringify } from "yaml";
import { lcbenchDefaults, sharedLcbench } from "../../../benchmarks/lcbench/suite-benchmark.ts";
import { root, writeTemp } from "../_experiment-files.ts";

/** A valid simulation file, as YAML blocks by key, that tests break one field at a time. */
function simYaml(overrides: Record<string, string> = {}): string {
  const fields: Record<string, string> = {
    kind: "kind: simulation",
    objective: "objective: hartmann6",
    trials: "trials: 12",
    maxIterations: "maxIterations: 9",
    scheduler: "scheduler: { name: asha, gracePeriod: 1 }",
    cluster: [
      "cluster:",
      "  provider: aws",
      "  nodeTypes:",
      "    - { name: spot, gpus: 4, cpus: 16, spot: true, onDemandPricePerHour: 12, minCount: 1, maxCount: 3 }",
      "    - { name: od, gpus: 4, cpus: 16, pricePerHour: 12, maxCount: 2 }",
      "  storms: [0.5@60]",
    ].join("\n"),
    ...overrides,
  };
  return Object.values(fields).filter((line) => line !== "").join("\n") + "\n";
}

/** The cluster block with one node-type line replaced. */
function withNodeType(line: string): Record<string, string> {
  return { cluster: `cluster:\n  nodeTypes:\n    - ${line}` };
}

async function problems(text: string, name = "sim.yaml"): Promise<string[]> {
  const source = readExperimentFile(writeTemp(text, name));
  try {
    if ((source.plain as { kind?: unknown }).kind === "simulation") await resolveSimulation(source);
    else resolveExperiment(source);
  } catch (error) {
    if (error instanceof OptionError) return error.message.split("\n");
    throw error;
  }
  throw new Error("expected the file to be rejected");
}

const spot = "{ name: spot, gpus: 4, cpus: 16, spot: true";

describe("simulation file: every bad input is one line naming its path", () => {
  it.each<[string, Record<string, string>, string]>([
    // cluster: node types
    ["minCount above maxCount", withNodeType(`${spot}, minCount: 5, maxCount: 2 }`), "cluster.nodeTypes[0].minCount: must be <= maxCount (2), got 5"],
    ["a negative maxCount", withNodeType(`${spot}, maxCount: -1 }`), "cluster.nodeTypes[0].maxCount: must be an integer >= 0, got -1"],
    ["negative GPUs", withNodeType("{ name: a, gpus: -1, cpus: 4, count: 1 }"), "cluster.nodeTypes[0].gpus: must be a finite number >= 0, got -1"],
    ["negative memory", withNodeType("{ name: a, gpus: 1, cpus: 4, count: 1, memoryGb: -8 }"), "cluster.nodeTypes[0].memoryGb: must be a finite number >= 0, got -8"],
    ["a negative price", withNodeType("{ name: a, gpus: 1, cpus: 4, count: 1, pricePerHour: -2 }"), "cluster.nodeTypes[0].pricePerHour: must be a finite number >= 0, got -2"],
    ["a count outside min and max", withNodeType(`${spot}, count: 9, minCount: 1, maxCount: 3 }`), "cluster.nodeTypes[0].count: must be between minCount (1) and maxCount (3), got 9"],
    ["a fixed type without count", withNodeType("{ name: a, gpus: 1, cpus: 4 }"), "cluster.nodeTypes[0].count: is required for a fixed-size type (or give maxCount to autoscale it)"],
    ["minCount on a fixed type", withNodeType("{ name: a, gpus: 1, cpus: 4, count: 1, minCount: 1 }"), "cluster.nodeTypes[0].minCount: needs maxCount (minCount and maxCount make a type autoscaled)"],
    ["an idle timeout on a fixed type", withNodeType("{ name: a, gpus: 1, cpus: 4, count: 1, idleTimeoutSeconds: 60 }"), "cluster.nodeTypes[0].idleTimeoutSeconds: applies to autoscaled types only; give maxCount"],
    ["a misspelt node-type field", withNodeType(`${spot}, maxcount: 2 }`), "cluster.nodeTypes[0].maxcount: unknown field; did you mean maxCount?"],
    ["a node type without a name", withNodeType("{ gpus: 1, cpus: 4, count: 1 }"), "cluster.nodeTypes[0].name: must be a non-empty string, got undefined"],
    ["a node type that is a number", withNodeType("3"), "cluster.nodeTypes[0]: must be a mapping { name, cpus, gpus, count | maxCount, ... }, got 3"],
    ["two types of one name", { cluster: "cluster:\n  nodeTypes:\n    - { name: a, gpus: 1, cpus: 4, count: 1 }\n    - { name: a, gpus: 1, cpus: 4, count: 1 }" }, 'cluster.nodeTypes: names type "a" twice'],
    ["node types that are not a list", { cluster: "cluster:\n  nodeTypes: { name: a }" }, "cluster.nodeTypes: must be a list of node types"],
    ["a launch delay of an unknown kind", withNodeType(`${spot}, maxCount: 2, launchDelay: { kind: gamma, seconds: 3 } }`), 'cluster.nodeTypes[0].launchDelay.kind: got unknown name "gamma"; known: fixed, lognormal'],
    ["a launch delay field of the other kind", withNodeType(`${spot}, maxCount: 2, launchDelay: { kind: lognormal, medianSeconds: 60, sigma: 0.3, seconds: 4 } }`), "cluster.nodeTypes[0].launchDelay.seconds: does not go with kind lognormal"],
    ["a negative fixed launch delay", withNodeType(`${spot}, maxCount: 2, launchDelay: { kind: fixed, seconds: -4 } }`), "cluster.nodeTypes[0].launchDelay.seconds: must be a finite number >= 0, got -4"],
    ["an interruption frequency on an on-demand type", withNodeType("{ name: a, gpus: 1, cpus: 4, count: 1, interruptionFrequency: 0.1 }"), "cluster.nodeTypes[0].interruptionFrequency: applies to spot types only"],
    // cluster: markets, notices, prices
    ["an interruption frequency of 1 or more", { cluster: "cluster:\n  interruptionFrequency: 1.5" }, "cluster.interruptionFrequency: "],
    ["a spot discount of 1", { cluster: "cluster:\n  spotDiscount: 1" }, "cluster.spotDiscount: must be a finite number >= 0 and <= 0.99, got 1"],
    ["an unknown provider", { cluster: "cluster:\n  provider: oracle" }, 'cluster.provider: got unknown name "oracle"; known: aws, gcp, azure'],
    ["a negative notice", { cluster: "cluster:\n  preemptionNoticeSeconds: -1" }, "cluster.preemptionNoticeSeconds: must be a finite number >= 0, got -1"],
    ["a negative preemption rate", { cluster: "cluster:\n  preemptionRate: -0.5" }, "cluster.preemptionRate: must be a finite number >= 0, got -0.5"],
    ["a misspelt cluster field", { cluster: "cluster:\n  stroms: [0.5@60]" }, "cluster.stroms: unknown field; did you mean storms?"],
    ["a cluster that is a list", { cluster: "cluster: [1, 2]" }, "cluster: must be a mapping"],
    ["too many GPUs", { cluster: "cluster:\n  gpus: 100000000" }, "cluster.gpus: make 12500000 nodes; at most 10000"],
    // cluster: storms and traces
    ["a storm string of the wrong form", { cluster: "cluster:\n  storms: [half@60]" }, 'cluster.storms[0]: fraction must be in (0, 1], got "half"'],
    ["a storm that loses nothing", { cluster: "cluster:\n  storms:\n    - { atSeconds: 60, fraction: 0 }" }, "cluster.storms[0].fraction: must be a finite number > 0 and <= 1, got 0"],
    ["a storm on an unknown type", { cluster: "cluster:\n  nodeTypes:\n    - { name: a, gpus: 1, cpus: 4, count: 1, spot: true }\n  storms: [0.5@60:b]" }, 'cluster.storms[0].nodeType: names no node type ("b"; types: a)'],
    ["a misspelt storm field", { cluster: "cluster:\n  storms:\n    - { at: 60, fraction: 0.5 }" }, "cluster.storms[0].at: unknown field"],
    ["a trace file that is not there", { cluster: "cluster:\n  availabilityTrace: no-such.csv" }, "cluster.availabilityTrace: cannot read "],
    ["a trace with a bad cell", { cluster: "cluster:\n  availabilityTrace: { csv: \"time,type,available\\n0,gpu8,many\\n\" }" }, 'cluster.availabilityTrace line 2 column available: must be a number, got "many"'],
    ["a trace naming a type the cluster lacks", { cluster: "cluster:\n  availabilityTrace: { csv: \"time,type,available\\n0,gpu4,1\\n\" }" }, 'cluster.availabilityTrace: names node type "gpu4", which the cluster does not have'],
    // cluster: autoscaler
    ["autoscaler settings without an autoscaled type", { cluster: "cluster:\n  gpus: 8\n  autoscaler: { upscalingSpeed: 2 }" }, "cluster.autoscaler: needs a node type with maxCount (an autoscaled type)"],
    ["a zero upscaling speed", { cluster: `cluster:\n  nodeTypes:\n    - ${spot}, maxCount: 2 }\n  autoscaler: { upscalingSpeed: 0 }` }, "cluster.autoscaler.upscalingSpeed: must be a finite number > 0, got 0"],
    ["a spot fallback after zero failures", { cluster: `cluster:\n  nodeTypes:\n    - ${spot}, maxCount: 2 }\n  autoscaler: { spotFallback: { failures: 0 } }` }, "cluster.autoscaler.spotFallback.failures: must be an integer >= 1, got 0"],
    ["a misspelt autoscaler field", { cluster: `cluster:\n  nodeTypes:\n    - ${spot}, maxCount: 2 }\n  autoscaler: { pendingTrial: 3 }` }, "cluster.autoscaler.pendingTrial: unknown field; did you mean pendingTrials?"],
    // the objective
    ["an unknown benchmark", { objective: "objective: hartman6" }, 'objective.benchmark: got unknown benchmark "hartman6"; did you mean hartmann6?'],
    ["a formula without a space", { objective: 'objective: { formula: "x^2" }' }, "objective.space: is required with formula (the formula's parameters)"],
    ["a formula over a parameter the space lacks", { objective: 'objective:\n  formula: "(y - 1)^2"\n  space: { x: { uniform: [0, 1] } }' }, "objective.formula: "],
    ["a bad space", { objective: 'objective:\n  formula: "x^2"\n  space: { x: { uniform: [1, 0] } }' }, "objective.space.x.uniform[1]: "],
    ["a benchmark and a replay", { objective: "objective: { benchmark: branin, replay: runs/a }" }, "objective: give one of benchmark, formula and replay, not benchmark and replay"],
    ["a space with a benchmark", { objective: "objective: { benchmark: branin, space: {} }" }, "objective.space: goes with formula"],
    ["a replay of a missing directory", { objective: "objective: { replay: no-such-dir }" }, "objective.replay: "],
    ["an objective that is a number", { objective: "objective: 3" }, "objective: must be a benchmark name, { formula, space } or { replay: DIR }, got 3"],
    ["no objective", { objective: "" }, "objective: is required"],
    // run settings
    ["no trials and no budget", { trials: "" }, "trials: is required (or give a budget: trials then keep coming until it is spent)"],
    ["an empty budget", { budget: "budget: {}" }, "budget: needs seconds (simulated) or gpuHours (held by trials), or both"],
    ["a zero budget", { budget: "budget: { seconds: 0 }" }, "budget.seconds: must be a finite number > 0, got 0"],
    ["grid with a budget and no trials", { trials: "", searcher: "searcher: grid", budget: "budget: { seconds: 600 }" }, "trials: is needed with searcher grid and a budget (the grid's size)"],
    ["a bad resource scaling", { scaling: "resourceScaling: amdahl:2" }, "resourceScaling.parallelFraction: must be a finite number >= 0 and <= 1, got 2"],
    ["an unknown resource policy", { rc: "resourceChanging: { policy: greedy }" }, 'resourceChanging.policy: got unknown name "greedy"'],
    ["a bad scheduler option", { scheduler: "scheduler: { name: asha, reductionFactor: 1 }" }, "scheduler.reductionFactor: must be a finite number > 1, got 1"],
    ["a metric (the objective sets it)", { metric: "metric: acc" }, "metric: is set by the objective in a simulation; leave it out"],
    ["a trainable", { trainable: "trainable: train.ts" }, "trainable: a simulation runs its objective, not a trainable"],
    ["a misspelt top-level key", { trials: "trails: 12" }, "trails: unknown field; did you mean trials?"],
  ])("%s", async (_what, overrides, expected) => {
    const lines = await problems(simYaml(overrides));
    expect(lines.some((line) => line.startsWith(expected)), `${lines.join(" | ")}`).toBe(true);
    // Every problem is one line naming a field path.
    for (const line of lines) expect(line).toMatch(/^[A-Za-z][\w.[\]]*(: | line \d+ column \w+: )\S/);
  });

  it("a real experiment with a cluster section says it needs kind: simulation", async () => {
    const text = `name: q\ntrainable: ${join(root, "examples/experiments/quadratic-trainable.ts")}\nspace: { x: { uniform: [0, 1] } }\nmetric: loss\nmode: min\ntrials: 2\ncluster: { gpus: 8 }\n`;
    expect(await problems(text)).toEqual(["cluster: is a simulation setting: it needs kind: simulation (a real run has no simulated cluster or objective)"]);
  });

  it("a misspelt kind is named with the kinds there are", async () => {
    const lines = await problems(simYaml({ kind: "kind: simulaton" }));
    expect(lines).toContain('kind: got unknown name "simulaton"; known: real, simulation');
  });

  it("lists independent problems together: a bad cluster, a bad budget and a misspelt key", async () => {
    const lines = await problems(simYaml({ budget: "budget: { seconds: -1 }", cluster: "cluster:\n  spotDiscount: 2", trials: "trails: 3" }));
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^budget\.seconds: /), expect.stringMatching(/^cluster\.spotDiscount: /), expect.stringMatching(/^trails: unknown field/)]));
  });
});

describe("simulation file: resolving and running", () => {
  it("runs exactly the simulate() call it describes (same seed, same summary)", async () => {
    const file = writeTemp(simYaml());
    const resolved = await resolveSimulation(readExperimentFile(file));
    const fromFile = runResolvedSimulation(resolved);
    const bench = benchmarkByName("hartmann6", { maxIterations: 9 });
    const direct = simulate({
      objective: bench.objective,
      space: bench.space,
      metric: bench.metric,
      mode: bench.mode,
      trials: 12,
      seed: 0,
      maxIterations: 9,
      resources: { cpu: 1, gpu: 1 },
      searcher: new RandomSearch(bench.space, { metric: bench.metric, mode: bench.mode, seed: 0 }),
      scheduler: new ASHAScheduler({ metric: bench.metric, mode: bench.mode, maxT: 9, gracePeriod: 1, seed: 0 }),
      cluster: {
        provider: "aws",
        nodeTypes: [
          { name: "spot", gpus: 4, cpus: 16, spot: true, onDemandPricePerHour: 12, minCount: 1, maxCount: 3 },
          { name: "od", gpus: 4, cpus: 16, pricePerHour: 12, maxCount: 2 },
        ],
        storms: [{ atSeconds: 60, fraction: 0.5 }],
      },
    });
    const { wallSeconds: _a, ...fileSummary } = fromFile;
    const { wallSeconds: _b, ...directSummary } = direct.summary;
    expect(fileSummary).toMatchObject(directSummary);
    expect(fromFile.nodesLaunched).toBeGreaterThan(0);
  });

  it("reads an availability trace CSV relative to the file, and storms in both forms", async () => {
    const file = writeTemp(simYaml({ cluster: `cluster:\n  nodeTypes:\n    - ${spot}, count: 2 }\n  availabilityTrace: trace/spot.csv\n  storms: [0.5@60:spot, { atSeconds: 90, fraction: 1 }]` }));
    mkdirSync(join(dirname(file), "trace"));
    writeFileSync(join(dirname(file), "trace/spot.csv"), "time,type,available,price\n0,spot,2,3\n100,spot,1,4\n");
    const resolved = await resolveSimulation(readExperimentFile(file));
    expect(resolved.resolvedCluster.availability?.points).toHaveLength(2);
    expect(resolved.resolvedCluster.storms).toEqual([{ atSeconds: 60, fraction: 0.5, nodeType: "spot" }, { atSeconds: 90, fraction: 1 }]);
    expect(renderSimulation(resolved)["cluster"]).toMatchObject({ availabilityTrace: { file: join(dirname(file), "trace/spot.csv"), points: 2, types: ["spot"] } });
  });

  it("a formula objective with its space, and a budget instead of trials", async () => {
    const resolved = await resolveSimulation(
      readExperimentFile(writeTemp(simYaml({ objective: 'objective:\n  formula: "(x - 2)^2"\n  space: { x: { uniform: [-5, 5] } }', trials: "", budget: "budget: { seconds: 300 }", cluster: "cluster: { gpus: 4 }" }))),
    );
    expect(resolved.trials).toBe(Number.POSITIVE_INFINITY);
    const report = runResolvedSimulation(resolved);
    expect(report.simulatedSeconds).toBeGreaterThan(0);
    expect(report.benchmark).toBe("formula");
    expect(report.best?.metric).toBeGreaterThanOrEqual(0);
  });

  it("the dry-run document is itself a file that resolves to the same document", async () => {
    const first = renderSimulation(await resolveSimulation(readExperimentFile(join(root, "examples/spot-storm.yaml"))));
    const again = renderSimulation(await resolveSimulation(readExperimentFile(writeTemp(stringify(first)))));
    expect({ ...again, name: first["name"] }).toEqual(first);
    expect(first["cluster"]).toMatchObject({ preemptionNoticeSeconds: 120, storms: [{ atSeconds: 300, fraction: 0.9 }] });
  });
});

describe("simulation file: a benchmark's natural budget", () => {
  const lcbenchFile = (scheduler: string, extra = "") =>
    writeTemp(`kind: simulation\nobjective: lcbench/3945\ntrials: 4\nscheduler: ${scheduler}\ncluster: { gpus: 4 }\n${extra}`);

  it("an LCBench task brings its own 52 epochs, ASHA's first rung at epoch 1 and its PBT interval; the file's fields still win", async () => {
    const own = lcbenchDefaults(await sharedLcbench(), "3945");
    // The task's interval is 4 of its median epochs, not the synthetic functions' 60 s.
    expect(own.perturbationInterval).not.toBe(60);
    const rendered = async (file: string) => {
      const resolved = await resolveSimulation(readExperimentFile(file));
      try {
        return renderSimulation(resolved);
      } finally {
        await resolved.close();
      }
    };
    const pbt = await rendered(lcbenchFile("pbt"));
    expect(pbt["maxIterations"]).toBe(52);
    expect(pbt["scheduler"]).toMatchObject({ name: "pbt", perturbationInterval: own.perturbationInterval });
    const asha = await rendered(lcbenchFile("asha"));
    expect(asha["scheduler"]).toMatchObject({ name: "asha", maxT: 52, gracePeriod: 1 });
    const given = await rendered(lcbenchFile("{ name: pbt, perturbationInterval: 7 }", "maxIterations: 20\n"));
    expect(given["maxIterations"]).toBe(20);
    expect(given["scheduler"]).toMatchObject({ perturbationInterval: 7 });
    const ashaGiven = await rendered(lcbenchFile("{ name: asha, gracePeriod: 3 }"));
    expect(ashaGiven["scheduler"]).toMatchObject({ maxT: 52, gracePeriod: 3 });
  });

  it("a named benchmark's defaults too (pbt-toy perturbs every 4 s); a rung past a shortened run keeps the class default", async () => {
    const toy = await resolveSimulation(readExperimentFile(writeTemp("kind: simulation\nobjective: pbt-toy\ntrials: 2\nscheduler: pbt\n")));
    expect(renderSimulation(toy)["scheduler"]).toMatchObject({ perturbationInterval: 4 });
    expect(toy.maxIterations).toBe(200);
    // noisy-lr-schedule's first rung is 10 iterations: a file running 9 gets ASHA's own 1, not an error about a field it never wrote.
    const short = await resolveSimulation(readExperimentFile(writeTemp("kind: simulation\nobjective: noisy-lr-schedule\ntrials: 2\nmaxIterations: 9\nscheduler: asha\n")));
    expect(renderSimulation(short)["scheduler"]).toMatchObject({ maxT: 9, gracePeriod: 1 });
    const long = await resolveSimulation(readExperimentFile(writeTemp("kind: simulation\nobjective: noisy-lr-schedule\ntrials: 2\nscheduler: asha\n")));
    expect(renderSimulation(long)["scheduler"]).toMatchObject({ maxT: 1000, gracePeriod: 10 });
  });
});
