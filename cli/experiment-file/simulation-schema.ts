import { z } from "zod";
import { algorithmField, resourceChangingField, resourcesField } from "./schema.ts";
import { numberField, stringField } from "./fields.ts";

/**
 * What a simulation runs: a registered benchmark (`hartmann6`, `lcbench/<task>`), a mathjs
 * `formula` over its own `space`, or the `replay` of a recorded experiment directory.
 * A bare string is a benchmark name.
 */
const objectiveField = z.preprocess(
  (value) => (typeof value === "string" ? { benchmark: value } : value),
  z
    .object(
      {
        benchmark: stringField().optional(),
        formula: stringField().optional(),
        space: z.unknown().optional(),
        replay: stringField().optional(),
      },
      { invalid_type_error: "must be a benchmark name, { formula, space } or { replay: DIR }" },
    )
    .strict()
    .superRefine((value, ctx) => {
      const given = (["benchmark", "formula", "replay"] as const).filter((key) => value[key] !== undefined);
      if (given.length !== 1) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: given.length === 0 ? "needs benchmark (a name), formula (with space) or replay (a directory)" : `give one of benchmark, formula and replay, not ${given.join(" and ")}` });
      }
      if (value.formula !== undefined && value.space === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["space"], message: "is required with formula (the formula's parameters)" });
      if (value.formula === undefined && value.space !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["space"], message: "goes with formula (a benchmark and a replay bring their own space)" });
    }),
);

/** A compute budget: new trials keep coming until it is spent (either, or both: whichever runs out first). */
const budgetField = z
  .object({ seconds: numberField({ above: 0 }).optional(), gpuHours: numberField({ above: 0 }).optional() }, { invalid_type_error: "must be a mapping { seconds, gpuHours }" })
  .strict()
  .superRefine((value, ctx) => {
    if (value.seconds === undefined && value.gpuHours === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "needs seconds (simulated) or gpuHours (held by trials), or both" });
  });

/**
 * A simulation experiment file (`kind: simulation`): the objective, the algorithms and the
 * simulated cluster. The `cluster` section is a ClusterSpec, checked by the simulator's own
 * resolveCluster (the validators `simulate()` and `tunelab sim --cluster` use), with two file
 * forms added: `availabilityTrace: PATH` (a CSV relative to the file) and storms written
 * `FRACTION@SECONDS[:TYPE]` as on the command line.
 */
export const simulationFileSchema = z
  .object(
    {
      kind: z.literal("simulation"),
      name: stringField().optional(),
      storagePath: stringField().optional(),
      objective: objectiveField,
      trials: numberField({ integer: true, min: 1 }).optional(),
      budget: budgetField.optional(),
      seed: numberField({ integer: true }).optional(),
      maxIterations: numberField({ integer: true, min: 1 }).optional(),
      searcher: algorithmField("searcher").optional(),
      scheduler: algorithmField("scheduler").optional(),
      resourceChanging: resourceChangingField.optional(),
      resourceScaling: stringField().optional(),
      resources: resourcesField.optional(),
      checkpointFrequency: numberField({ integer: true, min: 0 }).optional(),
      maxFailures: numberField({ integer: true, min: -1 }).optional(),
      keepCheckpoints: numberField({ integer: true, min: 1 }).optional(),
      cluster: z.unknown().optional(),
    },
    { invalid_type_error: "an experiment file must be a mapping of fields" },
  )
  .strict();

export type SimulationFile = z.output<typeof simulationFileSchema>;

/** Keys a real experiment has that a simulation takes from its objective or does not have. */
export const realOnlyKeys: Readonly<Record<string, string>> = {
  trainable: "a simulation runs its objective, not a trainable (give objective: a benchmark, { formula, space } or { replay: DIR })",
  space: "a simulation takes the space from its objective (for a formula: objective.space)",
  metric: "is set by the objective in a simulation; leave it out",
  mode: "is set by the objective in a simulation; leave it out",
  callbacks: "are for real runs; a simulation writes its experiment directory with storagePath",
  stepTimeoutSeconds: "is for real runs (a simulated step cannot hang)",
  reuseActors: "of a simulation is cluster.reuseActors",
};

/** Keys only a simulation takes: in a real file each is refused with a hint to add `kind: simulation`. */
export const simulationOnlyKeys: readonly string[] = ["cluster", "objective", "budget", "resourceScaling"];

export const simulationKnownKeysAt: Readonly<Record<string, readonly string[]>> = {
  "": Object.keys(simulationFileSchema.shape),
  objective: ["benchmark", "formula", "space", "replay"],
  budget: ["seconds", "gpuHours"],
  resources: ["cpu", "gpu"],
  resourceChanging: ["policy", "increaseBy", "increaseByTimes", "reserveResources"],
  "resourceChanging.increaseBy": ["cpu", "gpu"],
  "resourceChanging.reserveResources": ["cpu", "gpu"],
};
