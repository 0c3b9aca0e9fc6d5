"""Optuna's pruners on TuneLab's learning curves (issue 3), beside TuneLab's schedulers.

    /usr/bin/python3 benchmarks/peers/optuna_pruners.py [--trials 256] [--seeds 10] [--curves FILE]

Needs Debian's python3-optuna. The curves come from
`npx tsx benchmarks/studies/schedulers-issue3.ts --export-curves FILE` (run here when FILE is
missing): for each benchmark and seed, the configs TuneLab's random search suggests, in
order, and each one's full 100-iteration loss curve with the simulator's own per-trial
noise stream -- so both sides see the same formulas, seeds and curves, and the same
trial budget. Optuna trial k replays curve k, reporting one loss per step (an "epoch").

Pairs (ours <-> Optuna):
  asha (rf 4, grace 1, maxT 100)        <-> SuccessiveHalvingPruner(min_resource=1, reduction_factor=4)
  hyperband (maxT 100, eta 3)           <-> HyperbandPruner(min_resource=1, max_resource=100, reduction_factor=3)
  median (grace 60 s ~ 30 iterations)   <-> MedianPruner(n_startup_trials=5, n_warmup_steps=30)
Optuna runs trials one after another (n_jobs=1); ours ran on 16 simulated GPUs.
Regret = best final loss of a trial that ran to the end (Optuna: study.best_value) - optimum.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import optuna

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PRUNERS = {
    "SuccessiveHalvingPruner": (
        "asha",
        lambda: optuna.pruners.SuccessiveHalvingPruner(min_resource=1, reduction_factor=4, min_early_stopping_rate=0),
    ),
    "HyperbandPruner": (
        "hyperband",
        lambda: optuna.pruners.HyperbandPruner(min_resource=1, max_resource=100, reduction_factor=3),
    ),
    "MedianPruner": (
        "median",
        lambda: optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=30, interval_steps=1),
    ),
}


def load_curves(path, trials, seeds):
    if not os.path.exists(path):
        cmd = ["npx", "tsx", "benchmarks/studies/schedulers-issue3.ts", "--export-curves", path, "--trials", str(trials), "--seeds", str(seeds)]
        print("running:", " ".join(cmd), flush=True)
        subprocess.run(cmd, cwd=REPO, check=True)
    with open(path) as f:
        data = json.load(f)
    if data["trials"] != trials or data["seeds"] != seeds:
        sys.exit(f"{path} holds {data['trials']} trials x {data['seeds']} seeds; delete it or pass matching --trials/--seeds")
    return data


def run_study(bench, pruner_name, seed, curves):
    epochs = 0

    def objective(trial):
        nonlocal epochs
        curve = curves[trial.number]
        for step, loss in enumerate(curve, start=1):
            trial.report(loss, step)
            epochs += 1
            if trial.should_prune():
                raise optuna.TrialPruned()
        return curve[-1]

    study = optuna.create_study(
        # Fixed names: HyperbandPruner assigns brackets by hashing study name and trial number.
        study_name=f"tunelab-pruners-{bench}-{pruner_name}-seed{seed}",
        direction="minimize",
        sampler=optuna.samplers.RandomSampler(seed=seed),  # unused: configs come from the curves
        pruner=PRUNERS[pruner_name][1](),
    )
    study.optimize(objective, n_trials=len(curves))
    try:
        best = study.best_value
    except ValueError:  # every trial pruned
        best = float("inf")
    return epochs, best


def fmt(v, digits=4):
    if v is None or v != v or v in (float("inf"), float("-inf")):
        return "-"
    if v != 0 and abs(v) < 1e-3:
        return f"{v:.2e}"
    return f"{float(f'{v:.{digits}g}'):g}"


def table(header, rows):
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(cells))
    return "\n".join([line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in rows])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=256)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--curves", default=None)
    args = parser.parse_args()
    path = args.curves or f"/tmp/tunelab-scheduler-curves-{args.trials}x{args.seeds}.json"
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    started = time.time()
    data = load_curves(path, args.trials, args.seeds)
    print(
        f"optuna_pruners: optuna {optuna.__version__}, {args.trials} trials x up to {data['maxIterations']} epochs per study, "
        f"{args.seeds} seeds, same curves as TuneLab (ours on {data['gpus']} simulated GPUs, Optuna sequential); medians over seeds\n"
    )
    for bench, b in data["benchmarks"].items():
        optimum = b["optimum"]
        rows = []
        fifo_epochs = [s["ours"]["fifo"]["epochs"] for s in b["seeds"]]
        fifo_regret = [s["ours"]["fifo"]["regret"] for s in b["seeds"]]
        # No pruning replays every curve to the end: the Optuna side needs no study for it.
        nop_epochs = [sum(len(c) for c in s["curves"]) for s in b["seeds"]]
        nop_regret = [min(c[-1] for c in s["curves"]) - optimum for s in b["seeds"]]
        rows.append(
            [
                "NopPruner / TuneLab fifo",
                fmt(statistics.median(nop_epochs), 5),
                fmt(statistics.median(nop_regret)),
                fmt(statistics.median(fifo_epochs), 5),
                fmt(statistics.median(fifo_regret)),
            ]
        )
        for pruner_name, (ours_name, _) in PRUNERS.items():
            epochs, regrets = [], []
            for s in b["seeds"]:
                e, best = run_study(bench, pruner_name, s["seed"], s["curves"])
                epochs.append(e)
                regrets.append(best - optimum)
            ours_epochs = [s["ours"][ours_name]["epochs"] for s in b["seeds"]]
            ours_regret = [s["ours"][ours_name]["regret"] for s in b["seeds"]]
            rows.append(
                [
                    f"{pruner_name} / TuneLab {ours_name}",
                    fmt(statistics.median(epochs), 5),
                    fmt(statistics.median(regrets)),
                    fmt(statistics.median(ours_epochs), 5),
                    fmt(statistics.median(ours_regret)),
                ]
            )
        ours_promo = [s["ours"]["asha-promotion"] for s in b["seeds"]]
        rows.append(
            [
                "(Optuna has none) / TuneLab asha-promotion",
                "",
                "",
                fmt(statistics.median(o["epochs"] for o in ours_promo), 5),
                fmt(statistics.median(o["regret"] for o in ours_promo)),
            ]
        )
        print(f"{bench} (optimum {fmt(optimum)})")
        print(table(["Optuna pruner / TuneLab scheduler", "Optuna epochs", "Optuna regret", "TuneLab epochs", "TuneLab regret"], rows))
        print()
    print(f"({time.time() - started:.1f} s)")


if __name__ == "__main__":
    main()
