/**
 * The trainable of cartpole.yaml: CartPole-v1 learned by REINFORCE with a value
 * baseline (TuneLab's plain-TypeScript agent). One step is about 20 training
 * episodes; it reports `mean_return`, the mean return of the last 10 episodes
 * (500 at most). Its state (policy and value weights, Adam moments) is plain
 * JSON, so each checkpoint is a state.json and a PBT exploit copies the weights.
 */
import { cartPoleObjective } from "../index.ts";

export default cartPoleObjective({ episodesPerStep: 20 });
