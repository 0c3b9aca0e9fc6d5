import { checkNumber } from "../../core/errors/index.ts";
import type { Rng } from "../../core/rng.ts";

/** Hours in the month the AWS Spot Advisor's "frequency of interruption" refers to (8760 / 12). */
export const HOURS_PER_MONTH = 730;

/**
 * Per-node preemption rate (per hour) of a Poisson process that interrupts a
 * node within a month with probability `p`: P(no interruption in 730 h) =
 * exp(-lambda * 730) = 1 - p, so lambda = -ln(1 - p) / 730.
 */
export function ratePerHourFromMonthly(field: string, p: number): number {
  checkNumber(field, p, { min: 0, max: 0.999 });
  // -log1p(-p): exact for small p, and +0 (not -0) at p = 0.
  return p === 0 ? 0 : -Math.log1p(-p) / HOURS_PER_MONTH;
}

/**
 * The AWS Spot Advisor's interruption buckets ("frequency of interruption" over
 * the last month), each with the monthly probability this simulator uses for it:
 * the bucket's midpoint, and 25% for the open ">20%" bucket.
 */
export const SPOT_ADVISOR_BUCKETS = [
  { label: "<5%", monthly: 0.025 },
  { label: "5-10%", monthly: 0.075 },
  { label: "10-15%", monthly: 0.125 },
  { label: "15-20%", monthly: 0.175 },
  { label: ">20%", monthly: 0.25 },
] as const;

export type SpotAdvisorBucket = (typeof SPOT_ADVISOR_BUCKETS)[number]["label"];

/** Seconds until the next event of a Poisson process of `ratePerHour` (inverse-CDF draw; one uniform). */
export function exponentialSeconds(rng: Rng, ratePerHour: number): number {
  const u = rng.next();
  return (-Math.log(1 - u) / ratePerHour) * 3600;
}
