import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ASHAScheduler, HyperBandScheduler, MedianStoppingRule, hyperbandPlan } from "../../../algorithms/schedulers/index.ts";
import type { Decision, Result, TrialView } from "../../../core/contracts/index.ts";
import { linearQuantile, median } from "../../../algorithms/schedulers/_internals/quantile.ts";
import { expectNoLostOrRepeatedIterations, RecordingScheduler, runScripted } from "../../../testing/index.ts";

const runs = { numRuns: Number(process.env.FC_RUNS ?? 60) };

const ashaCase = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  trials: fc.integer({ min: 1, max: 40 }),
  workers: fc.integer({ min: 1, max: 6 }),
  reductionFactor: fc.constantFrom(2, 3, 4),
  gracePeriod: fc.constantFrom(1, 2, 3),
  maxT: fc.integer({ min: 5, max: 30 }),
  brackets: fc.integer({ min: 1, max: 3 }),
  mode: fc.constantFrom("min" as const, "max" as const),
});

type AshaCase = typeof ashaCase extends fc.Arbitrary<infer T> ? T : never;

function ashaFor(c: AshaCase, type: "stopping" | "promotion"): ASHAScheduler {
  // Keep only brackets that have a rung below maxT.
  let brackets = c.brackets;
  while (brackets > 1 && c.gracePeriod * c.reductionFactor ** (brackets - 1) >= c.maxT) brackets--;
  return new ASHAScheduler({
    metric: "loss",
    mode: c.mode,
    type,
    maxT: c.maxT,
    gracePeriod: c.gracePeriod,
    reductionFactor: c.reductionFactor,
    brackets,
    seed: c.seed,
  });
}

function score(mode: "min" | "max", v: number): number {
  return mode === "max" ? v : -v;
}

