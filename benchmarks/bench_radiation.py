"""Radiation faults cost what their consequences cost, not what the particles cost.

Run in one process on one core:  python benchmarks/bench_radiation.py [--quick]

A satellite of 64 TPUs over five years in the 650 km SSO, with hardware wear-out
and SEFIs (the reference run), is simulated again with 1e12 bits of HBM per TPU at
a realistic upset rate (1e-10 upsets per bit-day, between DDR field data and LEO
SRAM flight rates), protected by SEC-DED and scrubbed hourly or daily. That is about
a hundred upsets per TPU and day, some 12 million per trial, all corrected: the
engine counts them with one Poisson draw per trial and simulates only the
uncorrectable errors (and, without ECC, the silent corruptions).

The table gives, per configuration, the raw upsets per trial, the events the engine
simulated per trial, and the time per trial relative to the reference in the same
process: the ratio follows the simulated events, not the upsets.
"""

from __future__ import annotations

import argparse
import time

from reliability.campaign import parse_campaign
from reliability.engine import simulate
from reliability.system import compile_plan

BASE = """
[campaign]
name = "bench-radiation"
mission = "5 y"
trials = 1
seed = 1
time_step = "30 d"
[environment]
orbit = "sso-650"
[units.tpu]
failures = [{{ name = "wear-out", law = "weibull", shape = 1.2, mean = "12 y" }}]
radiation = [{{ class = "sefi", per_rad = 2e-4, recover = "30 min" }}]
{memory}
[cluster]
tpu = {{ n = 64, k = 56, spares = {{ cold = 4, swap = "2 h" }} }}
[maintenance]
servicing = {{ every = "2 y", duration = "3 d", system_down = false }}
"""

CONFIGS = {
    "reference (no HBM)": "",
    "1e12 bits, SEC-DED, scrub 1 h": (
        'memory = { bits = 1e12, scrub = "1 h", upset = { per_bit_day = 1e-10 } }'
    ),
    "1e12 bits, SEC-DED, scrub 24 h": (
        'memory = { bits = 1e12, scrub = "24 h", upset = { per_bit_day = 1e-10 } }'
    ),
    "1e12 bits, SEC-DED, no scrub": "memory = { bits = 1e12, upset = { per_bit_day = 1e-10 } }",
    "1e9 bits, no ECC (all silent)": (
        'memory = { bits = 1e9, ecc = "none", upset = { per_bit_day = 1e-10 } }'
    ),
}


def measure(memory: str, n_trials: int, repeats: int) -> tuple[float, float, float]:
    """(seconds per trial, events simulated per trial, raw upsets per trial)."""
    plan = compile_plan(parse_campaign(BASE.format(memory=memory)).base)
    simulate(plan.arrays, 0, 2)  # compile and warm
    best = float("inf")
    for r in range(repeats):
        start = time.perf_counter()
        result = simulate(plan.arrays, r + 1, n_trials)
        best = min(best, time.perf_counter() - start)
    counts = result.failures.astype(float).mean(axis=0)
    # counted-only faults (ECC-corrected upsets) are one Poisson draw, not events
    counted = plan.arrays.mode_effect == 2
    simulated = counts[~counted].sum() + result.spares_used.mean()
    upsets = sum(
        c
        for c, lab in zip(counts, plan.mode_labels, strict=True)
        if "memory-corrected" in lab or "memory-sdc" in lab
    )
    return best / n_trials, simulated, upsets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few trials (for the tests)")
    args = parser.parse_args()
    n_trials, repeats = (20, 1) if args.quick else (400, 3)
    rows = []
    for name, memory in CONFIGS.items():
        rows.append((name, *measure(memory, n_trials, repeats)))
    ref_time, ref_events = rows[0][1], rows[0][2]
    print(f"{n_trials} trials per configuration, best of {repeats}; one core\n")
    header = (
        f"{'configuration':<32} {'raw upsets/trial':>17} {'events/trial':>13} "
        f"{'ms/trial':>9} {'time ratio':>11} {'event ratio':>12}"
    )
    print(header)
    print("-" * len(header))
    for name, sec, events, upsets in rows:
        print(
            f"{name:<32} {upsets:>17.4g} {events:>13.1f} {sec * 1e3:>9.3f} "
            f"{sec / ref_time:>11.2f} {events / ref_events:>12.2f}"
        )
    # what replaying every upset as an event would cost, at the per-event cost measured
    # on the all-silent row
    _, silent_sec, silent_events, _ = rows[-1]
    per_event = (silent_sec - ref_time) / (silent_events - ref_events)
    name, sec, _, upsets = rows[1]
    print(
        f"\nper simulated event: {per_event * 1e9:.0f} ns; replaying the {upsets:.3g} upsets of "
        f"'{name}' one by one would take ~{upsets * per_event:.2f} s per trial, "
        f"{upsets * per_event / sec:,.0f} times the {sec * 1e3:.3f} ms it takes"
    )


if __name__ == "__main__":
    main()
