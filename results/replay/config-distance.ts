import type { Config } from "../../core/contracts/index.ts";
import { createEncoding, type Space } from "../../core/space/index.ts";

/** Distance between two configs; smaller is nearer. */
export type ConfigDistance = (a: Config, b: Config) => number;

/**
 * Euclidean distance in a search space's unit-cube encoding (the one the
 * model-based searchers use): float and int leaves map to [0, 1] over their
 * bounds, log domains in log space, `choice` one-hot. A perturbed learning rate
 * is therefore near the recorded one closest to it on a log scale.
 */
export function spaceDistance(space: Space): ConfigDistance {
  const encoding = createEncoding(space);
  return (a, b) => {
    const x = encoding.encode(a);
    const y = encoding.encode(b);
    let sum = 0;
    for (let i = 0; i < x.length; i++) sum += ((x[i] as number) - (y[i] as number)) ** 2;
    return Math.sqrt(sum);
  };
}

/**
 * Without a space: Euclidean distance over the configs' leaves (nested keys by
 * dotted path), each numeric leaf divided by the range of its recorded values
 * (so every hyperparameter spans [0, 1] over the recording, on a linear scale),
 * and 1 for any other leaf that differs or is missing on one side.
 */
export function rangeNormalisedDistance(recorded: readonly Config[]): ConfigDistance {
  const low = new Map<string, number>();
  const high = new Map<string, number>();
  for (const config of recorded) {
    for (const [path, value] of leaves(config)) {
      if (typeof value !== "number") continue;
      low.set(path, Math.min(low.get(path) ?? value, value));
      high.set(path, Math.max(high.get(path) ?? value, value));
    }
  }
  return (a, b) => {
    const left = new Map(leaves(a));
    const right = new Map(leaves(b));
    let sum = 0;
    for (const path of new Set([...left.keys(), ...right.keys()])) {
      const x = left.get(path);
      const y = right.get(path);
      if (typeof x === "number" && typeof y === "number") {
        const range = (high.get(path) ?? 0) - (low.get(path) ?? 0);
        sum += ((x - y) / (range > 0 ? range : 1)) ** 2;
      } else if (!left.has(path) || !right.has(path) || JSON.stringify(x) !== JSON.stringify(y)) {
        sum += 1;
      }
    }
    return Math.sqrt(sum);
  };
}

function leaves(config: Config, prefix = ""): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(config)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) out.push(...leaves(value as Config, path));
    else out.push([path, value]);
  }
  return out;
}
