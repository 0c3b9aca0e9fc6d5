import { OptionError } from "../../errors/index.ts";

/** One bad field: its path in the input (`space.lr.loguniform[0]`) and what is wrong with it. */
export interface FieldProblem {
  readonly path: string;
  readonly problem: string;
}

/**
 * Bad input with several bad fields at once (a search space or an experiment file). It is an
 * OptionError (exit 2) whose message is one `path: problem` line per problem, so a caller that
 * prints the message prints every problem, each on its own line; `field` is the first path.
 */
export class OptionProblemsError extends OptionError {
  override readonly name: string = "OptionProblemsError";
  readonly problems: readonly FieldProblem[];
  constructor(problems: readonly FieldProblem[]) {
    if (problems.length === 0) throw new Error("OptionProblemsError needs at least one problem");
    const first = problems[0] as FieldProblem;
    super(first.path, first.problem);
    this.problems = Object.freeze([...problems]);
    this.message = problems.map(formatProblem).join("\n");
  }
}

export function formatProblem({ path, problem }: FieldProblem): string {
  return path === "" ? problem : `${path}: ${problem}`;
}

/** Edit distance, for "did you mean" on unknown names (short strings only). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** The closest known name within 2 edits (or a case-only difference), else undefined. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.min(2, Math.max(1, Math.floor(name.length / 3))) ? best : undefined;
}

/** " (did you mean X?)" or "". */
export function didYouMean(name: string, known: readonly string[]): string {
  const close = closestName(name, known);
  return close === undefined ? "" : `; did you mean ${close}?`;
}

/** A value as an error message quotes it: strings in JSON quotes, lists and objects as short JSON. */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "number") return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
