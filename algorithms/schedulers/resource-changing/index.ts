export { ResourceChangingScheduler, type ResourceChangingSchedulerOptions } from "./resource-changing-scheduler.ts";
export { DistributeResources, type DistributeResourcesOptions } from "./distribute-resources.ts";
export { DistributeResourcesToTopJob, type DistributeResourcesToTopJobOptions } from "./distribute-resources-to-top-job.ts";
export { liveTrials, type AllocationContext, type ResourceAllocationFunction, type ResourceAllocationPolicy } from "./allocation.ts";
export { resourceChangingFromSpec, RESOURCE_POLICIES, type ResourceChangingSpec, type ResourcePolicyName } from "./from-spec.ts";
