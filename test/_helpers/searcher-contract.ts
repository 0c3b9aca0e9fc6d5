import { expect, it } from "vitest";
import type { Config, Result, Searcher } from "../../core/contracts/index.ts";
import { choice, domainContains, isDomain, loguniform, qrandint, randint, uniform, type Space } from "../../core/space/index.ts";

export type SearcherFactory = (space: Space, options: { metric: string; mode: "min" | "max"; seed: number }) => Searcher;

/** The mixed space every searcher must handle: floats, log floats, integers, categoricals, one conditional branch. */
export const contractSpace = {
  lr: loguniform(1e-5, 1e-1),
  dropout: uniform(0, 0.5),
  layers: randint(1, 6),
  width: qrandint(32, 256, 32),
  optimizer: choice([{ kind: "sgd", momentum: uniform(0, 0.99) }, { kind: "adam" }]),
};

/** A deterministic score so model-based searchers have something to learn from. */
export function contractScore(config: Config): number {
  const lr = config["lr"] as number;
  return Math.abs(Math.log10(lr) + 3) + (config["dropout"] as number) + (config["layers"] as number) / 10;
}

function resultFor(trialId: string, config: Config): Result {
  return { trialId, iteration: 1, metrics: { loss: contractScore(config) }, time: 0, timeTotal: 0 };
}

/** Drives a searcher for n trials, completing each at once. Returns the suggestions. */
export function drive(searcher: Searcher, n: number, offset = 0): Array<Config | string> {
  const out: Array<Config | string> = [];
  for (let i = offset; i < offset + n; i++) {
    const id = `t${i}`;
    const s = searcher.suggest(id);
    out.push(s);
    if (typeof s === "object") {
      const r = resultFor(id, s);
      searcher.onTrialResult?.(id, r);
      searcher.onTrialComplete(id, r, false);
    }
  }
  return out;
}

/** Checks that every leaf of a config lies in its domain (recursing into conditional options). */
export function expectInSpace(space: Space, config: Config): void {
  for (const [key, leaf] of Object.entries(space)) {
    if (isDomain(leaf)) expect(domainContains(leaf, config[key]), `${key}=${JSON.stringify(config[key])}`).toBe(true);
  }
}

/** The shared contract every Searcher passes (STYLE.md: one contract suite for every implementation). */
export function searcherContract(name: string, make: SearcherFactory, options: { trials?: number } = {}): void {
  const n = options.trials ?? 30;
  const opts = { metric: "loss", mode: "min" as const, seed: 7 };

  it(`${name}: same seed gives the same suggestions; another seed gives others`, () => {
    const a = drive(make(contractSpace, opts), n);
    const b = drive(make(contractSpace, opts), n);
    expect(a).toEqual(b);
    expect(drive(make(contractSpace, { ...opts, seed: 8 }), n)).not.toEqual(a);
  });

  it(`${name}: suggestions stay inside the space`, () => {
    for (const s of drive(make(contractSpace, opts), n)) {
      if (typeof s === "object") expectInSpace(contractSpace, s);
    }
  });

  it(`${name}: save then restore on a fresh instance continues with identical suggestions`, () => {
    const original = make(contractSpace, opts);
    drive(original, Math.floor(n / 2));
    const saved = JSON.parse(JSON.stringify(original.save()));
    const resumed = make(contractSpace, opts);
    resumed.restore(saved);
    expect(drive(resumed, n, Math.floor(n / 2))).toEqual(drive(original, n, Math.floor(n / 2)));
  });

  it(`${name}: copes with many pending trials at once`, () => {
    const searcher = make(contractSpace, opts);
    const pending = [];
    for (let i = 0; i < 40; i++) pending.push(searcher.suggest(`p${i}`));
    const configs = pending.filter((s): s is Config => typeof s === "object");
    expect(configs.length).toBeGreaterThan(0);
    // Pending suggestions must not collapse onto one point.
    expect(new Set(configs.map((c) => JSON.stringify(c))).size).toBeGreaterThan(configs.length / 2);
    configs.forEach((c, i) => searcher.onTrialComplete(`p${i}`, resultFor(`p${i}`, c), false));
  });

  it(`${name}: names the option on bad metric or mode`, () => {
    expect(() => make(contractSpace, { ...opts, metric: "" })).toThrow(/\.metric: needs a non-empty metric name/);
    expect(() => make(contractSpace, { ...opts, mode: "lowest" as "min" })).toThrow(/\.mode: must be "min" or "max"/);
  });
}
