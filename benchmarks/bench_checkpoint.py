"""When checkpointing ahead of the SAA beats Daly's interval (issue 15, item 9).

Run in one process:  python benchmarks/bench_checkpoint.py [--quick]

campaigns/saa-checkpoint.toml (a 1,024-TPU training job in the 650 km dawn-dusk
orbit, TPU v6e dose-proxy interrupts) run with checkpoints by Daly's interval at the
orbit-mean interrupt rate, by a fixed hour, and ahead of every SAA pass (Daly's
interval at the rate inside and outside the passes), for shares of the upsets that
the SAA holds from 0.07 (as many in a pass as anywhere: nothing to predict) to 0.975
(the preset, Xu et al. 2025), and with a pass every orbit instead of a daily run of
six. Same seeds for every policy: the differences are paired. Prints the throughput
(useful work per wall hour) of each and the gain of the SAA-aware policy over Daly.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import numpy as np

from reliability.campaign import load_campaign
from reliability.engine import simulate
from reliability.system import compile_plan

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer trials (a smoke test)")
    args = ap.parse_args()
    trials, mission_h = (4, 240.0) if args.quick else (24, 60 * 24.0)
    c = load_campaign(ROOT / "campaigns/saa-checkpoint.toml")
    designs = {dict(sc.settings)["workload.checkpoint"]: sc.design for sc in c.scenarios}
    print(
        f"{trials} trials of {mission_h / 24:g} days, 1,024 TPUs, checkpoint 2 min, restart 10 min"
    )
    print("SAA share  passes/day  Daly tau  Daly   1 h    SAA-aware  gain (paired 95% CI)")
    for share, passes in ((0.07, 6), (0.5, 6), (0.9, 6), (0.975, 6), (0.975, 0)):
        out = {}
        for how, d in designs.items():
            env = dataclasses.replace(
                d.environment, saa_share=share, saa_passes_per_day=float(passes)
            )
            d = dataclasses.replace(d, environment=env, mission_h=mission_h, time_step_h=mission_h)
            plan = compile_plan(d)
            out[how] = simulate(plan.arrays, np.random.default_rng(7), trials).throughput
            if how == "daly":
                tau = plan.checkpoint_h * 60
        gain = out["saa"] - out["daly"]
        half = 1.96 * gain.std(ddof=1) / np.sqrt(gain.size)
        print(
            f"{share:9.3f}  {passes:10d}  {tau:6.1f} min {out['daly'].mean():.3f}  "
            f"{out['1 h'].mean():.3f}  {out['saa'].mean():9.3f}  "
            f"{gain.mean():+.3f} [{gain.mean() - half:+.3f}, {gain.mean() + half:+.3f}]"
        )


if __name__ == "__main__":
    main()
