import type { ZodIssue } from "zod";
import { didYouMean, showValue, type FieldProblem } from "../../core/space/plain/index.ts";
import { knownItemKeysAt, knownKeysAt } from "./schema.ts";

/** `["resources", "gpu"]` -> "resources.gpu"; `["trainable", "command", 0]` -> "trainable.command[0]". */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : out === "" ? part : `.${part}`;
  return out;
}

function valueAt(root: unknown, path: ReadonlyArray<string | number>): unknown {
  let node = root;
  for (const part of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

/**
 * One problem per bad field, in the file's order as zod found them: an unknown key is its own
 * problem at its own path (with a did-you-mean against its mapping's known keys); a type error
 * says what was expected and quotes what was there.
 */
export function problemsFromIssues(
  issues: readonly ZodIssue[],
  input: unknown,
  keysAt: Readonly<Record<string, readonly string[]>> = knownKeysAt,
  itemKeysAt: Readonly<Record<string, readonly string[]>> = knownItemKeysAt,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of issues) {
    const path = formatPath(issue.path);
    if (issue.code === "unrecognized_keys") {
      const known = keysAt[path] ?? itemKeysAt[path.replace(/\[\d+\]$/, "")] ?? [];
      for (const key of issue.keys) problems.push({ path: formatPath([...issue.path, key]), problem: `unknown field${didYouMean(key, known)}` });
    } else if (issue.code === "invalid_type") {
      const value = valueAt(input, issue.path);
      // zod's own wording ("Expected object, received array") is replaced; a schema's own message is kept.
      const expected = /^(Expected|Required)/.test(issue.message) ? `must be ${article(issue.expected)}` : issue.message;
      problems.push({ path, problem: value === undefined ? "is required" : `${expected}, got ${showValue(value)}` });
    } else {
      problems.push({ path, problem: issue.message });
    }
  }
  return problems;
}

function article(expected: string): string {
  if (expected === "object") return "a mapping";
  if (expected === "array") return "a list";
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