describe("scheduler properties", () => {
  it("ASHA (both types): nothing stops or pauses before gracePeriod, nothing runs past maxT, no iteration is lost or repeated", () => {
    fc.assert(
      fc.property(ashaCase, fc.constantFrom("stopping" as const, "promotion" as const), (c, type) => {
        const rec = new RecordingScheduler(ashaFor(c, type));
        const run = runScripted({ scheduler: rec, trials: c.trials, workers: c.workers, seed: c.seed, mode: c.mode });
        for (const call of rec.calls) {
          if (call.decision.kind !== "continue") expect(call.result.iteration).toBeGreaterThanOrEqual(c.gracePeriod);
        }
        for (const t of run.loop.trials) expect(t.lastResult?.iteration ?? 0).toBeLessThanOrEqual(c.maxT);
        expect(run.loop.trials.every((t) => t.status === "TERMINATED")).toBe(true);
        expectNoLostOrRepeatedIterations(run);
      }),
      runs,
    );
  });

  it("ASHA stopping: a stopped trial was strictly worse than the cutoff of the values at its rung at that moment (and a continued one was not)", () => {
    fc.assert(
      fc.property(ashaCase, (c) => {
        const asha = ashaFor(c, "stopping");
        let checked = 0;
        const rec = new RecordingScheduler(asha, {
          before: (trial) => {
            const b = asha.bracketIndexOf(trial.id) as number;
            return asha.rungs()[b]?.map((r) => ({ milestone: r.milestone, entries: r.entries.slice() }));
          },
          after: (trial, result, decision, before) => {
            if (result.iteration >= c.maxT) return;
            const rungs = before as Array<{ milestone: number; entries: Array<[string, number]> }>;
            // The rung this result lands on: the highest reached; skipped when the trial is already recorded there.
            let k = rungs.length - 1;
            while (k >= 0 && result.iteration < (rungs[k] as { milestone: number }).milestone) k--;
            const rung = rungs[k];
            if (!rung || rung.entries.some(([id]) => id === trial.id)) {
              expect(decision.kind).toBe("continue");
              return;
            }
            const cutoff = linearQuantile(
              rung.entries.map(([, v]) => score(c.mode, v)),
              1 - 1 / c.reductionFactor,
            );
            const mine = score(c.mode, result.metrics["loss"] as number);
            const worse = cutoff !== undefined && mine < cutoff;
            expect(decision.kind).toBe(worse ? "stop" : "continue");
            checked++;
          },
        });
        runScripted({ scheduler: rec, trials: c.trials, workers: c.workers, seed: c.seed, mode: c.mode });
        expect(checked).toBeGreaterThan(0);
      }),
      runs,
    );
  });

  it("ASHA promotion: promotions out of rung k never exceed floor(|rung k| / rf), and only the current top floor(|rung k| / rf) are promoted", () => {
    fc.assert(
      fc.property(ashaCase, (c) => {
        const asha = ashaFor(c, "promotion");
        const seen = new Set<string>();
        const check = (): void => {
          asha.rungs().forEach((rungs, b) =>
            rungs.forEach((rung, k) => {
              const allowed = Math.floor(rung.entries.length / c.reductionFactor);
              expect(rung.promoted.length).toBeLessThanOrEqual(allowed);
              const ranked = rung.entries
                .map(([id, v], i) => ({ id, s: score(c.mode, v), i }))
                .sort((x, y) => y.s - x.s || x.i - y.i)
                .slice(0, allowed)
                .map((e) => e.id);
              for (const id of rung.promoted) {
                const key = `${b}:${k}:${id}`;
                // A promotion is checked against the top at the moment it happens.
                if (!seen.has(key)) expect(ranked).toContain(id);
                seen.add(key);
              }
            }),
          );
        };
        const rec = new RecordingScheduler(asha, { afterAny: check });
        const run = runScripted({ scheduler: rec, trials: c.trials, workers: c.workers, seed: c.seed, mode: c.mode });
        check();
        expectNoLostOrRepeatedIterations(run);
      }),
      runs,
    );
  });

  it("HyperBand: survivors are exactly the top floor(n_i / eta) of those reaching each milestone; a bracket never exceeds its planned iterations", () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 1_000_000 }),
          trials: fc.integer({ min: 1, max: 60 }),
          workers: fc.integer({ min: 1, max: 8 }),
          eta: fc.constantFrom(2, 3, 4),
          maxT: fc.constantFrom(8, 9, 16, 27),
          mode: fc.constantFrom("min" as const, "max" as const),
        }),
        (c) => {
          const hb = new HyperBandScheduler({ metric: "loss", mode: c.mode, maxT: c.maxT, reductionFactor: c.eta });
          const bracketOf = new Map<string, number>();
          const rec = new RecordingScheduler(hb, {
            afterAny: () => {
              for (const t of rec.context?.trials() ?? []) {
                if (!bracketOf.has(t.id)) {
                  const info = hb.bracketInfo(t.id);
                  if (info) bracketOf.set(t.id, info.bracket);
                }
              }
            },
          });
          const run = runScripted({ scheduler: rec, trials: c.trials, workers: c.workers, seed: c.seed, mode: c.mode });
          expectNoLostOrRepeatedIterations(run);
          const plan = hyperbandPlan(c.maxT, c.eta);
          const byBracket = new Map<number, TrialView[]>();
          for (const t of run.loop.trials) {
            const b = bracketOf.get(t.id) as number;
            byBracket.set(b, [...(byBracket.get(b) ?? []), t]);
          }
          for (const [b, members] of byBracket) {
            const stages = (plan[b % plan.length] as (typeof plan)[number]).stages;
            let planned = 0;
            let previous = 0;
            for (const stage of stages) {
              // Iterations are whole: a trial runs to the milestone rounded up.
              const m = Math.ceil(stage.milestone - 1e-9);
              planned += stage.trials * (m - previous);
              previous = m;
            }
            const used = members.reduce((sum, t) => sum + (t.lastResult?.iteration ?? 0), 0);
            expect(used).toBeLessThanOrEqual(planned);
            for (let i = 0; i < stages.length - 1; i++) {
              // A trial reaches a fractional milestone (maxT * eta^-s) at the next whole iteration.
              const m = Math.ceil((stages[i] as { milestone: number }).milestone - 1e-9);
              const reached = members.filter((t) => (t.lastResult?.iteration ?? 0) >= m);
              const survivors = reached.filter((t) => (t.lastResult?.iteration ?? 0) > m);
              expect(survivors.length).toBe(Math.floor(reached.length / c.eta));
              const valueAt = (t: TrialView): number =>
                score(c.mode, (t.history.find((r) => r.iteration === Math.ceil(m)) as Result).metrics["loss"] as number);
              const worstSurvivor = Math.min(...survivors.map(valueAt));
              for (const t of reached) if (!survivors.includes(t)) expect(valueAt(t)).toBeLessThanOrEqual(worstSurvivor);
            }
          }
          expect(run.loop.trials.every((t) => t.status === "TERMINATED")).toBe(true);
        },
      ),
      runs,
    );
  });

  it("median rule: never stops with fewer than minSamplesRequired comparable trials, stops exactly when the best is worse than the median, and honours the grace period", () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 1_000_000 }),
          trials: fc.integer({ min: 1, max: 30 }),
          workers: fc.integer({ min: 1, max: 6 }),
          gracePeriod: fc.integer({ min: 0, max: 6 }),
          minSamplesRequired: fc.integer({ min: 1, max: 5 }),
          hardStop: fc.boolean(),
          mode: fc.constantFrom("min" as const, "max" as const),
        }),
        (c) => {
          const rule = new MedianStoppingRule({
            metric: "loss",
            mode: c.mode,
            timeAttr: "training_iteration",
            gracePeriod: c.gracePeriod,
            minSamplesRequired: c.minSamplesRequired,
            hardStop: c.hardStop,
          });
          const rec = new RecordingScheduler(rule, {
            before: (trial, result) => ({
              means: result.iteration >= c.gracePeriod ? rule.comparableMeans(trial, result.iteration) : [],
              wasStopped: rule.hasStopped(trial.id),
            }),
            after: (trial, result, decision: Decision, before) => {
              const { means, wasStopped } = before as { means: number[]; wasStopped: boolean };
              const stoppedNow = rule.hasStopped(trial.id) && !wasStopped;
              if (decision.kind === "continue") {
                expect(stoppedNow).toBe(false);
                return;
              }
              expect(result.iteration).toBeGreaterThanOrEqual(c.gracePeriod);
              if (!stoppedNow) return; // a yield for lack of samples
              expect(means.length).toBeGreaterThanOrEqual(c.minSamplesRequired);
              const best = trial.history.reduce((b, r) => Math.max(b, score(c.mode, r.metrics["loss"] as number)), -Infinity);
              expect(score(c.mode, median(means) as number)).toBeGreaterThan(best);
              expect(decision.kind).toBe(c.hardStop ? "stop" : "pause");
            },
          });
          const run = runScripted({ scheduler: rec, trials: c.trials, workers: c.workers, seed: c.seed, mode: c.mode, maxIterations: 12 });
          expectNoLostOrRepeatedIterations(run);
        },
      ),
      runs,
    );
  });
});
