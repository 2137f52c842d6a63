"""The compiled Monte Carlo kernel over a :class:`~reliability.engine.plan.PlanArrays`.

The engine knows no TOML, no physics and no Dask: it takes a numeric plan, a random
generator and a trial count, and returns per-trial summaries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reliability.engine import _laws as laws
from reliability.engine import _profiles as prof
from reliability.engine._block import run_block
from reliability.engine.plan import PlanArrays, new_state, pack_plan

__all__ = ["ENGINES", "BlockResult", "PlanArrays", "counts_blocker", "simulate", "trial_keys"]

#: Engines: every unit with its own failure clocks, or identical exponential units as
#: a count of those up (exact for them, O(1) per failure; see ``_counts``).
ENGINES = ("units", "counts")
_TRAINING = 1  # plan.wl_kind of a training job


@dataclass(frozen=True, slots=True)
class BlockResult:
    """Per-trial summaries of one block of trials (times in hours).

    Attributes
    ----------
    availability : ndarray, shape (n,)
        Fraction of the measured window (after warm-up) the top group met its k
        and no servicing visit held the system down.
    mean_capacity : ndarray, shape (n,)
        Time-average fraction of unit slots usable (unit up, every group above it
        up except the root) over the measured window.
    outages : ndarray of int32, shape (n,)
        Unplanned system failures (top group dropping below k).
    downtime_h, planned_downtime_h : ndarray, shape (n,)
        Total downtime, and the part of it due to servicing visits.
    time_to_first_failure_h : ndarray, shape (n,)
        Time of the first unplanned system failure, NaN if none.
    spares_used : ndarray of int32, shape (n,)
        Swaps completed.
    failures : ndarray of int64, shape (n, n_modes)
        Faults per failure mode (unit failures, silent faults, and counted-only
        faults such as ECC-corrected upsets).
    unit_downtime_h : ndarray, shape (n, n_modes)
        Unit-hours down, charged to the failure mode that took each unit down.
    outage_downtime_h : ndarray, shape (n, n_modes)
        Unplanned system downtime, charged to the failure mode of the unit failure
        that started each outage.
    throughput : ndarray, shape (n,)
        Serving: delivered fraction of demand, min(usable units, demand) / demand,
        time-averaged. Training: committed work / wall time (to completion, or the
        mission), in units of the whole job at full speed.
    slo_attainment : ndarray, shape (n,)
        Serving: fraction of time the delivered fraction met the SLO (NaN without a
        serving workload).
    job_completion_h : ndarray, shape (n,)
        Training with a finite amount of work: when it was done (NaN: not done).
    lost_work_h : ndarray, shape (n, n_modes)
        Training: work (job-hours) lost to rollbacks, by the failure mode that caused it.
    goodput : ndarray of float32, shape (n, n_cells)
        Serving: delivered fraction of demand in each cell. Training: committed work
        per hour in each cell (work credited where it was computed; rollbacks of
        corrupted checkpoints are debited when found).
    capacity : ndarray of float32, shape (n, n_cells)
        Mean usable-capacity fraction in each time-grid cell.
    system_up : ndarray of int8, shape (n, n_cells)
        Whether the system was up at the end of each cell.
    """

    availability: np.ndarray
    mean_capacity: np.ndarray
    outages: np.ndarray
    downtime_h: np.ndarray
    planned_downtime_h: np.ndarray
    time_to_first_failure_h: np.ndarray
    spares_used: np.ndarray
    failures: np.ndarray
    unit_downtime_h: np.ndarray
    outage_downtime_h: np.ndarray
    capacity: np.ndarray
    system_up: np.ndarray
    throughput: np.ndarray
    slo_attainment: np.ndarray
    job_completion_h: np.ndarray
    lost_work_h: np.ndarray
    goodput: np.ndarray


def trial_keys(rng: np.random.Generator | int | None, n_trials: int) -> np.ndarray:
    """The 64-bit counter-based keys of ``n_trials`` trials drawn from ``rng``."""
    gen = np.random.default_rng(rng)
    return gen.integers(0, 2**64 - 1, size=n_trials, dtype=np.uint64, endpoint=True)


def counts_blocker(plan: PlanArrays, labels: Sequence[str] = ()) -> str | None:
    """Why the counts engine cannot run ``plan`` exactly, or None when it can.

    It needs every simulated failure mode to be exponential with a constant rate, and
    no training job (whose members are particular accelerators). ``labels`` name the
    failure modes in the answer (default: their numbers).

    Examples
    --------
    >>> from reliability.campaign import parse_campaign
    >>> from reliability.system import compile_plan
    >>> text = '''
    ... [campaign]
    ... name = "x"
    ... mission = "100 h"
    ... trials = 1
    ... seed = 1
    ... [units.node]
    ... failures = [{ LIFE, mean = "10 h", repair = "1 h" }]
    ... [cluster]
    ... node = { n = 4, k = 3 }'''
    >>> plan = lambda life: compile_plan(parse_campaign(text.replace("LIFE", life))).arrays
    >>> counts_blocker(plan('law = "exponential"')) is None
    True
    >>> counts_blocker(plan('law = "weibull", shape = 2'))
    'failure mode 0 is not exponential'
    """
    for m in range(plan.n_modes):
        name = labels[m] if m < len(labels) else m
        if plan.mode_effect[m] == 2:  # counted, never simulated
            continue
        if plan.mode_law[m] != laws.EXPONENTIAL:
            return f"failure mode {name} is not exponential"
        if plan.dom_kind[plan.mode_dom[m]] != prof.CONSTANT:
            return f"failure mode {name} has a rate that varies over the mission"
    if plan.wl_kind == _TRAINING:
        return "a training job follows particular accelerators"
    return None


def _cumulative_rates(plan: PlanArrays) -> np.ndarray:
    rates = np.where(plan.mode_effect == 2, 0.0, 1.0 / plan.mode_p1)
    return np.cumsum(rates)


def simulate(
    plan: PlanArrays,
    rng: np.random.Generator | int | None,
    n_trials: int,
    *,
    engine: str = "units",
) -> BlockResult:
    """Simulate ``n_trials`` independent trials of one scenario.

    Parameters
    ----------
    plan : PlanArrays
        The numeric plan (see :func:`reliability.system.compile_plan`).
    rng : numpy.random.Generator, int, SeedSequence or None
        Source of the trial keys (anything :func:`numpy.random.default_rng` takes).
        Trial ``i`` depends only on the ``i``-th key, so two plans simulated with
        the same ``rng`` seed share random numbers slot by slot.
    n_trials : int
        Number of trials.
    engine : {"units", "counts"}
        ``"units"``: every unit keeps its own clocks, and every random number is tied
        to a unit slot (common random numbers slot by slot across designs).
        ``"counts"``: identical exponential units as a count of those up, one failure
        stream per trial; exact only where :func:`counts_blocker` finds nothing.

    Returns
    -------
    BlockResult
    """
    _validate_simulate(plan, n_trials, engine)
    keys = trial_keys(rng, n_trials)
    n_modes = plan.n_modes
    n_cells = plan.n_cells
    out = {
        "availability": np.zeros(n_trials),
        "mean_capacity": np.zeros(n_trials),
        "outages": np.zeros(n_trials, np.int32),
        "downtime_h": np.zeros(n_trials),
        "planned_downtime_h": np.zeros(n_trials),
        "time_to_first_failure_h": np.zeros(n_trials),
        "spares_used": np.zeros(n_trials, np.int32),
        "failures": np.zeros((n_trials, n_modes), np.int64),
        "unit_downtime_h": np.zeros((n_trials, n_modes)),
        "outage_downtime_h": np.zeros((n_trials, n_modes)),
    }
    capacity = np.zeros((n_trials, n_cells))  # accumulate in float64, store float32
    system_up = np.zeros((n_trials, n_cells), np.int8)
    work = {
        "throughput": np.zeros(n_trials),
        "slo_attainment": np.zeros(n_trials),
        "job_completion_h": np.zeros(n_trials),
        "lost_work_h": np.zeros((n_trials, n_modes)),
    }
    goodput = np.zeros((n_trials, n_cells))
    pi, pf = pack_plan(plan)
    si, sf, su = new_state(plan)
    run_block(
        pi,
        pf,
        si,
        sf,
        su,
        keys,
        out["availability"],
        out["mean_capacity"],
        out["outages"],
        out["downtime_h"],
        out["planned_downtime_h"],
        out["time_to_first_failure_h"],
        out["spares_used"],
        out["failures"],
        out["unit_downtime_h"],
        out["outage_downtime_h"],
        capacity,
        system_up,
        work["throughput"],
        work["slo_attainment"],
        work["job_completion_h"],
        work["lost_work_h"],
        goodput,
        _cumulative_rates(plan) if engine == "counts" else np.zeros(0),
    )
    return BlockResult(
        **out,
        capacity=capacity.astype(np.float32),
        system_up=system_up,
        **work,
        goodput=goodput.astype(np.float32),
    )


def _validate_simulate(plan: PlanArrays, n_trials: int, engine: str) -> None:
    if n_trials < 0:
        raise ValueError(f"`n_trials` must be >= 0, got {n_trials}")
    if engine not in ENGINES:
        raise ValueError(f"`engine` must be one of {ENGINES}, got {engine!r}")
    if engine == "counts" and (why := counts_blocker(plan)) is not None:
        raise ValueError(f"`engine` = 'counts' cannot run this plan exactly: {why}")
