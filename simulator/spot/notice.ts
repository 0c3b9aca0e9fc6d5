import { oneOf } from "../../core/errors/index.ts";

/**
 * Warning before a spot node is reclaimed, per provider: AWS sends a two-minute
 * interruption notice; GCP (preemptible and Spot VMs) and Azure (Spot VMs, via
 * Scheduled Events) give 30 seconds.
 */
export const PROVIDER_NOTICE_SECONDS = { aws: 120, gcp: 30, azure: 30 } as const;

export type CloudProvider = keyof typeof PROVIDER_NOTICE_SECONDS;
export const CLOUD_PROVIDERS = Object.keys(PROVIDER_NOTICE_SECONDS) as CloudProvider[];

export function noticeSecondsFor(field: string, provider: unknown): number {
  return PROVIDER_NOTICE_SECONDS[oneOf(field, provider, CLOUD_PROVIDERS)];
}
