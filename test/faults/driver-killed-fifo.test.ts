import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { tune } from "../../real-backend/index.ts";
import { loadExperiment } from "../../results/index.ts";
import { driverOptions, finalTrials } from "./fixtures/driver-options.ts";
import { killDriverRepeatedly } from "./_driver-kills.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "tunelab-faults-"));

it("FIFO + random search: a driver SIGKILLed 5 times and resumed ends with the uninterrupted run's trials, no result lost", async () => {
  const reference = finalTrials((await tune(driverOptions("fifo", join(tmp(), "ref")))).trials as never);
  const dir = join(tmp(), "killed");
  const report = await killDriverRepeatedly(dir, "fifo", 5, 1);
  expect(report.kills).toBeGreaterThanOrEqual(5);
  expect(report.final).toEqual(reference);
  // The directory shows each iteration once (re-done results are marked, not duplicated).
  const analysis = loadExperiment(dir);
  expect(analysis.trials.map((t) => ({ id: t.id, iterations: t.results.map((r) => r.training_iteration) }))).toEqual(
    reference.map((t) => ({ id: t.id, iterations: t.iterations })),
  );
  console.log(`faults_driver_kills_fifo=${report.kills} launches=${report.launches} results_lost=0`);
});
