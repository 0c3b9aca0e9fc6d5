export { PopulationBasedTraining, type PopulationBasedTrainingOptions } from "./population-based-training.ts";
export { PopulationBasedTrainingReplay } from "./replay.ts";
export type { Mutation, MutationSpec, MutationFunction, CustomExploreFn } from "./mutations.ts";
export { policySchedule, type Policy, type PolicyEntry } from "./policy.ts";
export { mutationsFromSpace, boundsFromSpace, integerKeysFromSpace } from "./from-space.ts";
