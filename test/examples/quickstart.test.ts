import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

it("the README's API example runs and prints a best trial", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "examples/quickstart.ts")], { cwd: root, encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/trialId: 't\d+'/);
  expect(r.stdout).toMatch(/optimizer: \{ kind: '(sgd|adam)'/);
});
