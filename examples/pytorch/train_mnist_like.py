"""A PyTorch trainable for TuneLab: a small MLP on an MNIST-shaped synthetic task.

Not run in CI (it needs torch). Run it as a command trainable:

    new ProcessExecutor({
      trainable: { command: ["python3", "examples/pytorch/train_mnist_like.py"] },
      seed: 0, experimentDir: "runs/mnist-like",
    })

with a space such as { lr: loguniform(1e-4, 1e-1), hidden: choice([64, 128, 256]), momentum: uniform(0.5, 0.99) }
and trial resources { cpu: 2, gpu: 0.5 }: the executor sets CUDA_VISIBLE_DEVICES to
the actor's GPU, and this script uses "cuda" whenever that names a device.

The data are 28x28 "images" drawn once from a fixed generator (seeded from the
trial's stream seed, so a trial is reproducible): ten class prototypes plus noise.
A checkpoint directory holds the model's and the optimizer's state_dict and the
epoch counter, so a pause, a failure retry or a PBT exploit (another trial's
directory, loaded with this trial's new config) resumes training exactly there.
"""

import hashlib
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import tunelab_trial  # noqa: E402

BATCH = 128
TRAIN, TEST = 8192, 2048
EPOCHS = 20


def device():
    visible = os.environ.get("CUDA_VISIBLE_DEVICES", "")
    return torch.device("cuda" if visible.strip() != "" and torch.cuda.is_available() else "cpu")


def make_data():
    seed = int(hashlib.sha256(b"mnist-like").hexdigest()[:8], 16)  # the same data for every trial
    g = torch.Generator().manual_seed(seed)
    prototypes = torch.rand(10, 28 * 28, generator=g)
    def draw(n):
        labels = torch.randint(0, 10, (n,), generator=g)
        images = prototypes[labels] + 0.6 * torch.randn(n, 28 * 28, generator=g)
        return images, labels
    return draw(TRAIN), draw(TEST)


class MnistLike(tunelab_trial.Trainable):
    def setup(self, config):
        self.device = device()
        # Per-trial randomness (init, shuffling) from the trial's stream seed.
        torch.manual_seed(int(hashlib.sha256(self.seed.encode()).hexdigest()[:8], 16))
        (self.x, self.y), (self.tx, self.ty) = [(a.to(self.device), b.to(self.device)) for a, b in make_data()]
        hidden = int(config.get("hidden", 128))
        self.model = nn.Sequential(nn.Linear(28 * 28, hidden), nn.ReLU(), nn.Linear(hidden, 10)).to(self.device)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=float(config["lr"]), momentum=float(config.get("momentum", 0.9)))
        self.epoch = 0
        print("trial %s on %s" % (self.trial_id, self.device), flush=True)

    def step(self):
        self.model.train()
        order = torch.randperm(TRAIN, device=self.device)
        for k in range(0, TRAIN, BATCH):
            idx = order[k : k + BATCH]
            self.optimizer.zero_grad()
            loss = nn.functional.cross_entropy(self.model(self.x[idx]), self.y[idx])
            loss.backward()
            self.optimizer.step()
        self.epoch += 1
        self.model.eval()
        with torch.no_grad():
            logits = self.model(self.tx)
            test_loss = nn.functional.cross_entropy(logits, self.ty).item()
            accuracy = (logits.argmax(1) == self.ty).float().mean().item()
        return {"loss": test_loss, "accuracy": accuracy, "done": self.epoch >= EPOCHS}

    def save(self, checkpoint_dir):
        torch.save(
            {"model": self.model.state_dict(), "optimizer": self.optimizer.state_dict(), "epoch": self.epoch},
            os.path.join(checkpoint_dir, "model.pt"),
        )

    def load(self, checkpoint_dir):
        state = torch.load(os.path.join(checkpoint_dir, "model.pt"), map_location=self.device)
        self.model.load_state_dict(state["model"])
        lr = [g["lr"] for g in self.optimizer.param_groups]
        momentum = [g["momentum"] for g in self.optimizer.param_groups]
        self.optimizer.load_state_dict(state["optimizer"])
        # After an exploit the new config's lr and momentum apply, not the donor's.
        for group, l, m in zip(self.optimizer.param_groups, lr, momentum):
            group["lr"], group["momentum"] = l, m
        self.epoch = state["epoch"]


if __name__ == "__main__":
    tunelab_trial.run(MnistLike)
