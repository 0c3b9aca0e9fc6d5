import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

it("the kit works under node:test (node --import tsx --test), with no test framework of its own", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "test/testing/node-runner/kit.node-test.ts"], { cwd: root, encoding: "utf8" });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toMatch(/# pass 3/);
  expect(r.stdout).toMatch(/# fail 0/);
});
