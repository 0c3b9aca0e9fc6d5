"""One-step Python trainable for the trial-start figure of benchmarks/perf/real-overhead.ts."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "python"))
import tunelab_trial  # noqa: E402


class OneStep(tunelab_trial.Trainable):
    def setup(self, config):
        self.config = config

    def step(self):
        return {"loss": 1.0, "done": True}

    def reset(self, config):
        self.config = config
        return True


if __name__ == "__main__":
    tunelab_trial.run(OneStep)
