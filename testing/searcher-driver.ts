import type { Config, Result, Searcher } from "../core/contracts/index.ts";
import { choice, domainContains, isDomain, loguniform, optionMatches, qrandint, randint, uniform, type Space } from "../core/space/index.ts";

/** The mixed space checkSearcher uses by default: floats, log floats, integers, a quantized integer, one conditional branch. */
export const contractSpace = {
  lr: loguniform(1e-5, 1e-1),
  dropout: uniform(0, 0.5),
  layers: randint(1, 6),
  width: qrandint(32, 256, 32),
  optimizer: choice([{ kind: "sgd", momentum: uniform(0, 0.99) }, { kind: "adam" }]),
};

/** A deterministic, smooth-ish score of any config (numbers and strings anywhere in it), so model-based searchers have something to learn. */
export function defaultScore(config: Config): number {
  let s = 0;
  const walk = (v: unknown): void => {
    if (typeof v === "number") s += Math.sin(3 * Math.log1p(Math.abs(v))) + Math.abs(v) / (1 + Math.abs(v));
    else if (typeof v === "string") s += v.length / 10;
    else if (typeof v === "boolean") s += v ? 0.5 : 0;
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(config);
  return s;
}

/** Why `config` is not a point of `space` (conditional branches included), or undefined when it is. */
export function configProblem(space: Space, config: Config, allowedExtraKeys: readonly string[] = []): string | undefined {
  if (typeof config !== "object" || config === null || Array.isArray(config)) return `suggestion ${JSON.stringify(config)} is not a config object`;
  for (const [key, leaf] of Object.entries(space)) {
    if (!Object.hasOwn(config, key)) return `${key} is missing from ${JSON.stringify(config)}`;
    const value = config[key];
    const ok = isDomain(leaf) ? domainContains(leaf, value) : optionMatches(leaf, value);
    if (!ok) return `${key}=${JSON.stringify(value)} is outside its domain`;
  }
  for (const key of Object.keys(config)) {
    if (!Object.hasOwn(space, key) && !allowedExtraKeys.includes(key)) return `${key} is not a key of the space`;
  }
  return undefined;
}

/** Drives a searcher for n trials, completing each at once with `score` (iteration 1). Returns the answers. */
export function driveSearcher(searcher: Searcher, n: number, offset = 0, score: (c: Config) => number = defaultScore, metric = "loss"): Array<Config | string> {
  const out: Array<Config | string> = [];
  for (let i = offset; i < offset + n; i++) {
    const id = `t${i}`;
    const s = searcher.suggest(id);
    out.push(s);
    if (typeof s === "object") {
      const r: Result = { trialId: id, iteration: 1, metrics: { [metric]: score(s) }, time: i, timeTotal: 1 };
      searcher.onTrialResult?.(id, r);
      searcher.onTrialComplete(id, r, false);
    }
  }
  return out;
}
