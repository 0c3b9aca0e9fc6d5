/**
 * The bad group's bounds built from state kept across suggestions (bad-group-bounds.ts:
 * the sorted column, the kernel memo, scratch arrays) against a ParzenEstimator built from
 * scratch, and the searcher that uses them against one that builds every estimator and
 * splits the trials the old way (issue 14). Both must agree bit for bit.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BadGroupKernels, ComponentIndex } from "../../../../algorithms/searchers/tpe/bad-group-bounds.ts";
import { KernelMemo, SortedColumn, WeightsMemo } from "../../../../algorithms/searchers/tpe/kernel-memo.ts";
import { ParzenEstimator, defaultGamma, defaultWeights, uniformWeights, type ParzenSettings } from "../../../../algorithms/searchers/tpe/parzen-estimator.ts";
import { TPESearcher, splitObservations, type Groups, type TPESearcherOptions } from "../../../../algorithms/searchers/tpe/tpe-searcher.ts";
import type { Config, Json } from "../../../../core/contracts/index.ts";
import { choice, loguniform, randint, uniform, type Space } from "../../../../core/space/index.ts";

/** Bit-for-bit equality of two float arrays (NaN equals NaN, 0 differs from -0). */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

const settingsArbitrary = fc.record({
  considerPrior: fc.boolean(),
  priorWeight: fc.constantFrom(1, 0.5, 3),
  considerMagicClip: fc.boolean(),
  considerEndpoints: fc.boolean(),
  multivariate: fc.constant(false),
  weights: fc.constantFrom(defaultWeights, uniformWeights),
  scoring: fc.constantFrom("bandwidth-weighted" as const, "normalized" as const),
  magicClipExponent: fc.constantFrom(1, 0.5),
  minBandwidthFactor: fc.constantFrom(0.01, 0.001),
});

describe("BadGroupKernels", () => {
  it("gives the from-scratch estimator's logPdfBounds bit for bit after any sequence of observations and group changes", () => {
    let compared = 0;
    fc.assert(
      fc.property(
        settingsArbitrary,
        // Bounds of a float parameter, or of a log-domain one (internal values are logs).
        fc.constantFrom([0, 1], [-2, 3], [Math.log(1e-5), Math.log(1e-1)]),
        // Rounds: trials added, then the bad group drawn from all of them.
        fc.array(
          fc.record({
            added: fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.5, 1, 0.25, Number.NaN)), { minLength: 40, maxLength: 250 }),
            // Share of the trials in the bad group: the split moves trials between groups.
            badShare: fc.double({ min: 0.6, max: 1, noNaN: true }),
            seed: fc.integer({ min: 1, max: 2 ** 30 }),
          }),
          { minLength: 2, maxLength: 5 },
        ),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }),
        (settingsRecord, [low, high], rounds, points) => {
          const settings = settingsRecord as ParzenSettings;
          const parameter = { kind: "numeric" as const, low: low as number, high: high as number, step: null };
          const span = (high as number) - (low as number);
          const sorted = new SortedColumn();
          const memo = new KernelMemo();
          const builder = new BadGroupKernels();
          const index = new ComponentIndex();
          let values = new Float64Array(0);
          const xs = Float64Array.from([...points.map((u) => (low as number) + u * span), low as number, high as number, (high as number) + 1]);
          for (const round of rounds) {
            // Ties: drawn from a few values; NaN: the parameter is inactive for that trial.
            const start = values.length;
            const grown = new Float64Array(start + round.added.length);
            grown.set(values);
            round.added.forEach((u, k) => {
              const v = Number.isNaN(u) ? u : (low as number) + u * span;
              grown[start + k] = v;
              sorted.insert(start + k, v);
            });
            values = grown;
            let state = round.seed;
            const random = (): number => ((state = (state * 48271) % 2147483647) / 2147483647);
            const ids = Int32Array.from([...values.keys()].filter((i) => !Number.isNaN(values[i] as number) && random() < round.badShare));
            const fast = builder.bounds({ ids, values, sorted, memo, weights: new WeightsMemo(), index, low: low as number, high: high as number, settings });
            const column = Float64Array.from(ids, (i) => values[i] as number);
            const reference = new ParzenEstimator([column], [parameter], settings).logPdfBounds([xs]);
            if (ids.length <= 64) {
              expect(fast).toBeNull();
              continue;
            }
            const mine = fast === null ? null : fast.logPdfBounds([xs]);
            expect(mine === null).toBe(reference === null);
            if (mine === null || reference === null) continue;
            compared++;
            expect(sameBits(mine.value, reference.value)).toBe(true);
            expect(sameBits(mine.bound, reference.bound)).toBe(true);
            const tight = (fast as NonNullable<typeof fast>).logPdfBounds([xs], true) as { value: Float64Array; bound: Float64Array };
            const referenceTight = new ParzenEstimator([column], [parameter], settings).logPdfBounds([xs], true) as { value: Float64Array; bound: Float64Array };
            expect(sameBits(tight.value, referenceTight.value)).toBe(true);
            expect(sameBits(tight.bound, referenceTight.bound)).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
    // Most rounds have more than 64 bad observations and a window worth building.
    expect(compared).toBeGreaterThan(60);
  });
});

