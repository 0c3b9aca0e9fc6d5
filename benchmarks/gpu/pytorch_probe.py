"""The PyTorch example trainable (examples/pytorch/train_mnist_like.py), unchanged,
plus what benchmarks/gpu/validate.sh checks: one line with the trial's pid,
CUDA_VISIBLE_DEVICES and the device torch reports, and per step the peak GPU
memory torch allocated. Needs torch; run as a command trainable."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples", "pytorch"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))

import torch  # noqa: E402
import train_mnist_like  # noqa: E402
import tunelab_trial  # noqa: E402


class Probe(train_mnist_like.MnistLike):
    def setup(self, config):
        super().setup(config)
        if self.device.type == "cuda":
            reported = "cuda:%d %s (torch sees %d device(s))" % (torch.cuda.current_device(), torch.cuda.get_device_name(), torch.cuda.device_count())
        else:
            reported = "cpu"
        print("probe pid=%d CUDA_VISIBLE_DEVICES=%s device=%s" % (os.getpid(), os.environ.get("CUDA_VISIBLE_DEVICES", "unset"), reported), flush=True)

    def step(self):
        out = super().step()
        out["on_gpu"] = 1.0 if self.device.type == "cuda" else 0.0
        out["peak_gpu_mb"] = torch.cuda.max_memory_allocated() / 2**20 if self.device.type == "cuda" else 0.0
        return out


if __name__ == "__main__":
    tunelab_trial.run(Probe)
