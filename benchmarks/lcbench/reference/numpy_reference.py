"""Independent reference predictions for the LCBench surrogate (test fixture generator).

Evaluates YAHPO's model.onnx with a small NumPy interpreter of the graph's
operators (read with Debian's python3-onnx 1.12, which has no evaluator of its
own), so the numbers do not come from ONNX Runtime, the engine TuneLab uses.
The inputs are built here from the YAHPO Gym rules (cont_names order, raw
units, encoding.json for the task), independently of TuneLab's encoder.

    apt-get install python3-onnx
    /usr/bin/python3 benchmarks/lcbench/reference/numpy_reference.py ../shared/data/yahpo-lcbench \
        > test/benchmarks/lcbench/reference-predictions.json
"""
import json
import sys

import numpy as np
import onnx
from onnx import numpy_helper

CONT_NAMES = ["epoch", "batch_size", "learning_rate", "momentum", "weight_decay", "num_layers", "max_units", "max_dropout"]
Y_NAMES = ["time", "val_accuracy", "val_cross_entropy", "val_balanced_accuracy", "test_cross_entropy", "test_balanced_accuracy"]

CASES = [
    {"task": "3945", "config": {"batch_size": 91, "learning_rate": 0.0031622777, "momentum": 0.545, "weight_decay": 0.050005, "num_layers": 3, "max_units": 256, "max_dropout": 0.5}},
    {"task": "3945", "config": {"batch_size": 16, "learning_rate": 0.1, "momentum": 0.99, "weight_decay": 1e-05, "num_layers": 5, "max_units": 1024, "max_dropout": 0.0}},
    {"task": "189909", "config": {"batch_size": 512, "learning_rate": 0.0001, "momentum": 0.1, "weight_decay": 0.1, "num_layers": 1, "max_units": 64, "max_dropout": 1.0}},
    {"task": "167190", "config": {"batch_size": 128, "learning_rate": 0.01, "momentum": 0.9, "weight_decay": 0.001, "num_layers": 2, "max_units": 512, "max_dropout": 0.2}},
]
EPOCHS = [1, 2, 10, 26, 52]


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def run(model, feeds):
    env = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    env.update(feeds)
    for node in model.graph.node:
        a = attrs(node)
        x = [env[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Constant":
            y = numpy_helper.to_array(a["value"])
        elif op == "Gather":
            y = np.take(x[0], x[1], axis=a.get("axis", 0))
        elif op == "Cast":
            y = x[0].astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[a["to"]])
        elif op in ("Add", "Sub", "Mul", "Div"):
            y = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide}[op](x[0], x[1])
        elif op == "Log":
            y = np.log(x[0])
        elif op == "Exp":
            y = np.exp(x[0])
        elif op == "Relu":
            y = np.maximum(x[0], 0)
        elif op == "Sigmoid":
            y = 1 / (1 + np.exp(-x[0]))
        elif op == "Unsqueeze":
            y = np.expand_dims(x[0], tuple(int(v) for v in (x[1] if len(x) > 1 else a["axes"])))
        elif op == "Concat":
            y = np.concatenate(x, axis=a["axis"])
        elif op == "Shape":
            y = np.array(x[0].shape, dtype=np.int64)
        elif op == "Slice":
            starts, ends = x[1], x[2]
            axes = x[3] if len(x) > 3 and x[3] is not None else range(len(starts))
            steps = x[4] if len(x) > 4 and x[4] is not None else [1] * len(starts)
            sl = [slice(None)] * x[0].ndim
            for s, e, ax, st in zip(starts, ends, axes, steps):
                sl[int(ax)] = slice(int(s), int(min(e, 2**62)), int(st))
            y = x[0][tuple(sl)]
        elif op == "Gemm":
            A = x[0].T if a.get("transA", 0) else x[0]
            B = x[1].T if a.get("transB", 0) else x[1]
            y = a.get("alpha", 1.0) * (A @ B)
            if len(x) > 2 and x[2] is not None:
                y = y + a.get("beta", 1.0) * x[2]
        elif op == "BatchNormalization":
            scale, bias, mean, var = x[1:5]
            shape = (1, -1) + (1,) * (x[0].ndim - 2)
            y = (x[0] - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + a.get("epsilon", 1e-5)) * scale.reshape(shape) + bias.reshape(shape)
        else:
            raise NotImplementedError(op)
        env[node.output[0]] = np.asarray(y)
    return env[model.graph.output[0].name]


def main(data_dir):
    model = onnx.load(f"{data_dir}/model.onnx")
    encoding = json.load(open(f"{data_dir}/encoding.json"))["OpenML_task_id"]
    out = []
    for case in CASES:
        rows = [[e] + [case["config"][n] for n in CONT_NAMES[1:]] for e in EPOCHS]
        x_cont = np.array(rows, dtype=np.float32)
        x_cat = np.full((len(EPOCHS), 1), encoding[case["task"]], dtype=np.int32)
        y = run(model, {"x_cat": x_cat, "x_cont": x_cont}).astype(np.float64)
        out.append({**case, "epochs": EPOCHS, "predictions": {name: y[:, k].tolist() for k, name in enumerate(Y_NAMES)}})
    json.dump({"generator": "benchmarks/lcbench/reference/numpy_reference.py (NumPy interpreter of model.onnx)", "cases": out}, sys.stdout, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