/** What a bounds builder gives for one bad group (the kept builder, or a deliberately broken variant of it). */
type BoundsOf = (
  builder: BadGroupKernels,
  input: Parameters<BadGroupKernels["bounds"]>[0],
) => { logPdfBounds(samples: readonly Float64Array[], tight?: boolean): { value: Float64Array; bound: Float64Array } | null } | null;

/**
 * The property the argmax rests on (best-candidate.ts): for every point, the exact log
 * density of the bad group (a ParzenEstimator built from scratch, `logPdf`) lies in
 * [value - a, value + bound + a], a = 1e-9 (1 + |value|), the rounding allowance of
 * `bestCandidate` (less its share for log l), for the first (fast, fastExp) and the tight
 * pass, after arbitrary rounds of observations: ties, NaN for inactive trials, log-space
 * bounds, the prior, endpoints, magic clip on and off, both weight rules and both scorings.
 */
/** Rounds with bounds, compared by boundsContainExact (a property that compared nothing would assert nothing). */
let containCompared = 0;
function boundsContainExact(boundsOf: BoundsOf): fc.IProperty<unknown> {
  return fc.property(
    settingsArbitrary,
    fc.constantFrom([0, 1], [-2, 3], [Math.log(1e-5), Math.log(1e-1)]),
    fc.array(
      fc.record({
        added: fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.5, 1, 0.25, Number.NaN)), { minLength: 90, maxLength: 300 }),
        badShare: fc.double({ min: 0.6, max: 1, noNaN: true }),
        seed: fc.integer({ min: 1, max: 2 ** 30 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.25, 0.5, 1)), { minLength: 1, maxLength: 24 }),
    (settingsRecord, [low, high], rounds, points) => {
      const settings = settingsRecord as ParzenSettings;
      const parameter = { kind: "numeric" as const, low: low as number, high: high as number, step: null };
      const span = (high as number) - (low as number);
      const sorted = new SortedColumn();
      const memo = new KernelMemo();
      const builder = new BadGroupKernels();
      const index = new ComponentIndex();
      let values = new Float64Array(0);
      // Points on the grid of tied values are centres of components; high + 1 is outside.
      const xs = Float64Array.from([...points.map((u) => (low as number) + u * span), low as number, high as number, (high as number) + 1]);
      for (const round of rounds) {
        const start = values.length;
        const grown = new Float64Array(start + round.added.length);
        grown.set(values);
        round.added.forEach((u, k) => {
          const v = Number.isNaN(u) ? u : (low as number) + u * span;
          grown[start + k] = v;
          sorted.insert(start + k, v);
        });
        values = grown;
        let state = round.seed;
        const random = (): number => ((state = (state * 48271) % 2147483647) / 2147483647);
        const ids = Int32Array.from([...values.keys()].filter((i) => !Number.isNaN(values[i] as number) && random() < round.badShare));
        const bounds = boundsOf(builder, { ids, values, sorted, memo, weights: new WeightsMemo(), index, low: low as number, high: high as number, settings });
        if (bounds === null) continue;
        containCompared++;
        const exact = new ParzenEstimator([Float64Array.from(ids, (i) => values[i] as number)], [parameter], settings).logPdf([xs]);
        for (const tight of [false, true]) {
          const result = bounds.logPdfBounds([xs], tight);
          if (result === null) return false;
          for (let s = 0; s < xs.length; s++) {
            const e = exact[s] as number;
            const v = result.value[s] as number;
            if (e === -Infinity || v === -Infinity) {
              if (e !== v) return false;
              continue;
            }
            const allowance = 1e-9 * (1 + Math.abs(v));
            if (!(e >= v - allowance && e <= v + (result.bound[s] as number) + allowance)) {
              return false;
            }
          }
        }
      }
      return true;
    },
  );
}

describe("BadGroupKernels bounds", () => {
  it("contain the exact log density of the bad group, first (fastExp) and tight pass", () => {
    containCompared = 0;
    fc.assert(boundsContainExact((builder, input) => builder.bounds(input)), { numRuns: 60 });
    expect(containCompared).toBeGreaterThan(40);
  });

  it("the property catches a bound that leaves out the skipped components", () => {
    const broken: BoundsOf = (builder, input) => {
      const bounds = builder.bounds(input);
      if (bounds === null) return null;
      return {
        logPdfBounds(samples, tight) {
          const result = bounds.logPdfBounds(samples, tight);
          return result === null ? null : { value: result.value, bound: new Float64Array(result.bound.length) };
        },
      };
    };
    expect(fc.check(boundsContainExact(broken), { numRuns: 60, seed: 5 }).failed).toBe(true);
  });
});

