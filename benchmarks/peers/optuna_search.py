"""Optuna's side of benchmarks/compare-search.ts (issue 4): same problems, bounds,
budgets (25/50/100 evaluations) and seeds 0..9; simple regret median [IQR], then ms
per suggestion on Hartmann6 with N finished trials in history.

    /usr/bin/python3 benchmarks/peers/optuna_search.py            # both tables
    /usr/bin/python3 benchmarks/peers/optuna_search.py --quality
    /usr/bin/python3 benchmarks/peers/optuna_search.py --speed
    /usr/bin/python3 benchmarks/peers/optuna_search.py --quality --seeds 100 40   # held-out seeds (compare-search.ts --tpe-sweep)
    /usr/bin/python3 benchmarks/peers/optuna_search.py --quality --seeds 0 100 --dump optuna-regrets.json
        # also writes every run's regret at 25/50/100 (compare-search.ts --target-odds reads it)

Uses Debian's python3-optuna (3.1). The functions are re-stated here from
benchmarks/objectives/functions/*.ts and the mixed problem of compare-search.ts.
"""
import json
import math
import sys
import time
import warnings

import numpy as np
import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore")


def branin(x):
    b = 5.1 / (4 * math.pi ** 2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    inner = x[1] - b * x[0] ** 2 + c * x[0] - 6
    return inner ** 2 + 10 * (1 - t) * math.cos(x[0]) + 10


ALPHA = [1.0, 1.2, 3.0, 3.2]
A3 = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]]
P3 = [[0.3689, 0.117, 0.2673], [0.4699, 0.4387, 0.747], [0.1091, 0.8732, 0.5547], [0.0381, 0.5743, 0.8828]]
A6 = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P6 = [
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
    [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
    [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
]


def hartmann(x, a, p):
    total = 0.0
    for i in range(4):
        inner = sum(a[i][j] * (x[j] - p[i][j]) ** 2 for j in range(len(x)))
        total -= ALPHA[i] * math.exp(-inner)
    return total


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def synthetic(name, f, bounds, optimum):
    def objective(trial):
        x = [trial.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(bounds)]
        return f(x)

    return name, objective, optimum


ACTIVATION = {"relu": 0.0, "tanh": 0.5, "gelu": 0.2}


def mixed(trial):
    lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    layers = trial.suggest_int("layers", 1, 5)
    width = trial.suggest_int("width", 16, 256, step=16)
    activation = trial.suggest_categorical("activation", ["relu", "tanh", "gelu"])
    optimizer = trial.suggest_categorical("optimizer", ["sgd", "adam"])
    if optimizer == "sgd":
        momentum = trial.suggest_float("momentum", 0.0, 0.99)
        opt_term = 2 * (momentum - 0.9) ** 2 + 0.3
    else:
        opt_term = 0.1
    return (math.log10(lr) + 3) ** 2 + 0.3 * (layers - 3) ** 2 + 0.5 * ((width - 128) / 64) ** 2 + ACTIVATION[activation] + opt_term


PROBLEMS = [
    synthetic("branin", branin, [(-5, 10), (0, 15)], 0.397887357729738),
    synthetic("hartmann3", lambda x: hartmann(x, A3, P3), [(0, 1)] * 3, -3.86278214782076),
    synthetic("hartmann6", lambda x: hartmann(x, A6, P6), [(0, 1)] * 6, -3.32236801141551),
    synthetic("rosenbrock4", rosenbrock, [(-5, 10)] * 4, 0.0),
    ("mixed", mixed, 0.1),
]

SAMPLERS = {
    "optuna tpe (default)": lambda seed: optuna.samplers.TPESampler(seed=seed),
    "optuna tpe multivariate+group": lambda seed: optuna.samplers.TPESampler(seed=seed, multivariate=True, group=True),
    "optuna random": lambda seed: optuna.samplers.RandomSampler(seed=seed),
}
SEEDS = range(10)
CHECKPOINTS = [25, 50, 100]


def fmt(x):
    return f"{x:.3f}" if abs(x) >= 0.01 or x == 0 else f"{x:.1e}"


def quality(dump=None):
    per_run = {}
    print(f"# simple regret, median [IQR] over seeds {SEEDS[0]}..{SEEDS[-1]}, at {' / '.join(map(str, CHECKPOINTS))} evaluations")
    for name, objective, optimum in PROBLEMS:
        print(f"\n## {name}")
        print("searcher".ljust(36) + "".join(f"@{c}".ljust(30) for c in CHECKPOINTS))
        for sampler_name, make in SAMPLERS.items():
            started = time.perf_counter()
            runs = []
            for seed in SEEDS:
                study = optuna.create_study(sampler=make(seed))
                study.optimize(objective, n_trials=CHECKPOINTS[-1])
                values = np.minimum.accumulate([t.value for t in study.trials])
                runs.append([values[c - 1] - optimum for c in CHECKPOINTS])
            per_run.setdefault(name, {})[sampler_name] = runs
            runs = np.array(runs)
            cells = []
            for k in range(len(CHECKPOINTS)):
                q25, q50, q75 = np.quantile(runs[:, k], [0.25, 0.5, 0.75])
                cells.append(f"{fmt(q50)} [{fmt(q25)}, {fmt(q75)}]".ljust(30))
            print(sampler_name.ljust(36) + "".join(cells) + f"({time.perf_counter() - started:.1f} s)", flush=True)
    if dump is not None:
        with open(dump, "w") as out:
            json.dump({"seeds": list(SEEDS), "checkpoints": CHECKPOINTS, "regrets": per_run}, out)


def ms_per_suggestion(make, history, repeats, warmup):
    name, objective, _ = PROBLEMS[2]
    study = optuna.create_study(sampler=make(0))
    rng = np.random.RandomState(0)
    dists = {f"x{i}": optuna.distributions.FloatDistribution(0.0, 1.0) for i in range(6)}
    trials = []
    for _ in range(history):
        params = {k: float(rng.rand()) for k in dists}
        value = hartmann([params[f"x{i}"] for i in range(6)], A6, P6)
        trials.append(optuna.trial.create_trial(params=params, distributions=dists, value=value))
    study.add_trials(trials)
    times = []
    cpu_times = []
    for r in range(warmup + repeats):
        started = time.perf_counter()
        cpu_started = time.process_time()
        trial = study.ask()
        x = [trial.suggest_float(f"x{i}", 0.0, 1.0) for i in range(6)]
        if r >= warmup:
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu_started) * 1000)
        study.tell(trial, hartmann(x, A6, P6))
    return float(np.median(times)), float(np.median(cpu_times))


