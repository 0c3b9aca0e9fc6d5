import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { tunelabCli } from "../_helpers/tunelab-cli.ts";
import { TunelabServer } from "../_helpers/tunelab-server.ts";

/**
 * Issue 17, section 2: no accepted value may hang or exhaust memory. Each run has
 * a hard time limit (SIGKILL); before the fixes each of these ran past it.
 */
const LIMIT_MS = 30_000;
// The runs go to one child process, each under the limit (a run past it gets the child killed, as a
// spawn's timeout would); one real spawn checks what only a process shows: its exit status and stderr.
const server = new TunelabServer();
afterAll(() => server.close());

describe("tunelab sim: values that used to hang or exhaust memory", () => {
  it("a real process: --preemption-rate 5000 exits 1 with the deadlock line", () => {
    const r = tunelabCli(["sim", "--trials", "4", "--max-iterations", "5", "--preemption-rate", "5000"], { timeoutMs: LIMIT_MS });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^tunelab: DeadlockError: deadlock: no trial reported a result through the last 10000 restarts \(\d+ after preemptions, 0 after failures\).*preempted faster than trials start/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  // 5000 above, in a real process.
  it.each([
    [["--preemption-rate", "1e6"]],
  ])("%j ends with a deadlock message instead of spinning", async (args) => {
    const r = await server.run(["sim", "--trials", "4", "--max-iterations", "5", ...args], LIMIT_MS);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tunelab: DeadlockError: deadlock: no trial reported a result through the last 10000 restarts \(\d+ after preemptions, 0 after failures\).*preempted faster than trials start/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it.each([
    [["--scheduler", "hyperband", "--reduction-factor", "1.0001"], "tunelab: --reduction-factor: 1.0001 makes 43947 brackets for a span of 81; at most 100, since every one is planned up front and kept in memory: use a reduction factor >= 1.0454\n"],
    [["--scheduler", "asha", "--reduction-factor", "1.0000001"], "tunelab: --reduction-factor: 1.0000001 makes 46051705 rungs for a span of 100; at most 100, since every one is planned up front and kept in memory: use a reduction factor >= 1.0477\n"],
    [["--gpus", "100000000"], "tunelab: --gpus: at most 80000 (10000 simulated nodes of 8), since the simulator keeps every node in memory, got 100000000\n"],
    [["--trials", "100000000", "--max-iterations", "1"], "tunelab: --trials: at most 100000, since every trial's record is kept in memory for the summary, got 100000000\n"],
  ])("%j is refused up front with the bound and the reason", async (args, message) => {
    const r = await server.run(["sim", ...args], LIMIT_MS);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(message);
  });
});

describe("tunelab sim with random accepted values", () => {
  it("every run ends within the time limit, or exits 2 with one line", async () => {
    const scheduler = fc.constantFrom("fifo", "asha", "asha-promotion", "hyperband", "median", "pbt", "pb2", "hyperband-bohb");
    const flags = fc.record({
      benchmark: fc.constantFrom("branin", "hartmann3", "pbt-toy"),
      searcher: fc.constantFrom("random", "tpe", "bohb", "grid"),
      scheduler,
      trials: fc.integer({ min: 1, max: 12 }),
      gpus: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.constant(100_000_000)),
      maxIterations: fc.integer({ min: 1, max: 12 }),
      preemptionRate: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true })),
      checkpointFrequency: fc.integer({ min: 0, max: 4 }),
      maxFailures: fc.integer({ min: -1, max: 2 }),
      reductionFactor: fc.option(fc.double({ min: 1.000001, max: 5, noNaN: true }), { nil: undefined }),
      maxT: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
      gridPoints: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(flags, async (f) => {
        const args = ["sim", "--json", "--benchmark", f.benchmark, "--searcher", f.searcher, "--scheduler", f.scheduler];
        args.push("--trials", String(f.trials), "--gpus", String(f.gpus), "--max-iterations", String(f.maxIterations));
        args.push("--preemption-rate", String(f.preemptionRate), "--checkpoint-frequency", String(f.checkpointFrequency), "--max-failures", String(f.maxFailures));
        if (f.reductionFactor !== undefined) args.push("--reduction-factor", String(f.reductionFactor));
        if (f.maxT !== undefined) args.push("--max-t", String(f.maxT));
        if (f.gridPoints !== undefined) args.push("--grid-points", String(f.gridPoints));
        const r = await server.run(args, LIMIT_MS);
        expect(r.crashed, r.stderr).toBe(false);
        expect(r.signal, `killed at ${LIMIT_MS} ms: tunelab ${args.join(" ")}`).toBeNull();
        const errors = r.stderr.split("\n").filter((line) => line !== "" && !line.startsWith("tunelab: warning: "));
        if (r.code === 0) {
          expect(JSON.parse(r.stdout).trials).toBeGreaterThan(0);
          expect(errors).toEqual([]);
        } else {
          // Bad input (2) or a run that cannot progress (1, DeadlockError): one line, never a stack trace.
          expect([1, 2], r.stderr).toContain(r.code);
          expect(errors, r.stderr).toHaveLength(1);
          expect(errors[0]).toMatch(/^tunelab: /);
          if (r.code === 1) expect(errors[0]).toMatch(/^tunelab: DeadlockError: /);
        }
      }),
      { numRuns: 8 },
    );
  }, 600_000);
});
