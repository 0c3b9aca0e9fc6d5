import { choice } from "./categorical-domain.ts";
import { SearchSpaceError } from "./errors.ts";
import { loguniform, uniform } from "./float-domain.ts";
import { lograndint, randint } from "./int-domain.ts";
import type { Space } from "./types.ts";
import { validateSpace } from "./validate.ts";

const NUMERIC = { uniform, loguniform, randint, lograndint } as const;

/**
 * A space from plain data (parsed JSON or YAML) in the experiment-file form:
 * `{ lr: { loguniform: [1e-4, 1e-1] }, layers: { randint: [2, 8] }, act: { choice: [relu, tanh] } }`.
 * Only the simple leaf forms: uniform, loguniform, randint, lograndint (high
 * exclusive, as the functions of the same name) and choice; a nested object
 * without a form key is a nested space; any other value is a constant.
 * The full experiment-file parser lives elsewhere; this covers `--space` for
 * formulas until the two are merged.
 */
export function spaceFromPlain(plain: unknown): Space {
  const space = build(plain, "");
  // The domain constructors check nothing; validateSpace names the leaf (e.g. `lr: loguniform needs 0 < low < high`).
  validateSpace(space);
  return space;
}

function build(plain: unknown, path: string): Space {
  if (plain === null || typeof plain !== "object" || Array.isArray(plain)) {
    throw new SearchSpaceError(path, `a space must be an object of parameters, got ${JSON.stringify(plain)}`);
  }
  return Object.fromEntries(Object.entries(plain).map(([key, value]) => [key, leaf(value, path === "" ? key : `${path}.${key}`)]));
}

function leaf(value: unknown, path: string): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const form = keys.find((k) => k in NUMERIC || k === "choice");
  if (form === undefined) return build(value, path);
  if (keys.length !== 1) throw new SearchSpaceError(path, `a ${form} leaf takes no other keys, got ${keys.join(", ")}`);
  const args = (value as Record<string, unknown>)[form];
  if (form === "choice") {
    if (!Array.isArray(args) || args.length === 0) throw new SearchSpaceError(path, `choice needs a non-empty list of options, got ${JSON.stringify(args)}`);
    return choice(args);
  }
  if (!Array.isArray(args) || args.length !== 2 || !args.every((a) => typeof a === "number" && Number.isFinite(a))) {
    throw new SearchSpaceError(path, `${form} needs [low, high] as two finite numbers, got ${JSON.stringify(args)}`);
  }
  return NUMERIC[form as keyof typeof NUMERIC](args[0] as number, args[1] as number);
}
