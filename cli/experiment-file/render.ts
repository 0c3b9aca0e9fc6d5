import { boundsFromSpace, integerKeysFromSpace } from "../../algorithms/schedulers/index.ts";
import { isDomain, type Space } from "../../core/space/index.ts";
import { spaceToPlain } from "../../core/space/plain/index.ts";
import { optionKeysOf, type BuiltAlgorithm } from "./build-algorithms.ts";
import type { ResolvedExperiment } from "./resolve.ts";

/**
 * The resolved experiment as a plain document in the file's own format (what `--dry-run`
 * prints): paths absolute, the space in the file DSL, and each algorithm's options with the
 * values its constructor settled on, defaults included. Optional engine fields the file left
 * out are absent (tune()'s defaults apply); nothing here is invented.
 */
export function renderExperiment(resolved: ResolvedExperiment): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: resolved.name,
    ...(resolved.storagePath !== undefined ? { storagePath: resolved.storagePath } : {}),
    trainable: { ...resolved.trainable },
    space: spaceToPlain(resolved.space),
    metric: resolved.metric,
    mode: resolved.mode,
    trials: resolved.trials,
    ...(resolved.maxIterations !== undefined ? { maxIterations: resolved.maxIterations } : {}),
    seed: resolved.seed,
    searcher: renderAlgorithm("searcher", resolved.searcher, resolved.space),
    scheduler: renderAlgorithm("scheduler", resolved.scheduler, resolved.space),
    ...(resolved.resourceChanging !== undefined ? { resourceChanging: resolved.resourceChanging } : {}),
    resources: { ...resolved.resources },
  };
  for (const key of ["maxFailures", "checkpointFrequency", "keepCheckpoints", "stepTimeoutSeconds", "reuseActors"] as const) {
    if (resolved[key] !== undefined) out[key] = resolved[key];
  }
  if (resolved.callbacks.length > 0) out["callbacks"] = resolved.callbacks.map((c) => ({ ...c }));
  return out;
}

/**
 * Each option the file may set, read back from the built object: the classes keep their
 * settled options as fields of the same name (TPE's Parzen settings under `parzen`, GP's
 * candidate search under `search`, PB2's model under `modelSettings`), so the defaults shown
 * are the ones in force, not a copy of the documentation that could drift. An option that
 * cannot be read back plainly is shown as given, or left out (ASHA's brackets: default 1).
 */
export function renderAlgorithm(kind: "searcher" | "scheduler", built: BuiltAlgorithm<object>, space: Space): Record<string, unknown> {
  const out: Record<string, unknown> = { name: built.name };
  const instance = built.instance as Record<string, unknown>;
  const holders = [instance, instance["parzen"], instance["search"], instance["modelSettings"]].filter(
    (holder): holder is Record<string, unknown> => typeof holder === "object" && holder !== null,
  );
  for (const key of optionKeysOf(kind, built.name)) {
    const value = plainOption(holders.find((holder) => Object.hasOwn(holder, key))?.[key]);
    const given = built.options[key];
    if (value !== undefined) out[key] = value;
    else if (given !== undefined) out[key] = isSpaceLike(given) ? spaceToPlain(given as Space) : given;
  }
  if (built.name === "pbt" && out["hyperparamMutations"] === undefined && isSpaceLike(instance["mutations"])) {
    out["hyperparamMutations"] = spaceToPlain(instance["mutations"] as Space);
  }
  // PB2's defaults are what the scheduler factory derives from the space (cli/algorithms.ts).
  if (built.name === "pb2") {
    out["hyperparamBounds"] ??= boundsFromSpace(space);
    out["integerHyperparams"] ??= integerKeysFromSpace(space);
  }
  return out;
}

/** Numbers, strings, booleans and flat lists of them; anything else is not an option value to show. */
function plainOption(value: unknown): unknown {
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "number" || typeof v === "string")) return [...value];
  return undefined;
}

function isSpaceLike(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).some((v) => isDomain(v) || Array.isArray(v) || isSpaceLike(v));
}
