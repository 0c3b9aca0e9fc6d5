export { HOURS_PER_MONTH, ratePerHourFromMonthly, SPOT_ADVISOR_BUCKETS, exponentialSeconds, type SpotAdvisorBucket } from "./poisson.ts";
export { CLOUD_PROVIDERS, noticeSecondsFor, PROVIDER_NOTICE_SECONDS, type CloudProvider } from "./notice.ts";
export { checkStorm, parseStorm, pickVictims, stormVictims, type Storm } from "./storm.ts";
export { AvailabilitySchedule, checkAvailability, parseAvailabilityCsv, type AvailabilityPoint } from "./availability-trace.ts";
export { checkLaunchDelay, DEFAULT_LAUNCH_DELAY, sampleLaunchDelay, type LaunchDelay } from "./launch-delay.ts";
