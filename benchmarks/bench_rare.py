"""Rare events: balanced failure biasing against crude Monte Carlo, work-normalised.

Run in one process on one core:  python benchmarks/bench_rare.py [--quick]

Table 1 is B13 of shared/reference/reliability.md (10-of-12, one crew, MTTR 24 h):
gamma = P(system down before all-up | one failure) at three failure rates. For each
method it gives the time per cycle and the relative error per cycle (crude: the
Bernoulli value sqrt((1 - gamma) / gamma), which a crude run at these rarities cannot
even measure); the speed-up is (RE_crude^2 t_crude) / (RE_IS^2 t_IS), the ratio of the
run times needed for the same confidence interval.

Table 2 is a hierarchical design (3-of-4 satellites of 6-of-8 accelerators, one crew
per satellite) with unavailability near 1e-8: the time importance sampling needs for
a 10% relative half-width, and what crude Monte Carlo sees in the same time.

Table 3 is splitting on an ageing design importance sampling cannot take: 10-of-12
nodes with Weibull wear-out (shape 2) and no repair over 1,000 h, at three scales
that make P(system failure) 1e-3 to 1e-7 (exact: a binomial tail). Crude Monte Carlo
of the same per-unit engine is timed per mission; its relative error with n missions
is sqrt((1 - P) / (n P)). The speed-up is again the ratio of the run times needed for
the same relative error.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
from scipy import stats

from reliability.campaign import parse_campaign
from reliability.engine import simulate
from reliability.rare import (
    MarkovDesign,
    estimate_gamma,
    estimate_unavailability,
    exact_gamma,
    exact_unavailability,
)
from reliability.splitting import split_replicate, summarise_split
from reliability.system import compile_plan


def _timed(f, *args, **kw):
    start = time.perf_counter()
    out = f(*args, **kw)
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer cycles (for the tests)")
    args = parser.parse_args()
    n_is, n_crude = (2000, 20000) if args.quick else (50_000, 2_000_000)
    estimate_gamma(MarkovDesign(levels=((12, 10),), lam=1e-3, mu=1 / 24, crews=1), 0, 10)
    print("Table 1. B13, 10-of-12, one crew, MTTR 24 h; one core\n")
    header = (
        f"{'lambda':>7} {'gamma exact':>12} {'BFB estimate':>13} {'RE/cycle BFB':>13} "
        f"{'RE/cycle crude':>15} {'us/cycle BFB':>13} {'us/cycle crude':>15} {'speed-up':>9}"
    )
    print(header)
    print("-" * len(header))
    for lam in (1e-3, 1e-4, 1e-5):
        d = MarkovDesign(levels=((12, 10),), lam=lam, mu=1 / 24, crews=1)
        g = exact_gamma(d)
        e, t_is = _timed(estimate_gamma, d, 11, n_is)
        _, t_c = _timed(estimate_gamma, d, 12, n_crude, method="crude")
        re_c = math.sqrt((1 - g) / g)
        tc, ti = t_c / n_crude, t_is / n_is
        speed = (re_c**2 * tc) / (e.re_per_sample**2 * ti)
        print(
            f"{lam:>7.0e} {g:>12.6e} {e.value:>13.6e} {e.re_per_sample:>13.2f} {re_c:>15.1f} "
            f"{ti * 1e6:>13.3f} {tc * 1e6:>15.3f} {speed:>9.3g}"
        )
    print("\nTable 2. 3-of-4 satellites of 6-of-8 accelerators, one crew each, MTTR 24 h\n")
    d = MarkovDesign(levels=((4, 3), (8, 6)), lam=2e-4, mu=1 / 24, crews=1)
    exact = exact_unavailability(d)
    n = 60_000 if args.quick else 600_000
    (e, _), t = _timed(estimate_unavailability, d, 21, n)
    (_, _), t_probe = _timed(estimate_unavailability, d, 22, n, method="crude")
    n_same = int(n * t / t_probe)  # crude cycles in the time importance sampling took
    (c, _), t_c = _timed(estimate_unavailability, d, 23, n_same, method="crude")
    half = 1.96 * e.relative_error
    g = exact_gamma(d)
    print(f"exact unavailability       {exact:.4e}  (P(down in a cycle) = {g:.3e})")
    print(
        f"importance sampling        {e.value:.4e}  [{e.low:.4e}, {e.high:.4e}], relative "
        f"half-width {half:.3f}, {n} cycles in {t:.2f} s (ESS {e.ess:.0f}, largest weight "
        f"share {e.max_weight_share:.2g})"
    )
    print(
        f"crude in the same time     {n_same} cycles ({t_c:.2f} s): estimate {c.value:.3g} "
        f"from {c.hits} cycles with downtime"
    )
    need = (1.96 / 0.1) ** 2 * (1 - g) / g
    print(f"crude needs at least {need:.1e} cycles for a 10% half-width (Bernoulli bound)")
    splitting_table(args.quick)


WEAR_OUT = """
[campaign]
name = "wear-out"
mission = "1000 h"
trials = 1
seed = 1
time_step = "1000 h"
[units.node]
failures = [{{ law = "weibull", shape = 2.0, scale = "{scale} h" }}]
[cluster]
node = {{ n = 12, k = 10 }}
"""


def splitting_table(quick: bool) -> None:
    print("\nTable 3. splitting: 10-of-12, Weibull wear-out (shape 2), no repair, 1,000 h\n")
    header = (
        f"{'P exact':>10} {'splitting':>11} {'95% CI':>25} {'RE':>6} {'seconds':>8} "
        f"{'crude us/mission':>17} {'crude s for same RE':>20} {'speed-up':>9}"
    )
    print(header)
    print("-" * len(header))
    replicates, effort = (6, 300) if quick else (20, 2000)
    for scale in (7_800.0, 16_800.0, 36_000.0):
        plan = compile_plan(parse_campaign(WEAR_OUT.format(scale=scale)).base).arrays
        p = 1 - math.exp(-((1000.0 / scale) ** 2))
        exact = stats.binom.sf(2, 12, p)
        split_replicate(plan, 0, 10)  # compile or load outside the timing
        seeds = [np.random.SeedSequence(31, spawn_key=(b,)) for b in range(replicates)]
        start = time.perf_counter()
        reps = [split_replicate(plan, s, effort) for s in seeds]
        t_split = time.perf_counter() - start
        est = summarise_split(reps, 1000.0)
        re = est["failure_probability_re"]
        n_crude = 2000 if quick else 20_000
        simulate(plan, 0, 10)
        _, t_c = _timed(simulate, plan, 32, n_crude)
        per_mission = t_c / n_crude
        crude_s = (1 - exact) / (exact * re**2) * per_mission
        ci = f"[{est['failure_probability_low']:.3e}, {est['failure_probability_high']:.3e}]"
        print(
            f"{exact:>10.3e} {est['failure_probability']:>11.3e} {ci:>25} {re:>6.3f} "
            f"{t_split:>8.2f} {per_mission * 1e6:>17.2f} {crude_s:>20.3g} "
            f"{crude_s / t_split:>9.3g}"
        )


if __name__ == "__main__":
    main()
