export {
  TrialStopped,
  type TrainableClass,
  type TrainableClassInstance,
  type TrainableFunction,
  type TrialContext,
  type TrialSession,
} from "./forms.ts";
