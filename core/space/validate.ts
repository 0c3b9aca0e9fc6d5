import { isDomain } from "./domain.ts";
import { SearchSpaceError } from "./errors.ts";
import type { Space } from "./types.ts";
import { domainProblem } from "./_internals/check-domain.ts";
import { childPath, isPlainObject, isSubSpace, optionPath } from "./_internals/walk.ts";

/**
 * Checks a whole space and throws a SearchSpaceError naming the first bad leaf by its dotted
 * path (options of a conditional choice as `path.choice[i].key`). The builders (uniform...) check
 * their own parameters where called; domains made otherwise are caught here, so
 * every consumer of a space calls this first.
 */
export function validateSpace(space: unknown): asserts space is Space {
  if (!isPlainObject(space)) throw new SearchSpaceError("", `a search space must be a plain object, got ${describe(space)}`);
  checkObject(space, "", false);
}

function checkObject(object: Record<string, unknown>, path: string, insideOption: boolean): void {
  for (const key of Object.keys(object)) checkNode(object[key], checkedKeyPath(path, key), insideOption);
}

function checkedKeyPath(path: string, key: string): string {
  const keyPath = childPath(path, key);
  if (key === "" || /[.[\]]/.test(key) || key === "__proto__") {
    throw new SearchSpaceError(keyPath, `invalid key "${key}": keys must be non-empty, not __proto__, and contain no '.', '[' or ']'`);
  }
  return keyPath;
}

function checkNode(node: unknown, path: string, insideOption: boolean): void {
  if (isDomain(node)) {
    const problem = domainProblem(node);
    if (problem !== null) throw new SearchSpaceError(path, problem);
    if (node.type === "categorical") {
      node.options.forEach((option, i) => {
        if (isSubSpace(option)) checkObject(option, optionPath(path, i), true);
        else checkConstant(option, `${path}.choice[${i}]`);
      });
    } else if (node.type === "grid") {
      if (insideOption) throw new SearchSpaceError(path, "grid is not allowed inside a conditional choice option");
      node.values.forEach((value, i) => checkConstant(value, `${path}.grid[${i}]`));
    }
  } else if (isPlainObject(node)) {
    checkObject(node, path, insideOption);
  } else {
    checkConstant(node, path);
  }
}

/** Constants are JSON-like: finite numbers, strings, booleans, null, arrays and plain objects of those. */
function checkConstant(value: unknown, path: string): void {
  if (isDomain(value)) throw new SearchSpaceError(path, `${value.name} is not allowed inside an array or a constant`);
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number" && Number.isFinite(value)) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkConstant(item, `${path}[${i}]`));
    return;
  }
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) checkConstant(value[key], checkedKeyPath(path, key));
    return;
  }
  throw new SearchSpaceError(path, `unsupported leaf ${describe(value)}: leaves are Domains or JSON-like constants`);
}

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "object" && value !== null) return `(${value.constructor?.name ?? "object"})`;
  return `(${typeof value})`;
}
