"""A small deterministic trainable: gradient descent on (w - target)^2 with step size lr.

Run by TuneLab as a command trainable:
    { command: ["/usr/bin/python3", "examples/python/train_quadratic.py"] }
The state (w and the iteration) is saved as JSON in the checkpoint directory,
so PBT exploits and pauses restore it.
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import tunelab_trial  # noqa: E402

TARGET = 3.0


class Quadratic(tunelab_trial.Trainable):
    def setup(self, config):
        self.lr = float(config["lr"])
        self.w = 0.0
        self.t = 0
        self.max_t = int(config.get("max_t", 20))

    def step(self):
        self.w -= self.lr * 2 * (self.w - TARGET)
        self.t += 1
        print("iteration %d w=%.6f" % (self.t, self.w))  # goes to stdout.log, not the channel
        return {"loss": (self.w - TARGET) ** 2, "done": self.t >= self.max_t}

    def save(self, checkpoint_dir):
        with open(os.path.join(checkpoint_dir, "state.json"), "w") as f:
            json.dump({"w": self.w, "t": self.t}, f)

    def load(self, checkpoint_dir):
        with open(os.path.join(checkpoint_dir, "state.json")) as f:
            state = json.load(f)
        self.w, self.t = state["w"], state["t"]

    def reset(self, config):
        self.setup(config)
        return True


if __name__ == "__main__":
    tunelab_trial.run(Quadratic)
