"""What power and heat cost the engine: one campaign with and without [power] and
[thermal].

Run in one process on one core:  python benchmarks/bench_power.py [--quick]

campaigns/orbits-power.toml (four satellites of 16 GPUs, five years, Weibull
wear-out, servicing, a serving demand: a few dozen events a trial) in the 650 km
dawn-dusk orbit and in the ISS-like orbit (eclipses every orbit: more pieces of power
limits), and the demo (the same cluster in the dawn-dusk orbit with SEFI resets and
radiation faults: about a thousand events a trial) given the same power and heat, each
timed without [power], [thermal] and [links] (and without the wear-out's activation
energy and the latch-up's test temperature), with power and heat, and with links
too, interleaved, the median of the repeats. Neither adds events:
the engine stops at each change of the power limits (tens a year) and weighs
sunlight and eclipse in the integrals between events, and the heat is the wear-out's
rate profile (steps by the day's temperature).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from pathlib import Path

import numpy as np

from reliability.campaign import load_campaign
from reliability.engine import simulate
from reliability.system import compile_plan

ROOT = Path(__file__).resolve().parent.parent


def _time(arrays, trials: int) -> float:
    t0 = time.perf_counter()
    simulate(arrays, np.random.default_rng(1), trials, engine="units")
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer trials (a smoke test)")
    args = ap.parse_args()
    trials, repeats = (100, 3) if args.quick else (1000, 7)
    c = load_campaign(ROOT / "campaigns/orbits-power.toml")
    demo = load_campaign(ROOT / "campaigns/demo.toml").scenarios[1].design
    light = [sc for sc in c.scenarios if dict(sc.settings)["links.output_gb_per_unit_h"] < 1]
    cases = [(dict(sc.settings)["environment.orbit"], sc.design) for sc in light[:2]]
    # the dawn-dusk case without its latch-up: only wear-out and servicing (the
    # lightest campaign, where the stops at power changes weigh most)
    bare = light[0].design
    cases.insert(
        1,
        (
            "sso-bare",
            dataclasses.replace(
                bare, units=tuple(dataclasses.replace(u, radiation=()) for u in bare.units)
            ),
        ),
    )
    # the demo (SEFIs, radiation, servicing: events every few days) with the same
    # power and heat as orbits-power and the wear-out's activation energy
    hot = tuple(
        dataclasses.replace(
            u,
            failures=tuple(
                dataclasses.replace(m, activation_ev=0.7) if m.name == "wear-out" else m
                for m in u.failures
            ),
        )
        for u in demo.units
    )
    base = c.base
    cases.append(
        (
            "demo",
            dataclasses.replace(
                demo, power=base.power, thermal=base.thermal, links=base.links, units=hot
            ),
        )
    )
    print(
        f"{'campaign':<10} {'pieces':>6} {'ms/trial off':>12} {'power+heat':>10} {'ratio':>6}"
        f" {'+links':>8} {'ratio':>6}"
    )
    for label, design in cases:
        on = compile_plan(dataclasses.replace(design, links=None)).arrays
        linked = compile_plan(design).arrays
        plain = tuple(
            dataclasses.replace(
                u,
                failures=tuple(dataclasses.replace(m, activation_ev=None) for m in u.failures),
                radiation=tuple(dataclasses.replace(e, tested_at_c=None) for e in u.radiation),
            )
            for u in design.units
        )
        off_design = dataclasses.replace(design, power=None, thermal=None, links=None, units=plain)
        off = compile_plan(off_design).arrays
        _time(on, 2), _time(off, 2), _time(linked, 2)  # compiled and warm
        # enough trials that each timing takes about half a second (tens of us a trial
        # on the light cases: a thousand trials is a timer's noise)
        n = trials if args.quick else max(trials, int(0.5 * 200 / max(_time(off, 200), 1e-9)))
        t_on, t_off, t_link = [], [], []
        for _ in range(repeats):
            t_off.append(_time(off, n))
            t_on.append(_time(on, n))
            t_link.append(_time(linked, n))
        a, b, c3 = (statistics.median(x) for x in (t_off, t_on, t_link))
        print(
            f"{label:<10} {len(on.pw_t):>6} {1000 * a / n:>12.3f} "
            f"{1000 * b / n:>10.3f} {b / a:>6.2f} {1000 * c3 / n:>8.3f} {c3 / a:>6.2f}"
        )


if __name__ == "__main__":
    main()
