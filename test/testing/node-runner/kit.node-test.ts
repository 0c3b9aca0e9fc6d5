// Run by `node --import tsx --test` (see ../node-test-runner.test.ts): the kit under node:test, with no vitest in sight.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FIFOScheduler } from "../../../algorithms/schedulers/index.ts";
import { RandomSearch } from "../../../algorithms/searchers/index.ts";
import { CheckFailure, checkScheduler, checkSearcher } from "../../../testing/index.ts";
import { ForgetfulSaveScheduler } from "../fixtures/broken-schedulers.ts";

test("checkScheduler passes FIFO under node:test", () => {
  const report = checkScheduler(() => new FIFOScheduler(), { numRuns: 30 });
  assert.equal(report.cases, 30);
});

test("checkSearcher passes RandomSearch under node:test", () => {
  assert.equal(checkSearcher((space, o) => new RandomSearch(space, o), { numRuns: 20 }).cases, 20);
});

test("a failing check throws a CheckFailure that node:test reports, and its seed replays it", () => {
  const make = (p: { metric: string; mode: "min" | "max" }) => new ForgetfulSaveScheduler(p);
  let failure: CheckFailure | undefined;
  assert.throws(
    () => checkScheduler(make),
    (e: unknown) => {
      failure = e as CheckFailure;
      return e instanceof CheckFailure && e.property === "save/restore";
    },
  );
  assert.throws(() => checkScheduler(make, { seed: failure?.seed as number, path: failure?.path as string }), /property "save\/restore" failed after 1 case/);
});
