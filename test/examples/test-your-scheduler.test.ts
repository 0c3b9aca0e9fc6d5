import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

it("the README's 'Test your own scheduler' example runs, and its custom scheduler passes checkScheduler", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "examples/test-your-scheduler.ts")], { cwd: root, encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^checked 100 cases \(300 runs\) in \d+ ms: legal decisions, .*save\/restore\n$/);
});

it("the README section shows the example file as it is, with the package's import paths", () => {
  const doc = readFileSync(join(root, "README.md"), "utf8").split("## Test your own scheduler")[1] as string;
  const code = /```ts\n([\s\S]*?)```/.exec(doc)?.[1] as string;
  const example = readFileSync(join(root, "examples/test-your-scheduler.ts"), "utf8").split("\n").slice(2).join("\n");
  expect(code.replace('"tunelab/testing"', '"../testing/index.ts"').replace('"tunelab"', '"../index.ts"')).toBe(example);
});
