import fc from "fast-check";

/**
 * One step of an event script: which in-flight trial reports next (`pick`, taken
 * modulo the number of trials with an operation in flight, ordered by when their
 * operation was commanded) and what happens to it. Past the end of the script,
 * the oldest command reports (workers progress side by side, as with equal step
 * times): a shrunk script lists only the reorderings and failures a bug needs.
 */
export interface ScriptStep {
  readonly pick: number;
  readonly event: "result" | "fail" | "preempt";
}

/** A script as one short line: `1 0 2! 0~` means pick 1, pick 0, pick 2 which fails, pick 0 which is preempted. */
export function formatScript(script: readonly ScriptStep[]): string {
  if (script.length === 0) return "(empty: every event is the oldest in-flight command's result)";
  return script.map((s) => `${s.pick}${s.event === "fail" ? "!" : s.event === "preempt" ? "~" : ""}`).join(" ");
}

/** Random scripts; `failures` false keeps only results (random orders without failures or preemptions). */
export function scriptArbitrary(maxLength: number, failures: boolean): fc.Arbitrary<ScriptStep[]> {
  const event = failures
    ? fc.oneof(
        { weight: 10, arbitrary: fc.constant("result" as const) },
        { weight: 1, arbitrary: fc.constant("fail" as const) },
        { weight: 1, arbitrary: fc.constant("preempt" as const) },
      )
    : fc.constant("result" as const);
  return fc.array(fc.record({ pick: fc.nat(7), event }), { maxLength });
}
