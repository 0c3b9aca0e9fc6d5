import { checkNumber, integerAtLeast, positiveInteger, positiveNumber } from "../core/errors/index.ts";
import { checkKnownKeys } from "./spec-keys.ts";

/** How the simulated autoscaler scales up and when it gives up on spot. */
export interface AutoscalerSpec {
  /**
   * Trials of the unplaced shape counted as pending demand when one cannot be
   * placed, like Ray Tune's pending placement groups (TUNE_MAX_PENDING_TRIALS_PG:
   * at least 200 since Ray 2.10, 16 before), capped by the trials not yet started.
   * @defaultValue 200
   */
  readonly pendingTrials?: number;
  /** Launches in flight at most max(5, upscalingSpeed x nodes up), as Ray's upscaling_speed. @defaultValue 1 */
  readonly upscalingSpeed?: number;
  /** After `failures` spot launch failures or preemptions within `windowSeconds`, launch on-demand types instead of spot until the window holds fewer. @defaultValue 3 in 1800 s */
  readonly spotFallback?: { readonly failures?: number; readonly windowSeconds?: number };
}

export interface ResolvedAutoscaler {
  readonly pendingTrials: number;
  readonly upscalingSpeed: number;
  readonly fallbackFailures: number;
  readonly fallbackWindowSeconds: number;
}

const AUTOSCALER_KEYS: Record<keyof AutoscalerSpec, true> = { pendingTrials: true, upscalingSpeed: true, spotFallback: true };
const FALLBACK_KEYS: Record<keyof NonNullable<AutoscalerSpec["spotFallback"]>, true> = { failures: true, windowSeconds: true };

export function checkAutoscaler(field: string, spec: AutoscalerSpec): ResolvedAutoscaler {
  checkKnownKeys(field, spec, AUTOSCALER_KEYS, "{ pendingTrials, upscalingSpeed, spotFallback }");
  const fallback = spec.spotFallback ?? {};
  checkKnownKeys(`${field}.spotFallback`, fallback, FALLBACK_KEYS, "{ failures, windowSeconds }");
  return {
    pendingTrials: spec.pendingTrials !== undefined ? positiveInteger(`${field}.pendingTrials`, spec.pendingTrials) : 200,
    upscalingSpeed: spec.upscalingSpeed !== undefined ? positiveNumber(`${field}.upscalingSpeed`, spec.upscalingSpeed) : 1,
    fallbackFailures: fallback.failures !== undefined ? integerAtLeast(`${field}.spotFallback.failures`, fallback.failures, 1) : 3,
    fallbackWindowSeconds: fallback.windowSeconds !== undefined ? checkNumber(`${field}.spotFallback.windowSeconds`, fallback.windowSeconds, { above: 0 }) : 1800,
  };
}