/**
 * The searcher before issue 14's incremental work, as far as the suggestions go: every bad
 * estimator built and asked for its bounds, and the trials split by `splitObservations` over
 * the records (read back through `save`).
 */
class FromScratchTPE extends TPESearcher {
  private readonly liar: boolean;
  constructor(space: Space, options: TPESearcherOptions) {
    super(space, options);
    this.liar = options.constantLiar ?? true;
  }
  protected override badGroupBounds(): null {
    return null;
  }
  protected override split(n: number): Groups {
    const saved = this.save() as unknown as { trials: Array<{ state: string; step: number | string; loss: number | string }> };
    const records = saved.trials
      .map((t, index) => ({ index, state: t.state, step: Number(t.step), loss: Number(t.loss) }))
      .filter((t) => t.state !== "error" && (this.liar || t.state === "finished"));
    const running = { step: Infinity, loss: Infinity };
    const keys = (r: (typeof records)[number]) => (this.liar && r.state === "running" ? running : r);
    const { below, above } = splitObservations(records, defaultGamma(n), keys);
    return { belowIds: Int32Array.from(below, (r) => r.index), aboveIds: Int32Array.from(above, (r) => r.index) };
  }
}

const mixedSpace: Space = {
  lr: loguniform(1e-5, 1e-1),
  width: uniform(-2, 3),
  layers: randint(1, 6),
  activation: choice(["relu", "tanh", "gelu"]),
  optimizer: choice([{ name: "sgd", momentum: uniform(0, 0.99) }, { name: "adam" }]),
};
const floatSpace: Space = { a: uniform(0, 1), b: uniform(-5, 5), c: loguniform(1e-3, 10) };

/** One trial's fate: finished (done or stopped early at an iteration), failed, or left pending for a while. */
const fateArbitrary = fc.record({
  kind: fc.constantFrom("done", "done", "done", "stopped", "error", "pending", "no-result"),
  iteration: fc.integer({ min: 1, max: 4 }),
  // Ties: a few losses repeat.
  loss: fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.constantFrom(0, 1, -1)),
});

describe("TPESearcher with the incremental bad group", () => {
  it("proposes what a searcher building every estimator from scratch proposes, with ties, early stops, failures and pending trials", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(mixedSpace, floatSpace),
        fc.record({ multivariate: fc.boolean(), constantLiar: fc.boolean(), scoring: fc.constantFrom("bandwidth-weighted" as const, "normalized" as const) }),
        fc.integer({ min: 0, max: 1000 }),
        fc.array(fateArbitrary, { minLength: 100, maxLength: 120 }),
        (space, extra, seed, fates) => {
          const options: TPESearcherOptions = { metric: "y", mode: "min", seed, nStartupTrials: 75, ...extra, group: extra.multivariate };
          const mine = new TPESearcher(space, options);
          const reference = new FromScratchTPE(space, options);
          const pending: Array<{ id: string; fate: (typeof fates)[number] }> = [];
          const finish = (searcher: TPESearcher, id: string, fate: (typeof fates)[number]): void => {
            const result = (iteration: number, done: boolean) => ({ trialId: id, iteration, metrics: { y: fate.loss }, time: iteration, timeTotal: iteration, ...(done ? { done: true } : {}) });
            if (fate.kind === "error") searcher.onTrialComplete(id, undefined, true);
            else if (fate.kind === "no-result") searcher.onTrialComplete(id);
            else if (fate.kind === "stopped") {
              searcher.onTrialResult(id, result(fate.iteration, false));
              searcher.onTrialComplete(id);
            } else searcher.onTrialComplete(id, result(fate.iteration, true));
          };
          fates.forEach((fate, t) => {
            const id = `t${t}`;
            const a = mine.suggest(id) as Config;
            const b = reference.suggest(id) as Config;
            expect(JSON.stringify(a)).toBe(JSON.stringify(b));
            pending.push({ id, fate });
            // Pending trials stay open for a few suggestions (the constant liar ranks them worst).
            while (pending.length > (fate.kind === "pending" ? 3 : 0)) {
              const next = pending.shift() as (typeof pending)[number];
              finish(mine, next.id, next.fate);
              finish(reference, next.id, next.fate);
            }
          });
          expect(mine.save() as Json).toEqual(reference.save() as Json);
        },
      ),
      { numRuns: 12 },
    );
  });
});
