import fc from "fast-check";

// CI pins the seed so a red run is reproducible; locally each run explores new
// cases. Either way fast-check prints the seed and the counterexample path on failure.
const pinned = process.env.FC_SEED ?? (process.env.CI ? "20261128" : undefined);
if (pinned !== undefined) fc.configureGlobal({ seed: Number(pinned) });
