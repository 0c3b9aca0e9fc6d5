export { CARTPOLE, cartPoleReset, cartPoleStep, type CartPoleState, type CartPoleTransition } from "./cartpole-env.ts";
export { cartPoleObjective, cartPoleSpace, hyperparams as cartPoleHyperparams, CARTPOLE_SOLVED_RETURN, type CartPoleOptions } from "./cartpole-trainable.ts";
export { initReinforce, reinforceUpdate, meanRecentReturn, RETURN_WINDOW, VALUE_LR, type ReinforceHyperparams, type ReinforceState } from "./reinforce.ts";
export { initAdam, adamStep, ADAM, type AdamState } from "./adam.ts";
export { initMlp, mlpForward, mlpBackward, parameterCount, type MlpShape } from "./mlp.ts";
