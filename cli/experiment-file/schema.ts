import { z } from "zod";
import { schedulerNames, searcherNames } from "../algorithms.ts";
import { RESOURCE_POLICIES } from "../../algorithms/schedulers/index.ts";
import { didYouMean } from "../../core/space/plain/index.ts";
import { searcherOptionKeys, schedulerOptionKeys, topLevelKeys } from "./algorithm-keys.ts";
import { booleanField, nameField, numberField, stringField } from "./fields.ts";

/** A searcher or scheduler: a bare name, or `{ name, ...constructor options }`. */
export function algorithmField(kind: "searcher" | "scheduler") {
  const names: readonly string[] = kind === "searcher" ? searcherNames : schedulerNames;
  const keysOf: Readonly<Record<string, readonly string[]>> = kind === "searcher" ? searcherOptionKeys : schedulerOptionKeys;
  return z.preprocess(
    (value) => (typeof value === "string" ? { name: value } : value),
    z
      .object({ name: z.unknown() }, { invalid_type_error: `must be a ${kind} name or a mapping { name, ...options }` })
      .passthrough()
      .superRefine((value, ctx) => {
        const name = value.name;
        if (typeof name !== "string" || !names.includes(name)) {
          const hint = typeof name === "string" ? didYouMean(name, names) : "";
          const got = name === undefined ? "is required" : `got unknown ${kind} ${JSON.stringify(name)}${hint}`;
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["name"], message: `${got}; known: ${names.join(", ")}` });
          return;
        }
        const known = keysOf[name] ?? [];
        for (const key of Object.keys(value)) {
          if (key === "name" || known.includes(key)) continue;
          const message = topLevelKeys.includes(key)
            ? `is set once, at the top level of the file, not per ${kind}`
            : `is not an option of ${kind} ${name}${didYouMean(key, known)}${known.length > 0 ? `; its options: ${known.join(", ")}` : "; it takes none"}`;
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message });
        }
      }),
  );
}

const stringList = z.array(stringField(), { invalid_type_error: "must be a list of strings" });

/**
 * The trainable: a module path (string or `{ module, export }`) whose export is a trainable,
 * or a program speaking the trial protocol (`{ command: [...], cwd, env }`).
 */
const trainableField = z.preprocess(
  (value) => (typeof value === "string" ? { module: value } : value),
  z
    .object(
      {
        module: stringField().optional(),
        export: stringField().optional(),
        command: stringList.min(1, "must name a program: a non-empty list like [python3, train.py]").optional(),
        cwd: stringField().optional(),
        env: z.record(z.string({ invalid_type_error: "must be a string" }), { invalid_type_error: "must be a mapping of names to strings" }).optional(),
      },
      { invalid_type_error: "must be a module path, { module, export } or { command: [...], cwd, env }" },
    )
    .strict()
    .superRefine((value, ctx) => {
      const hasModule = value.module !== undefined;
      const hasCommand = value.command !== undefined;
      if (hasModule === hasCommand) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: hasModule ? "give module or command, not both" : "needs module (a path) or command (a list)" });
      }
      if (hasCommand && value.export !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["export"], message: "goes with module, not command" });
      for (const key of ["cwd", "env"] as const) {
        if (hasModule && value[key] !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: "goes with command, not module" });
      }
    }),
);

/**
 * User callbacks (`TuneCallback`s): each a module path (its default export) or `{ module, export }`.
 * The module is imported by the driver when the run starts (cli/experiment-file/load-callbacks.ts).
 */
const callbackField = z.preprocess(
  (value) => (typeof value === "string" ? { module: value } : value),
  z
    .object({ module: stringField(), export: stringField().optional() }, { invalid_type_error: "must be a module path or a mapping { module, export }" })
    .strict(),
);
const callbacksField = z.array(callbackField, { invalid_type_error: "must be a list of module paths or { module, export } mappings" });

export const resourcesField = z
  .object({ cpu: numberField({ min: 0 }).optional(), gpu: numberField({ min: 0 }).optional() }, { invalid_type_error: "must be a mapping { cpu, gpu }" })
  .strict()
  .superRefine((value, ctx) => {
    if (value.gpu !== undefined && value.gpu > 1 && !Number.isInteger(value.gpu)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["gpu"], message: `above 1 must be a whole number of GPUs, got ${value.gpu}` });
    }
  });

/** Amounts of resources that are not a trial's own (a growth step, a reserve): any non-negative numbers. */
const resourceAmountsField = z
  .object({ cpu: numberField({ min: 0 }).optional(), gpu: numberField({ min: 0 }).optional() }, { invalid_type_error: "must be a mapping { cpu, gpu }" })
  .strict();

/** Dynamic resources: the scheduler is wrapped in a ResourceChangingScheduler with a built-in policy. */
export const resourceChangingField = z
  .object(
    {
      policy: nameField(RESOURCE_POLICIES),
      increaseBy: resourceAmountsField.optional(),
      increaseByTimes: numberField({ integer: true }).optional(),
      reserveResources: resourceAmountsField.optional(),
    },
    { invalid_type_error: "must be a mapping { policy, increaseBy, increaseByTimes, reserveResources }" },
  )
  .strict();

/** An experiment file as written. The space is checked separately, by spaceFromPlain. */
export const experimentFileSchema = z
  .object(
    {
      kind: nameField(["real", "simulation"] as const).optional(),
      name: stringField().optional(),
      storagePath: stringField().optional(),
      trainable: trainableField,
      space: z.unknown(),
      metric: stringField(),
      mode: nameField(["min", "max"] as const),
      trials: numberField({ integer: true, min: 1 }),
      searcher: algorithmField("searcher").optional(),
      scheduler: algorithmField("scheduler").optional(),
      resourceChanging: resourceChangingField.optional(),
      resources: resourcesField.optional(),
      maxFailures: numberField({ integer: true, min: -1 }).optional(),
      checkpointFrequency: numberField({ integer: true, min: 0 }).optional(),
      keepCheckpoints: numberField({ integer: true, min: 1 }).optional(),
      stepTimeoutSeconds: numberField({ above: 0 }).optional(),
      reuseActors: booleanField().optional(),
      seed: numberField({ integer: true }).optional(),
      maxIterations: numberField({ integer: true, min: 1 }).optional(),
      callbacks: callbacksField.optional(),
    },
    { invalid_type_error: "an experiment file must be a mapping of fields" },
  )
  .strict();

export type ExperimentFile = z.output<typeof experimentFileSchema>;

/** Known keys of each strict mapping, by its path, for "did you mean" on unknown keys. */
export const knownKeysAt: Readonly<Record<string, readonly string[]>> = {
  "": Object.keys(experimentFileSchema.shape),
  resources: ["cpu", "gpu"],
  resourceChanging: ["policy", "increaseBy", "increaseByTimes", "reserveResources"],
  "resourceChanging.increaseBy": ["cpu", "gpu"],
  "resourceChanging.reserveResources": ["cpu", "gpu"],
  trainable: ["module", "export", "command", "cwd", "env"],
};

/** Known keys of a list item's mapping (`callbacks[3]`), by the list's path. */
export const knownItemKeysAt: Readonly<Record<string, readonly string[]>> = {
  callbacks: ["module", "export"],
};
