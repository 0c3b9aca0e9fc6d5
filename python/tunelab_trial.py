"""TuneLab trial protocol, version 1: the Python client (standard library only).

A trainable is a class with Ray Tune's class API::

    class Train(tunelab_trial.Trainable):
        def setup(self, config): ...
        def step(self): return {"loss": ...}          # add "done": True on the last one
        def save(self, checkpoint_dir): ...            # write files into the directory
        def load(self, checkpoint_dir): ...            # read them back (maybe another trial's)
        def reset(self, config): return True           # optional: lets one process serve many trials

    if __name__ == "__main__":
        tunelab_trial.run(Train)

The driver talks on file descriptors 3 (commands to us) and 4 (replies), one
JSON object per line, so print() and logging go to stdout/stderr untouched.
The full protocol is in docs/protocol.md.
"""

import json
import math
import os
import sys
import traceback

PROTOCOL_VERSION = 1


class Trainable:
    """Base class; override setup and step, and save/load for checkpoints."""

    #: Set before setup(): the trial's id and the seed string of its random stream.
    trial_id = None
    seed = None

    def setup(self, config):
        raise NotImplementedError("setup(config)")

    def step(self):
        raise NotImplementedError("step()")

    def save(self, checkpoint_dir):
        raise NotImplementedError("save(checkpoint_dir): this trainable cannot checkpoint")

    def load(self, checkpoint_dir):
        raise NotImplementedError("load(checkpoint_dir): this trainable cannot restore")

    def reset(self, config):
        """Re-initialise for a new trial in this process; return True when done."""
        return False


def _supports_reset(cls):
    return getattr(cls, "reset", None) is not getattr(Trainable, "reset")


class _Channel:
    def __init__(self):
        self._in = os.fdopen(3, "r", encoding="utf-8")
        self._out = os.fdopen(4, "w", encoding="utf-8")

    def send(self, message):
        # The trainable's prints go to its stdout.log before the message that follows them.
        sys.stdout.flush()
        sys.stderr.flush()
        # allow_nan=False: a NaN metric is an error here, not a line the driver cannot read.
        self._out.write(json.dumps(message, allow_nan=False) + "\n")
        self._out.flush()

    def commands(self):
        for line in self._in:
            if line.strip():
                yield json.loads(line)


def _limit_memory():
    limit = os.environ.get("TUNELAB_MAX_MEMORY_MB")
    if not limit:
        return
    try:
        import resource

        size = int(limit) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    except (ImportError, ValueError, OSError):
        pass


def _metrics(out):
    if not isinstance(out, dict):
        raise TypeError("step() must return a dict of metrics, got %s" % type(out).__name__)
    done = bool(out.get("done", False))
    metrics = {}
    for name, value in out.items():
        if name == "done":
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError("metric %r is not a number: %r" % (name, value))
        if not math.isfinite(value):
            raise ValueError("metric %r is not finite: %r" % (name, value))
        metrics[name] = value
    return {"type": "result", "metrics": metrics, "done": done}


def run(trainable_class):
    """Serves the driver until it says stop: the main loop of a trial process."""
    _limit_memory()
    channel = _Channel()
    channel.send({"type": "ready", "version": PROTOCOL_VERSION, "reuse": _supports_reset(trainable_class)})
    instance = None
    try:
        for cmd in channel.commands():
            kind = cmd.get("type")
            if kind == "start":
                if cmd.get("version") != PROTOCOL_VERSION:
                    raise RuntimeError("driver speaks protocol %r, this helper %d" % (cmd.get("version"), PROTOCOL_VERSION))
                fresh = instance is None
                if not fresh:
                    instance.trial_id, instance.seed = cmd["trialId"], cmd["seed"]
                    fresh = not instance.reset(cmd["config"])
                if fresh:
                    instance = trainable_class()
                    instance.trial_id, instance.seed = cmd["trialId"], cmd["seed"]
                    instance.setup(cmd["config"])
                if cmd.get("restoreDir") is not None:
                    instance.load(cmd["restoreDir"])
                channel.send(_metrics(instance.step()))
            elif kind == "continue":
                channel.send(_metrics(instance.step()))
            elif kind == "save":
                instance.save(cmd["dir"])
                channel.send({"type": "saved"})
            elif kind == "restore":
                # A new config and a checkpoint (possibly another trial's: a PBT exploit).
                trial_id, seed = instance.trial_id, instance.seed
                if not instance.reset(cmd["config"]):
                    instance = trainable_class()
                    instance.trial_id, instance.seed = trial_id, seed
                    instance.setup(cmd["config"])
                instance.load(cmd["dir"])
                channel.send(_metrics(instance.step()))
            elif kind == "stop":
                return
            else:
                raise RuntimeError("unknown command %r" % kind)
    except Exception as error:  # the trial fails with this one line; details go to stderr.log
        traceback.print_exc(file=sys.stderr)
        channel.send({"type": "error", "message": "%s: %s" % (type(error).__name__, error)})
        sys.exit(1)
