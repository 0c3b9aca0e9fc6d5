export { PopulationBasedTraining, type PopulationBasedTrainingOptions } from "./population-based-training.ts";
export { PopulationBasedTrainingReplay } from "./replay.ts";
export { explore, clampToDomain, type Mutation, type MutationSpec, type MutationFunction, type CustomExploreFn, type ExploreOperations } from "./mutations.ts";
export { pbtQuantiles, type ScoredMember } from "./quantiles.ts";
export { policySchedule, type Policy, type PolicyEntry } from "./policy.ts";
export { mutationsFromSpace, boundsFromSpace, integerKeysFromSpace } from "./from-space.ts";
