import type { AnyDomain } from "../any-domain.ts";
import { loguniform, qloguniform, quniform, uniform } from "../float-domain.ts";
import { lograndint, qlograndint, qrandint, randint } from "../int-domain.ts";
import { qrandn, randn } from "../normal-domain.ts";

/**
 * The numeric domains a file can name, one entry per builder of the TypeScript DSL, with the
 * builder's own argument order: `{ loguniform: [1e-4, 1e-1] }` is `loguniform(1e-4, 1e-1)`.
 * `check` reports each bad argument by its index, so a file's error names the exact number.
 */
export interface NumericForm {
  /** Argument names in order; the first `required` must be given. */
  readonly params: readonly string[];
  readonly required: number;
  /** How many leading arguments must be integers (low, high and q of the int domains). */
  readonly integerArgs: number;
  /** Problems of well-typed arguments, as [argument index, problem]. */
  check(args: readonly number[]): Array<[number, string]>;
  build(args: readonly number[]): AnyDomain;
}

const at = (args: readonly number[], i: number): number => args[i] as number;

/** low < high, and 0 < low for log domains; q > 0 at `qIndex`; base > 0 and != 1 at `baseIndex`. */
function boundsCheck(log: boolean, qIndex: number | null, baseIndex: number | null) {
  return (args: readonly number[]): Array<[number, string]> => {
    const problems: Array<[number, string]> = [];
    const low = at(args, 0);
    const high = at(args, 1);
    if (log && !(low > 0)) problems.push([0, `must be > 0, got ${low}`]);
    if (!(high > low)) problems.push([1, `must be > low (${low}), got ${high}`]);
    if (qIndex !== null && args.length > qIndex && !(at(args, qIndex) > 0)) problems.push([qIndex, `must be > 0, got ${at(args, qIndex)}`]);
    if (baseIndex !== null && args.length > baseIndex) {
      const base = at(args, baseIndex);
      if (!(base > 0 && base !== 1)) problems.push([baseIndex, `must be > 0 and != 1, got ${base}`]);
    }
    return problems;
  };
}

function normalCheck(qIndex: number | null) {
  return (args: readonly number[]): Array<[number, string]> => {
    const problems: Array<[number, string]> = [];
    if (args.length > 1 && !(at(args, 1) > 0)) problems.push([1, `must be > 0, got ${at(args, 1)}`]);
    if (qIndex !== null && !(at(args, qIndex) > 0)) problems.push([qIndex, `must be > 0, got ${at(args, qIndex)}`]);
    return problems;
  };
}

export const numericForms: Readonly<Record<string, NumericForm>> = {
  uniform: { params: ["low", "high"], required: 2, integerArgs: 0, check: boundsCheck(false, null, null), build: (a) => uniform(at(a, 0), at(a, 1)) },
  quniform: { params: ["low", "high", "q"], required: 3, integerArgs: 0, check: boundsCheck(false, 2, null), build: (a) => quniform(at(a, 0), at(a, 1), at(a, 2)) },
  loguniform: {
    params: ["low", "high", "base"],
    required: 2,
    integerArgs: 0,
    check: boundsCheck(true, null, 2),
    build: (a) => loguniform(at(a, 0), at(a, 1), a[2] ?? 10),
  },
  qloguniform: {
    params: ["low", "high", "q", "base"],
    required: 3,
    integerArgs: 0,
    check: boundsCheck(true, 2, 3),
    build: (a) => qloguniform(at(a, 0), at(a, 1), at(a, 2), a[3] ?? 10),
  },
  randint: { params: ["low", "high"], required: 2, integerArgs: 2, check: boundsCheck(false, null, null), build: (a) => randint(at(a, 0), at(a, 1)) },
  qrandint: { params: ["low", "high", "q"], required: 2, integerArgs: 3, check: boundsCheck(false, 2, null), build: (a) => qrandint(at(a, 0), at(a, 1), a[2] ?? 1) },
  lograndint: {
    params: ["low", "high", "base"],
    required: 2,
    integerArgs: 2,
    check: boundsCheck(true, null, 2),
    build: (a) => lograndint(at(a, 0), at(a, 1), a[2] ?? 10),
  },
  qlograndint: {
    params: ["low", "high", "q", "base"],
    required: 3,
    integerArgs: 3,
    check: boundsCheck(true, 2, 3),
    build: (a) => qlograndint(at(a, 0), at(a, 1), at(a, 2), a[3] ?? 10),
  },
  randn: { params: ["mean", "sd"], required: 0, integerArgs: 0, check: normalCheck(null), build: (a) => randn(a[0] ?? 0, a[1] ?? 1) },
  qrandn: { params: ["mean", "sd", "q"], required: 3, integerArgs: 0, check: normalCheck(2), build: (a) => qrandn(at(a, 0), at(a, 1), at(a, 2)) },
};

/** The file's name for a categorical domain and for a grid (Ray's `grid_search`). */
export const CHOICE = "choice";
export const GRID_SEARCH = "grid_search";

/** Every domain name a file may use. */
export const domainNames: readonly string[] = [...Object.keys(numericForms), CHOICE, GRID_SEARCH];

/** Names from the TypeScript DSL or Ray that a file spells differently or cannot express. */
export const foreignNames: Readonly<Record<string, string>> = {
  grid: `unknown domain "grid"; did you mean ${GRID_SEARCH}?`,
  sample_from: "sample_from needs a function and cannot be written in a file",
  sampleFrom: "sampleFrom needs a function and cannot be written in a file",
};
