import { parseArgs } from "node:util";
import { OptionError } from "../../core/errors/index.ts";
import { numberFlag } from "../script-flags.ts";

export interface TpeScriptFlags {
  readonly mode: "univariate" | "multivariate";
  /** Finished trials before the timed suggestions. */
  readonly n: number;
  /** Timed suggestions. */
  readonly repeats: number;
  /** A git revision whose searcher is timed in the same process, or undefined. */
  readonly baseline: string | undefined;
}

/**
 * The flags of the TPE timing scripts (`--mode`, `--n`, `--repeats`, `--baseline`), read
 * once: a bad value is one line naming the flag, an unknown flag is refused.
 */
export function readTpeScriptFlags(defaultMode: TpeScriptFlags["mode"]): TpeScriptFlags {
  const { values } = parseArgs({
    options: { mode: { type: "string", default: defaultMode }, n: { type: "string" }, repeats: { type: "string" }, baseline: { type: "string" } },
  });
  const mode = values.mode;
  if (mode !== "univariate" && mode !== "multivariate") throw new OptionError("--mode", `must be univariate or multivariate, got ${mode}`);
  return {
    mode,
    n: numberFlag("n", values.n, 2000, { integer: true, min: 20 }),
    repeats: numberFlag("repeats", values.repeats, 200, { integer: true, min: 1 }),
    baseline: values.baseline,
  };
}
