import { checkNumber, oneOf, OptionError } from "../../core/errors/index.ts";
import type { Rng } from "../../core/rng.ts";
import { checkKnownKeys } from "../spec-keys.ts";

/**
 * Seconds from asking the cloud for a node to the node joining the cluster.
 * `lognormal` (the default) is right-skewed like measured VM start-up times;
 * `fixed` is for tests and for studies that want no variance.
 */
export type LaunchDelay = { readonly kind: "fixed"; readonly seconds: number } | { readonly kind: "lognormal"; readonly medianSeconds: number; readonly sigma: number };

/**
 * Default: median 120 s, sigma 0.3 (90% of launches within about 78-196 s). VM
 * boot alone measured about 1.5 min on EC2 for Linux on-demand instances, with
 * longer and more variable waits for spot (Mao and Humphrey, "A Performance
 * Study on the VM Startup Time in the Cloud", IEEE CLOUD 2012); later
 * measurements on AWS and GCP found boots quicker (Hao et al., "An Empirical
 * Analysis of VM Startup Times in Public IaaS Clouds", 2021). A Ray worker
 * also pulls its image and starts Ray before it takes work, so about 2 minutes
 * from request to a usable node.
 */
export const DEFAULT_LAUNCH_DELAY: LaunchDelay = { kind: "lognormal", medianSeconds: 120, sigma: 0.3 };

export function checkLaunchDelay(field: string, delay: LaunchDelay): LaunchDelay {
  checkKnownKeys(field, delay, { kind: true, seconds: true, medianSeconds: true, sigma: true }, "{ kind: fixed, seconds } or { kind: lognormal, medianSeconds, sigma }");
  const kind = oneOf(`${field}.kind`, (delay as { kind?: unknown }).kind, ["fixed", "lognormal"] as const);
  const stray = Object.keys(delay).find((key) => key !== "kind" && !(kind === "fixed" ? ["seconds"] : ["medianSeconds", "sigma"]).includes(key));
  if (stray !== undefined) throw new OptionError(`${field}.${stray}`, `does not go with kind ${kind} (${kind === "fixed" ? "{ kind: fixed, seconds }" : "{ kind: lognormal, medianSeconds, sigma }"})`);
  if (kind === "fixed") return { kind, seconds: checkNumber(`${field}.seconds`, (delay as { seconds?: unknown }).seconds, { min: 0 }) };
  const d = delay as { medianSeconds?: unknown; sigma?: unknown };
  return { kind, medianSeconds: checkNumber(`${field}.medianSeconds`, d.medianSeconds, { min: 0 }), sigma: checkNumber(`${field}.sigma`, d.sigma, { min: 0, max: 3 }) };
}

export function sampleLaunchDelay(delay: LaunchDelay, rng: Rng): number {
  if (delay.kind === "fixed") return delay.seconds;
  return delay.medianSeconds * Math.exp(delay.sigma * rng.normal());
}
