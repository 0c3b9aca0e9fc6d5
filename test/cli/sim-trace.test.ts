import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TRACE_EVENT_TYPES } from "../../core/trace.ts";
import { tunelabInProcess } from "../_helpers/tunelab-in-process.ts";
import { TunelabServer } from "../_helpers/tunelab-server.ts";

const dir = mkdtempSync(join(tmpdir(), "tunelab-trace-"));
// Runs that must fail at once, under a hard limit: a regression would run for minutes.
const server = new TunelabServer();
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function traceOf(name: string, args: string[]) {
  const file = join(dir, name);
  const r = await tunelabInProcess(["sim", ...args, "--json", "--trace", file]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("tunelab sim --trace", () => {
  it.each([
    ["preemptions and checkpoints", ["--benchmark", "branin", "--trials", "10", "--gpus", "4", "--preemption-rate", "30", "--checkpoint-frequency", "5", "--max-failures", "-1", "--seed", "9"]],
    ["pbt with retention", ["--benchmark", "noisy-lr-schedule", "--scheduler", "pbt", "--trials", "8", "--gpus", "4", "--perturbation-interval", "10", "--keep-checkpoints", "1"]],
    ["asha", ["--benchmark", "hartmann6", "--scheduler", "asha", "--trials", "16", "--gpus", "4", "--max-iterations", "20"]],
  ])("every line of a run with %s has a documented event type", async (_name, args) => {
    const records = await traceOf(`${_name}.jsonl`, args);
    expect(records.length).toBeGreaterThan(0);
    const documented = Object.keys(TRACE_EVENT_TYPES);
    for (const record of records) expect(documented).toContain(record.type);
    records.forEach((record, i) => expect(record.seq).toBe(i + 1));
  });

  it("node_up records keep their type and name the node type in nodeType", async () => {
    const nodeUps = (await traceOf("nodes.jsonl", ["--benchmark", "branin", "--trials", "2", "--gpus", "16", "--max-iterations", "2"])).filter((r) => r.type === "node_up");
    expect(nodeUps).toHaveLength(2);
    for (const record of nodeUps) expect(record).toMatchObject({ type: "node_up", node: expect.any(String), nodeType: expect.any(String) });
  });

  it.each([
    ["a folder that does not exist", () => join(dir, "no-such-folder", "x.jsonl"), "its folder does not exist"],
    ["a folder", () => dir, "it is a folder"],
  ])("a path that is %s fails before the run with one line naming --trace", async (_name, path, why) => {
    const r = await server.run(["sim", "--trials", "100000", "--max-iterations", "1000", "--trace", path()], 20_000);
    // 10^8 iterations would take minutes: failing at once shows the check comes first.
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`tunelab: --trace: cannot write ${JSON.stringify(path())}: ${why}\n`);
  });
});