def speed():
    sizes = [100, 500, 1000, 2000]
    print("\n# ms per suggestion on hartmann6 (6 floats) with N finished trials in history, median of 21 after 10 untimed")
    print("searcher".ljust(36) + "".join(f"N={n}".ljust(12) for n in sizes))
    cpu_rows = []
    for sampler_name in ["optuna tpe (default)", "optuna tpe multivariate+group"]:
        make = SAMPLERS[sampler_name]
        measured = [ms_per_suggestion(make, n, 21, 10) for n in sizes]
        print(sampler_name.ljust(36) + "".join(f"{wall:.2f}".ljust(12) for wall, _ in measured))
        cpu_rows.append(("cpu " + sampler_name).ljust(36) + "".join(f"{cpu:.2f}".ljust(12) for _, cpu in measured))
    # The same suggestions' process CPU time (the wall figures count waiting for a core on a shared machine).
    print("\n# CPU ms per suggestion (time.process_time), same suggestions")
    for row in cpu_rows:
        print(row)


if __name__ == "__main__":
    if "--seeds" in sys.argv:
        at = sys.argv.index("--seeds")
        SEEDS = range(int(sys.argv[at + 1]), int(sys.argv[at + 1]) + int(sys.argv[at + 2]))
    args = set(sys.argv[1:])
    dump = sys.argv[sys.argv.index("--dump") + 1] if "--dump" in sys.argv else None
    if "--speed" not in args:
        quality(dump)
    if "--quality" not in args:
        speed()
