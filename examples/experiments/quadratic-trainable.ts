/**
 * The trainable of quadratic.yaml, in the object form (`init`/`step`): gradient descent on
 * f(x) = (x - 3)^2 with noisy gradients, one descent step per iteration. The optimizer comes
 * from a conditional choice of the space: SGD with momentum, or sign descent. The state is
 * plain JSON, so checkpoints need no hooks. Used by README's experiment-file example and by
 * test/cli/run-command.test.ts.
 */
import type { Trainable } from "../../index.ts";

type Optimizer = { kind: "sgd"; lr: number; momentum: number } | { kind: "sign"; lr: number };

interface State {
  x: number;
  velocity: number;
}

const TARGET = 3;
const GRADIENT_NOISE = 0.1;

const quadratic: Trainable<State> = {
  name: "quadratic",
  init: (config) => ({ x: config["start"] as number, velocity: 0 }),
  step: (state, config, { rng }) => {
    const optimizer = config["optimizer"] as Optimizer;
    const gradient = 2 * (state.x - TARGET) + GRADIENT_NOISE * rng.normal();
    let { x, velocity } = state;
    if (optimizer.kind === "sgd") {
      velocity = optimizer.momentum * velocity - optimizer.lr * gradient;
      x += velocity;
    } else {
      x -= optimizer.lr * Math.sign(gradient);
    }
    const loss = (x - TARGET) ** 2;
    // A diverged run reports a finite, very bad loss and ends, rather than a NaN.
    if (!Number.isFinite(loss) || loss > 1e12) return { metrics: { loss: 1e12 }, state: { x: TARGET + 1e6, velocity: 0 }, done: true };
    return { metrics: { loss }, state: { x, velocity } };
  },
};

export default quadratic;
