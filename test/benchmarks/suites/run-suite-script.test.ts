import { describe, expect, it, vi } from "vitest";
import { runSuiteScript } from "../../../benchmarks/suites/run-suite-script.ts";

describe("runSuiteScript (what compare-schedulers and compare-pbt became)", () => {
  it("refuses a flag of the old script with a pointer to the study script that keeps it", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(runSuiteScript("benchmarks/compare-pbt.ts", "rl", "benchmarks/studies/pbt-issue5.ts", ["--power"])).toBe(2);
      const text = write.mock.calls.map((c) => String(c[0])).join("");
      expect(text).toContain('benchmarks/compare-pbt.ts moved: its grid is the "rl" suite of `tunelab bench`; its own figures are `npx tsx benchmarks/studies/pbt-issue5.ts`.');
      expect(text).toContain("benchmarks/compare-pbt.ts: --power is not a runner flag (only --seeds N and --out DIR)");
    } finally {
      write.mockRestore();
    }
  });
});
