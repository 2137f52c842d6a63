"""Engine speed: against a straightforward SimPy model of k10n12, and against cluster size.

Run in one process on one core:  python benchmarks/bench_engine.py [--quick]

Table 1 times both engines and a SimPy model of the benchmark system (10-of-12 nodes,
exponential MTTF 1000 h, fixed repair 24 h, independent repair, 87,600 h) written
the way an engineer would: one process per node, a shared up-counter, and the
system uptime integrated at every change. All three estimate the same availability.
``counts`` is what ``reliability run`` uses for this campaign (every clock is
exponential); ``units`` gives every node its own clock, as ageing units need. The
three run in interleaved rounds and each round gives its own ratios: on a shared
machine the speed moves by up to a factor of two within minutes, and a ratio of two
runs taken a minute apart measures the neighbours as much as the engine. The table
gives the median ratio and the range over the rounds.

Table 2 shows the per-trial and per-event cost for 12 to 12,000 nodes (k = 95% of n):
with indexed heaps the per-unit engine's cost per event grows like log(n), not like
n; the counts engine's is flat.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from reliability.campaign import parse_campaign
from reliability.engine import simulate
from reliability.system import compile_plan

K10N12 = """
[campaign]
name = "bench"
mission = "{mission}"
trials = 1
seed = 1
time_step = "{mission}"
[units.node]
failures = [{{ law = "exponential", mean = "1000 h", repair = "24 h" }}]
[cluster]
node = {{ n = {n}, k = {k} }}
"""


def simpy_k10n12(
    n_trials: int, seed: int, n: int = 12, k: int = 10, mission: float = 87600.0
) -> np.ndarray:
    """Per-trial availability from a one-process-per-node SimPy model."""
    import simpy

    rng = np.random.default_rng(seed)
    out = np.empty(n_trials)
    for trial in range(n_trials):
        env = simpy.Environment()
        state = {"up": n, "last": 0.0, "uptime": 0.0}

        def change(delta: int, env=env, state=state) -> None:
            if state["up"] >= k:
                state["uptime"] += env.now - state["last"]
            state["last"] = env.now
            state["up"] += delta

        def node(env=env, change=change):
            while True:
                yield env.timeout(rng.exponential(1000.0))
                change(-1)
                yield env.timeout(24.0)
                change(+1)

        for _ in range(n):
            env.process(node())
        env.run(until=mission)
        change(0)
        out[trial] = state["uptime"] / mission
    return out


def engine(n: int, k: int, mission: str, n_trials: int, seed: int, kind: str):
    plan = compile_plan(parse_campaign(K10N12.format(n=n, k=k, mission=mission)).base).arrays
    simulate(plan, 0, 1, engine=kind)  # compile or load the kernel outside the timing
    start = time.perf_counter()
    r = simulate(plan, seed, n_trials, engine=kind)
    return r, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer trials (CI smoke run)")
    args = parser.parse_args()
    rounds, sim_trials, eng_trials = (2, 5, 250) if args.quick else (15, 80, 1500)
    simpy_k10n12(1, seed=0)  # imports SimPy outside the timing (engine() compiles outside it)
    rates: dict[str, list[float]] = {"simpy": [], "units": [], "counts": []}
    values: dict[str, list[np.ndarray]] = {"simpy": [], "units": [], "counts": []}
    for r in range(rounds):
        start = time.perf_counter()
        values["simpy"].append(simpy_k10n12(sim_trials, seed=7 + r))
        rates["simpy"].append(sim_trials / (time.perf_counter() - start))
        for kind in ("units", "counts"):
            res, secs = engine(12, 10, "87600 h", eng_trials, 7 + r, kind)
            values[kind].append(res.availability)
            rates[kind].append(eng_trials / secs)
    print(
        f"Table 1. k10n12, 87,600 h mission, one core, one process: {rounds} interleaved "
        f"rounds of {sim_trials} SimPy and {eng_trials} engine trials"
    )
    print(
        f"{'model':<8} {'trials':>7} {'trials/s':>10} {'availability':>22} "
        f"{'vs simpy':>9} {'(range over rounds)':>20}"
    )
    for name in ("simpy", "units", "counts"):
        a = np.concatenate(values[name])
        se = a.std(ddof=1) / math.sqrt(a.size)
        ratios = np.asarray(rates[name]) / np.asarray(rates["simpy"])
        print(
            f"{name:<8} {a.size:>7} {np.median(rates[name]):>10.1f} {a.mean():>12.6f} ± "
            f"{se:.6f} {np.median(ratios):>8.1f}x {ratios.min():>9.1f}-{ratios.max():.1f}x"
        )
    print()

    print("Table 2. per-trial cost against cluster size (k = 95% of n, 8,760 h mission)")
    print(
        f"{'engine':<7} {'nodes':>6} {'k':>6} {'trials':>7} {'events/trial':>13} "
        f"{'ms/trial':>9} {'ns/event':>9} {'ns/event/log2(n)':>17}"
    )
    for kind in ("units", "counts"):
        for n in (12, 120, 1200, 12000):
            k = math.ceil(0.95 * n)
            trials = max(4, (200 if args.quick else 2000) * 12 // n)
            r, secs = engine(n, k, "8760 h", trials, 3, kind)
            events = 2 * r.failures.sum(axis=1).mean()  # each failure and its repair
            per_event = secs / trials / events * 1e9
            print(
                f"{kind:<7} {n:>6} {k:>6} {trials:>7} {events:>13.0f} "
                f"{secs / trials * 1e3:>9.3f} {per_event:>9.0f} "
                f"{per_event / math.log2(n):>17.1f}"
            )
    print()
    overheads(args.quick)


def overheads(quick: bool) -> None:
    """Table 3: a trial's cost split into a fixed part and a part per event, by a
    least-squares line through the cost per trial of k10n12 at five mission lengths
    (events per trial grow with the mission; the fixed part, a trial's set-up and
    result, does not). Then n = 100,000 (k = 95,000, one year), issue 18's size
    (``quick``: three missions and 12,000 nodes, a smoke run)."""
    missions = (876, 8760, 87600) if quick else (876, 4380, 8760, 43800, 87600)
    print(
        f"Table 3. cost per trial = fixed + per event x events (k10n12, {len(missions)} missions)"
    )
    print(f"{'engine':<7} {'fixed us/trial':>15} {'ns/event':>9} {'fixed share at 87,600 h':>24}")
    for kind in ("units", "counts"):
        xs, ys = [], []
        for h in missions:
            trials = (100 if quick else 4000) * 8760 // max(h, 8760)
            r, secs = engine(12, 10, f"{h} h", trials, 5, kind)
            xs.append(2 * r.failures.sum(axis=1).mean())
            ys.append(secs / trials)
        slope, fixed = np.polyfit(xs, ys, 1)
        print(f"{kind:<7} {fixed * 1e6:>15.2f} {slope * 1e9:>9.1f} {fixed / ys[-1]:>24.3f}")
    print()
    n, k = (12_000, 11_400) if quick else (100_000, 95_000)  # the smoke run stays small
    trials = 2 if quick else 6
    print(f"n = {n:,}, k = {k:,}, 8,760 h: ms per trial ({trials} trials)")
    for kind in ("units", "counts"):
        r, secs = engine(n, k, "8760 h", trials, 11, kind)
        events = 2 * r.failures.sum(axis=1).mean()
        print(f"{kind:<7} {secs / trials * 1e3:>9.0f} ms/trial, {events:,.0f} events/trial")


if __name__ == "__main__":
    main()
