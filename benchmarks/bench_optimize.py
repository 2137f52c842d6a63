"""`reliability optimize` against full sweeps of the same design space.

Run in one process on one core:  python benchmarks/bench_optimize.py [--quick]

1. The exact spares problem (tests/data/optimize_exact.toml: 4 satellites, 3 needed,
   16 GPUs each, 14 needed, s cold spares, no repair; P(availability >= 1) is the
   cluster's exact reliability, R = 0.904 at s = 6, 0.969 at s = 7): the search's
   pick and trials against the full grid of 13 designs at the same looks. The grid
   is judged at each look as a user would judge a sweep (95% Wilson interval of
   P(meet), one look): the smallest look at which it reaches the true answer is the
   fairest grid to compare with, and the grid at the search's last look the one a
   user would run to be sure.
2. The new-user study (campaigns/spares-optimize.toml): the coarse sweep 0/2/4/8
   recommends 8 spares per satellite; the search, and a fine sweep of 0 to 12, find
   the cheapest that meets the requirement.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

from reliability.campaign import load_campaign
from reliability.decision import decide
from reliability.runner import run_campaign
from reliability.runner.optimize import optimize_campaign

ROOT = Path(__file__).resolve().parent.parent


def _grid(campaign, trials: int):
    """The whole design space at ``trials`` each (a fine sweep), in this process."""
    grid = dataclasses.replace(
        campaign, scenarios=campaign.optimize_scenarios, trials=trials, precision=None
    )
    t0 = time.perf_counter()
    ds = run_campaign(grid, n_workers=0)
    return grid, ds, time.perf_counter() - t0


def _pick(grid, ds, trials: int) -> str | None:
    return decide(ds.isel(trial=slice(0, trials)), grid).recommended


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller runs (a smoke test)")
    args = ap.parse_args()

    exact = load_campaign(ROOT / "tests/data/optimize_exact.toml")
    if args.quick:
        exact = dataclasses.replace(
            exact, optimize=dataclasses.replace(exact.optimize, max_trials=2000)
        )
    t0 = time.perf_counter()
    search = optimize_campaign(exact, n_workers=0)
    t_search = time.perf_counter() - t0
    looks = [int(x) for x in search.attrs["looks_trials"].strip("[]").split(",")]
    grid, ds, t_grid = _grid(exact, looks[-1])
    n = len(grid.scenarios)
    print("1. exact spares problem (true answer: cold=7)")
    print(
        f"   optimize: pick {search.attrs['pick']}, {search.attrs['trials_run']:,} trials, "
        f"{t_search:.1f} s"
    )
    first_right = None
    for trials in looks:
        pick = _pick(grid, ds, trials)
        print(
            f"   full grid of {n} at {trials:>5} trials each ({n * trials:>7,} trials): "
            f"recommends {pick}"
        )
        if pick == "cold=7" and first_right is None:
            first_right = trials
    print(f"   full grid at the last look: {n * looks[-1]:,} trials, {t_grid:.1f} s")
    if first_right is not None:
        print(
            f"   trials ratio, search / smallest grid that finds it: "
            f"{search.attrs['trials_run'] / (n * first_right):.2f}"
        )
    print(
        f"   trials ratio, search / grid at the last look: "
        f"{search.attrs['trials_run'] / (n * looks[-1]):.3f}"
    )

    study = load_campaign(ROOT / "campaigns/spares-optimize.toml")
    fine_trials = 500 if args.quick else 2000
    t0 = time.perf_counter()
    coarse = run_campaign(dataclasses.replace(study, trials=fine_trials), n_workers=0)
    print("2. new-user study (8 satellites, 28-of-32 GPUs, 6-of-8 satellites)")
    print(
        f"   coarse sweep 0/2/4/8 at {fine_trials} trials: recommends "
        f"{decide(coarse, study).recommended} ({time.perf_counter() - t0:.1f} s)"
    )
    if args.quick:
        return
    t0 = time.perf_counter()
    found = optimize_campaign(study, n_workers=0)
    t_search = time.perf_counter() - t0
    grid, ds, t_grid = _grid(study, fine_trials)
    print(
        f"   optimize: pick {found.attrs['pick']}, {found.attrs['trials_run']:,} trials, "
        f"{t_search:.1f} s"
    )
    print(
        f"   fine sweep 0..12 at {fine_trials} trials ({len(grid.scenarios) * fine_trials:,} "
        f"trials, {t_grid:.1f} s): recommends {_pick(grid, ds, fine_trials)}"
    )


if __name__ == "__main__":
    main()
