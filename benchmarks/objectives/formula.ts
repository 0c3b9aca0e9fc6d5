import { all, create, type FactoryFunctionMap, type MathNode } from "mathjs";
import { OptionError } from "../../core/contracts/index.ts";
import type { Config, Objective } from "../../core/contracts/index.ts";
import { isDomain, unitToValue, valueToUnit, type AnyDomain, type Space } from "../../core/space/index.ts";
import { haltonCoordinate } from "./_internals/typical-gap.ts";
import type { SyntheticFunction } from "./functions/index.ts";
import { learningCurveObjective, type Benchmark, type LearningCurveOptions, type LearningCurveState } from "./learning-curve.ts";

/**
 * A mathjs instance that can only compute: the functions that parse, evaluate
 * or extend mathjs at run time are replaced by ones that throw (mathjs'
 * documented way to evaluate untrusted expressions). mathjs compiles an
 * expression tree to closures; no JavaScript eval or Function is involved.
 */
const math = create(all as FactoryFunctionMap);
// Kept before the import below replaces it: formulas are parsed here, never inside a formula.
const parseOnly = math.parse;
const DISABLED = ["import", "createUnit", "evaluate", "parse", "simplify", "derivative", "resolve", "compile", "reviver"];
math.import(
  Object.fromEntries(
    DISABLED.map((name) => [
      name,
      () => {
        throw new Error(`function ${name} is disabled in formulas`);
      },
    ]),
  ),
  { override: true },
);

/** Names mathjs resolves as constants in a scope-less expression. */
const CONSTANTS = new Set(["pi", "e", "tau", "phi", "Infinity", "LN2", "LN10", "LOG2E", "LOG10E", "SQRT1_2", "SQRT2", "true", "false"]);

export interface FormulaOptions extends LearningCurveOptions {
  /** Name shown in results. @defaultValue "formula" */
  name?: string;
  /**
   * The formula's minimum over the space, for regret. @defaultValue the smallest
   * value over 4,096 Halton points of the space: an estimate from above, so
   * regret can come out slightly negative.
   */
  optimum?: number;
}

interface Parameter {
  readonly key: string;
  readonly domain: AnyDomain | undefined;
  /** A non-domain leaf: a constant of the space. */
  readonly constant?: unknown;
}

/**
 * A loss given as a formula over a space's parameters, e.g.
 * `formulaObjective("(x - 2)^2 + 10 * (log10(lr) + 3)^2", { x: uniform(-5, 5), lr: loguniform(1e-5, 1e-1) })`,
 * as a simulated trainable in the same learning-curve form as the built-in
 * functions (`learningCurveObjective`): the formula is the curve's limit `f`,
 * approached over iterations with a config-dependent gap, speed and noise.
 *
 * The expression is parsed and compiled once by mathjs. Each parameter maps to
 * one coordinate of the unit cube (core/space's valueToUnit: log scale for log
 * domains; a categorical's option i to the centre of cell i of n), which is the
 * box the learning-curve fields are defined on. Errors, one line each naming
 * the culprit: a parse error, an unknown function, a symbol that is no
 * parameter of the space, a result that is not a finite number.
 */
