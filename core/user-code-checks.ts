/**
 * Checks of what user code (an objective's or trainable's `step`) hands back,
 * so a mistake there fails its trial with a message that names the code and
 * what it broke, instead of a TypeError or DataCloneError from deep inside an
 * executor. `subject` is e.g. `objective "my-curves"`.
 */
export function stepOutcomeProblem(subject: string, trialId: string, outcome: unknown, needsSeconds: boolean): string | undefined {
  const where = `${subject}: step for trial ${trialId}`;
  if (typeof outcome !== "object" || outcome === null) {
    return `${where} returned ${describe(outcome)}; it must return { metrics, ${needsSeconds ? "seconds, " : ""}state }`;
  }
  const { metrics } = outcome as { metrics?: unknown };
  if (typeof metrics !== "object" || metrics === null || Array.isArray(metrics)) {
    return `${where} returned metrics ${describe(metrics)}; it must be an object of numbers, e.g. { loss: 0.5 }`;
  }
  return undefined;
}

/** Copies a trial's state for a checkpoint, or says which code's state cannot be copied and why. */
export function cloneTrialState(subject: string, trialId: string, state: unknown): { state: unknown } | { problem: string } {
  try {
    return { state: structuredClone(state) };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return {
      problem: `${subject}: the state of trial ${trialId} cannot be copied for a checkpoint (${why}); keep functions, class instances with private fields, and handles out of the state`,
    };
  }
}

/** A value as a message shows it: strings quoted, so "0.5" and 0.5 read differently. */
export function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? `an object` : `a ${typeof value}`;
}
