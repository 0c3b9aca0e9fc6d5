import type { NumericDomain } from "./any-domain.ts";
import type { CategoricalDomain } from "./categorical-domain.ts";
import { optionMatches } from "./contains.ts";
import { isDomain } from "./domain.ts";
import { SearchSpaceError } from "./errors.ts";
import type { GridDomain } from "./grid-domain.ts";
import type { Uniform01 } from "./random.ts";
import type { Config, Space } from "./types.ts";
import { unitToValue, valueToUnit } from "./unit.ts";
import { validateSpace } from "./validate.ts";
import { deepEqual } from "./_internals/deep-equal.ts";
import { mulberry32 } from "./_internals/mulberry32.ts";
import { resolveSpace } from "./_internals/resolve.ts";
import { childPath, isPlainObject, isSubSpace, optionPath } from "./_internals/walk.ts";

/** The choice at `path` picked option `option`. */
export interface ActiveCondition {
  readonly path: string;
  readonly option: number;
}

/** One encoded leaf: coordinates [offset, offset + width) of the unit-cube vector. */
export interface EncodedDimension {
  /** Dotted path; leaves of conditional options read `model.choice[1].depth`. */
  readonly path: string;
  /** Builder name: "uniform", "qrandint", "choice", "grid", ... */
  readonly domainName: string;
  readonly domain: NumericDomain | CategoricalDomain<unknown> | GridDomain<unknown>;
  /** normal domains are "float"; choice and grid are "categorical". */
  readonly kind: "float" | "int" | "categorical";
  readonly offset: number;
  readonly width: number;
  /** Encoded in log space. */
  readonly log: boolean;
  /** Active only when all these choices took these options; empty means always active. */
  readonly activeWhen: readonly ActiveCondition[];
}

export interface EncodingOptions {
  /** One-hot (one coordinate per option, decode by argmax) or index ((i + 0.5) / k in one coordinate). @defaultValue "onehot" */
  categorical?: "onehot" | "index";
}

/**
 * Maps configs to [0, 1]^size and back, for model-based searchers. Every conditional branch has
 * its coordinates; an inactive branch's are 0.5 and decode ignores them. Constants and sampleFrom
 * leaves are not encoded: decode restores constants and re-runs sampleFrom leaves.
 */
export interface SpaceEncoding {
  readonly dimensions: readonly EncodedDimension[];
  readonly size: number;
  encode(config: Config): Float64Array;
  /** `random` feeds sampleFrom leaves; by default a fixed generator, so decode is deterministic. */
  decode(vector: ArrayLike<number>, random?: Uniform01): Config;
}

const INACTIVE = 0.5;

export function dimensionsOf(space: Space, options: EncodingOptions = {}): EncodedDimension[] {
  validateSpace(space);
  const onehot = (options.categorical ?? "onehot") === "onehot";
  const dimensions: EncodedDimension[] = [];
  let offset = 0;
  const visit = (node: Record<string, unknown>, path: string, activeWhen: readonly ActiveCondition[]): void => {
    for (const key of Object.keys(node)) {
      const child = node[key];
      const childAt = childPath(path, key);
      if (isPlainObject(child)) visit(child, childAt, activeWhen);
      if (!isDomain(child) || child.type === "function") continue;
      const categories = child.type === "categorical" ? child.options.length : child.type === "grid" ? child.values.length : 0;
      const kind = categories > 0 ? "categorical" : child.type === "int" ? "int" : "float";
      const width = kind === "categorical" && onehot ? categories : 1;
      const log = (child.type === "float" || child.type === "int") && child.log;
      dimensions.push({ path: childAt, domainName: child.name, domain: child, kind, offset, width, log, activeWhen });
      offset += width;
      if (child.type === "categorical") {
        child.options.forEach((option, i) => {
          if (isSubSpace(option)) visit(option, optionPath(childAt, i), [...activeWhen, { path: childAt, option: i }]);
        });
      }
    }
  };
  visit(space, "", []);
  return dimensions;
}

export function createEncoding(space: Space, options: EncodingOptions = {}): SpaceEncoding {
  const onehot = (options.categorical ?? "onehot") === "onehot";
  const dimensions = dimensionsOf(space, options);
  const byPath = new Map(dimensions.map((d) => [d.path, d]));
  const last = dimensions.at(-1);
  const size = last === undefined ? 0 : last.offset + last.width;
  const dimensionAt = (path: string): EncodedDimension => {
    const dimension = byPath.get(path);
    if (dimension === undefined) throw new Error(`unreachable: no dimension at ${path}`);
    return dimension;
  };

  const writeCategory = (out: Float64Array, d: EncodedDimension, index: number, count: number): void => {
    if (onehot) for (let i = 0; i < count; i++) out[d.offset + i] = i === index ? 1 : 0;
    else out[d.offset] = (index + 0.5) / count;
  };
  const readCategory = (vector: ArrayLike<number>, d: EncodedDimension, count: number): number => {
    if (!onehot) return Math.min(Math.max(Math.floor((vector[d.offset] ?? 0) * count), 0), count - 1);
    let best = 0;
    for (let i = 1; i < count; i++) if ((vector[d.offset + i] ?? 0) > (vector[d.offset + best] ?? 0)) best = i;
    return best;
  };

  const encodeObject = (node: Record<string, unknown>, value: unknown, path: string, out: Float64Array): void => {
    if (!isPlainObject(value)) throw new SearchSpaceError(path, "expected an object in the config");
    for (const key of Object.keys(node)) {
      const child = node[key];
      const childAt = childPath(path, key);
      const v = value[key];
      if (!isDomain(child)) {
        if (isPlainObject(child)) encodeObject(child, v, childAt, out);
        continue;
      }
      switch (child.type) {
        case "function":
          break;
        case "categorical": {
          const index = child.options.findIndex((option) => optionMatches(option, v));
          if (index < 0) throw new SearchSpaceError(childAt, "config value matches no choice option");
          writeCategory(out, dimensionAt(childAt), index, child.options.length);
          const option = child.options[index];
          if (isSubSpace(option)) encodeObject(option, v, optionPath(childAt, index), out);
          break;
        }
        case "grid": {
          const index = child.values.findIndex((candidate) => deepEqual(candidate, v));
          if (index < 0) throw new SearchSpaceError(childAt, "config value is not one of the grid values");
          writeCategory(out, dimensionAt(childAt), index, child.values.length);
          break;
        }
        default:
          if (typeof v !== "number") throw new SearchSpaceError(childAt, `expected a number in the config, got ${typeof v}`);
          out[dimensionAt(childAt).offset] = valueToUnit(child, v);
      }
    }
  };

  return {
    dimensions,
    size,
    encode(config) {
      const out = new Float64Array(size).fill(INACTIVE);
      encodeObject(space, config, "", out);
      return out;
    },
    decode(vector, random = mulberry32(0)) {
      if (vector.length !== size) throw new SearchSpaceError("", `decode needs a vector of length ${size}, got ${vector.length}`);
      return resolveSpace(
        space,
        {
          value(domain, path) {
            const d = dimensionAt(path);
            if (domain.type === "grid") return domain.values[readCategory(vector, d, domain.values.length)];
            return unitToValue(domain, vector[d.offset] ?? INACTIVE);
          },
          choose: (domain, path) => readCategory(vector, dimensionAt(path), domain.options.length),
        },
        random,
      );
    },
  };
}