export function formulaObjective(expression: string, space: Space, options: FormulaOptions = {}): Benchmark<LearningCurveState> {
  if (typeof expression !== "string" || expression.trim() === "") throw new OptionError("formula", "must be a non-empty expression");
  let tree: MathNode;
  try {
    tree = parseOnly(expression);
  } catch (error) {
    throw new OptionError("formula", `cannot parse "${expression}": ${(error as Error).message}`);
  }

  const parameters: Parameter[] = Object.entries(space).map(([key, leaf]) => {
    if (isDomain(leaf)) {
      if (leaf.type === "grid" || leaf.type === "function") {
        throw new OptionError(`space.${key}`, `a ${leaf.name} domain cannot feed a formula; use uniform, loguniform, randint, choice and the like`);
      }
      return { key, domain: leaf };
    }
    if (leaf !== null && typeof leaf === "object") throw new OptionError(`space.${key}`, "nested spaces cannot feed a formula; give flat parameters");
    return { key, domain: undefined, constant: leaf };
  });
  const known = new Set(parameters.map((p) => p.key));

  tree.traverse((node, path, parent) => {
    if (node.type !== "SymbolNode") return;
    const name = (node as MathNode & { name: string }).name;
    if (parent?.type === "FunctionNode" && path === "fn") {
      if (known.has(name)) throw new OptionError("formula", `"${name}" is a parameter, not a function`);
      if (DISABLED.includes(name)) throw new OptionError("formula", `function "${name}" is not allowed in formulas`);
      if (typeof (math as unknown as Record<string, unknown>)[name] !== "function") throw new OptionError("formula", `unknown function "${name}" in "${expression}"`);
      return;
    }
    if (!known.has(name) && !CONSTANTS.has(name)) {
      const list = [...known].join(", ") || "none";
      throw new OptionError("formula", `symbol "${name}" is not a parameter of the space (parameters: ${list})`);
    }
  });
  const code = tree.compile();

  const varying = parameters.filter((p) => p.domain !== undefined);
  const scope = new Map<string, unknown>(parameters.filter((p) => p.domain === undefined).map((p) => [p.key, p.constant]));
  function evaluateConfig(config: Config): number {
    for (const p of varying) scope.set(p.key, config[p.key]);
    let result: unknown;
    try {
      result = code.evaluate(scope);
    } catch (error) {
      throw new OptionError("formula", `"${expression}" failed at ${shownConfig(config)}: ${(error as Error).message}`);
    }
    if (typeof result !== "number" || !Number.isFinite(result)) {
      throw new OptionError("formula", `"${expression}" gave ${describe(result)} at ${shownConfig(config)}, not a finite number`);
    }
    return result;
  }

  const shownConfig = (config: Config) => JSON.stringify(Object.fromEntries(varying.map((p) => [p.key, config[p.key]])));
  const units = new Float64Array(varying.length);
  const configAt = (u: ArrayLike<number>): Config =>
    Object.fromEntries(varying.map((p, i) => [p.key, fromUnit(p.domain as AnyDomain, u[i] as number)]));
  const fn: SyntheticFunction = {
    name: options.name ?? "formula",
    dimension: varying.length,
    bounds: varying.map(() => [0, 1] as const),
    optimum: Number.NaN,
    minimisers: [],
    evaluate: (u) => evaluateConfig(configAt(u)),
  };
  // Fails now, not mid-run, when the formula's type is wrong everywhere (a boolean, a matrix).
  evaluateConfig(configAt(varying.map(() => 0.5)));
  const optimum = options.optimum ?? estimateMinimum(fn);
  if (!Number.isFinite(optimum)) throw new OptionError("optimum", `must be a finite number, got ${optimum}`);
  const curve = learningCurveObjective({ ...fn, optimum }, options);

  function toUnits(config: Config): Config {
    varying.forEach((p, i) => {
      units[i] = toUnit(p.domain as AnyDomain, p.key, config[p.key]);
    });
    return Object.fromEntries(varying.map((_, i) => [`x${i}`, units[i] as number]));
  }
  const objective: Objective<LearningCurveState> = {
    name: fn.name,
    metrics: curve.objective.metrics,
    init: (config, rng) => curve.objective.init(toUnits(config), rng),
    step: (state, config, context) => curve.objective.step(state, toUnits(config), context),
  };
  return { name: fn.name, objective, space, optimum, metric: curve.metric, mode: curve.mode };
}

function toUnit(domain: AnyDomain, key: string, value: unknown): number {
  if (domain.type === "categorical") {
    const index = domain.options.findIndex((o) => Object.is(o, value) || o === value);
    if (index < 0) throw new OptionError(`config.${key}`, `${JSON.stringify(value)} is not one of its options`);
    return (index + 0.5) / domain.options.length;
  }
  if (domain.type === "grid" || domain.type === "function") throw new OptionError(`config.${key}`, "unsupported domain");
  if (typeof value !== "number" || !Number.isFinite(value)) throw new OptionError(`config.${key}`, `must be a finite number, got ${String(value)}`);
  return valueToUnit(domain, value);
}

function fromUnit(domain: AnyDomain, u: number): unknown {
  if (domain.type === "categorical") return domain.options[Math.min(domain.options.length - 1, Math.floor(u * domain.options.length))];
  if (domain.type === "grid" || domain.type === "function") throw new Error("unreachable: rejected when the formula was built");
  return unitToValue(domain, u);
}

function estimateMinimum(fn: SyntheticFunction, points = 4096): number {
  const u = new Float64Array(fn.dimension);
  let best = Number.POSITIVE_INFINITY;
  for (let n = 1; n <= points; n++) {
    for (let j = 0; j < fn.dimension; j++) u[j] = haltonCoordinate(n, j);
    best = Math.min(best, fn.evaluate(u));
  }
  return best;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return `the boolean ${value}`;
  const type = (value as { type?: string }).type ?? (value as object).constructor?.name ?? typeof value;
  return `a ${type} (${String(value)})`;
}
