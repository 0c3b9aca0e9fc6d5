import { choice } from "../categorical-domain.ts";
import { SearchSpaceError } from "../errors.ts";
import { grid } from "../grid-domain.ts";
import type { Space } from "../types.ts";
import { validateSpace } from "../validate.ts";
import { isPlainObject } from "../_internals/walk.ts";
import { CHOICE, domainNames, foreignNames, GRID_SEARCH, numericForms, type NumericForm } from "./domain-forms.ts";
import { didYouMean, OptionProblemsError, showValue, type FieldProblem } from "./problems.ts";

/**
 * Builds a Space from plain data (parsed YAML or JSON), the file form of the TypeScript DSL:
 *
 *   lr: { loguniform: [1e-4, 1e-1] }        -> loguniform(1e-4, 1e-1)
 *   act: { choice: [relu, tanh] }           -> choice(["relu", "tanh"])
 *   batch: { grid_search: [32, 64] }        -> grid([32, 64])
 *   optimizer: { choice: [ { kind: sgd, lr: { uniform: [0, 1] } }, ... ] }   (conditional)
 *
 * An object whose only key is a domain name is that domain; any other object is a nested
 * dict; everything else is a constant. Every bad field is collected, and all of them are
 * thrown together as an OptionProblemsError whose lines start with their path under `path`,
 * e.g. `space.lr.loguniform[0]: must be > 0, got 0`. The result is checked by validateSpace,
 * so a file can never build a space the TypeScript DSL would reject.
 */
export function spaceFromPlain(plain: unknown, path = "space"): Space {
  const problems: FieldProblem[] = [];
  if (!isPlainObject(plain)) {
    throw new OptionProblemsError([{ path, problem: `must be a mapping of parameter names to domains or constants, got ${showValue(plain)}` }]);
  }
  const space = parseObject(plain, path, problems);
  if (problems.length > 0) throw new OptionProblemsError(problems);
  try {
    validateSpace(space);
  } catch (error) {
    // What only the whole space can show (bad keys, grid_search inside a conditional option).
    if (!(error instanceof SearchSpaceError)) throw error;
    const message = error.path === "" ? error.message : error.message.slice(error.path.length + 2);
    throw new OptionProblemsError([{ path: error.path === "" ? path : `${path}.${error.path}`, problem: message }]);
  }
  return space;
}

function parseObject(object: Record<string, unknown>, path: string, problems: FieldProblem[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) out[key] = parseNode(value, `${path}.${key}`, problems);
  return out;
}

function parseNode(node: unknown, path: string, problems: FieldProblem[]): unknown {
  if (Array.isArray(node)) return node.map((item, i) => parseNode(item, `${path}[${i}]`, problems));
  if (isPlainObject(node)) {
    const keys = Object.keys(node);
    const domainKeys = keys.filter((key) => domainNames.includes(key));
    if (domainKeys.length > 0) {
      if (keys.length > 1) {
        const others = keys.filter((key) => key !== domainKeys[0]);
        problems.push({ path, problem: `a domain is an object with one key (${domainKeys[0]}), got also ${others.join(", ")}` });
        return undefined;
      }
      return parseDomain(domainKeys[0] as string, node[domainKeys[0] as string], path, problems);
    }
    const misspelt = misspeltDomain(keys, node);
    if (misspelt !== null) {
      problems.push({ path: `${path}.${keys[0]}`, problem: misspelt });
      return undefined;
    }
    return parseObject(node, path, problems);
  }
  if (typeof node === "number" && !Number.isFinite(node)) {
    problems.push({ path, problem: `must be a finite number, got ${node}` });
    return undefined;
  }
  if (node === null || typeof node === "string" || typeof node === "number" || typeof node === "boolean") return node;
  problems.push({ path, problem: `unsupported value ${showValue(node)}: use a domain, a nested mapping or a constant` });
  return undefined;
}

/** `{ logunifrom: [...] }` is most likely a typo, not a nested dict holding a list: say so. */
function misspeltDomain(keys: readonly string[], node: Record<string, unknown>): string | null {
  if (keys.length !== 1) return null;
  const key = keys[0] as string;
  const foreign = foreignNames[key];
  if (foreign !== undefined) return foreign;
  if (!Array.isArray(node[key])) return null;
  const hint = didYouMean(key, domainNames);
  return hint === "" ? null : `unknown domain "${key}"${hint}`;
}

function parseDomain(name: string, args: unknown, path: string, problems: FieldProblem[]): unknown {
  const argsPath = `${path}.${name}`;
  if (name === CHOICE || name === GRID_SEARCH) {
    if (!Array.isArray(args) || args.length === 0) {
      problems.push({ path: argsPath, problem: `must be a non-empty list of ${name === CHOICE ? "options" : "values"}, got ${showValue(args)}` });
      return undefined;
    }
    const items = args.map((item, i) => parseNode(item, `${argsPath}[${i}]`, problems));
    return name === CHOICE ? choice(items) : grid(items);
  }
  return parseNumeric(numericForms[name] as NumericForm, args, argsPath, problems);
}

function parseNumeric(form: NumericForm, args: unknown, path: string, problems: FieldProblem[]): unknown {
  const shapes = describeArgLists(form);
  if (!Array.isArray(args) || args.length < form.required || args.length > form.params.length) {
    const got = Array.isArray(args) ? `${args.length} value${args.length === 1 ? "" : "s"}` : showValue(args);
    problems.push({ path, problem: `needs a list ${shapes}, got ${got}` });
    return undefined;
  }
  let typed = true;
  args.forEach((arg, i) => {
    if (typeof arg !== "number" || !Number.isFinite(arg)) {
      problems.push({ path: `${path}[${i}]`, problem: `${form.params[i]} must be a finite number, got ${showValue(arg)}` });
      typed = false;
    } else if (i < form.integerArgs && !Number.isInteger(arg)) {
      problems.push({ path: `${path}[${i}]`, problem: `${form.params[i]} must be an integer, got ${arg}` });
      typed = false;
    }
  });
  if (!typed) return undefined;
  const numbers = args as number[];
  const bad = form.check(numbers);
  for (const [i, problem] of bad) problems.push({ path: `${path}[${i}]`, problem });
  return bad.length === 0 ? form.build(numbers) : undefined;
}

/** "[low, high] or [low, high, base]": every accepted argument list. */
function describeArgLists(form: NumericForm): string {
  const lists: string[] = [];
  for (let n = form.required; n <= form.params.length; n++) lists.push(`[${form.params.slice(0, n).join(", ")}]`);
  return lists.join(" or ");
}
