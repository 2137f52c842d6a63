"""Resource estimates before a run: memory per block, result size, events per
trial, and refusals.

A campaign that would not fit is refused before anything is launched, with a
message that says which knob to turn (``block_size``, ``time_step``, or the failure
or fault process that fires too often). The memory budgets follow this machine's
memory (its cgroup limit where lower) and the peaks measured with
``benchmarks/bench_memory.py``: the driver holds the blocks and the assembled result
at once, about :data:`DRIVER_PEAK` times the result. They, and the events a trial may
take, can be set with ``RELIABILITY_MAX_BLOCK_MEMORY_GB``, ``RELIABILITY_MAX_RESULT_GB``
and ``RELIABILITY_MAX_EVENTS_PER_TRIAL`` (the kernel stops a trial that passes the
last, whatever the estimate said).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from reliability.campaign import Campaign
from reliability.engine import cum_hazard, state_bytes
from reliability.engine.plan import pack_plan
from reliability.engine.spec import MAX_EVENTS_PER_TRIAL, OUTPUTS, Effect, LawKind, Renew
from reliability.machine import machine_memory
from reliability.system import SystemPlan, compile_plan

__all__ = [
    "DRIVER_PEAK",
    "Estimate",
    "ResourceError",
    "check_events",
    "check_resources",
    "default_budgets",
    "estimate",
    "event_budget",
    "events_per_trial",
    "fires_per_slot",
    "machine_memory",
]

_GB = 1024**3

#: The driver's peak memory over the result's size: the blocks as they arrive, the
#: assembled result, and the writer's buffers. Measured with benchmarks/bench_memory.py
#: on 2026-11-30: about 350 MiB + 2.0x the result (4.2x at 86 MiB, 3.0x at 346 MiB,
#: 2.35x at 1 GiB; 3.4x at 346 MiB before the result was assembled in place).
DRIVER_PEAK = 3.5
#: Share of the machine's memory a run may plan to use (the rest: the system, the
#: scheduler, the workers' own footprint).
MEMORY_SHARE = 0.6


def default_budgets(workers: int | None = None) -> tuple[float, float]:
    """(block, result) memory budgets in bytes on this machine with ``workers`` worker
    processes (default: one per core): a worker's share, at most 2 GiB, for a block,
    and what the driver can hold over :data:`DRIVER_PEAK` for the result."""
    usable = MEMORY_SHARE * machine_memory()
    workers = max(1, workers or os.cpu_count() or 1)
    return min(2.0 * _GB, usable / workers), usable / DRIVER_PEAK


class ResourceError(ValueError):
    """A campaign would not fit in memory or on disk."""


@dataclass(frozen=True, slots=True)
class Estimate:
    """Bytes a run needs: per block on a worker (peak), and for the whole result."""

    block_bytes: int
    result_bytes: int
    cells: int
    modes: int
    trials: int
    events_per_trial: float = 0.0  # the most of any scenario
    events: float = 0.0  # over every trial of every scenario

    def describe(self) -> str:
        """One line for ``reliability validate``."""
        return (
            f"resources     about {_size(self.block_bytes)} per block on a worker, "
            f"result about {_size(self.result_bytes)} before compression; "
            f"about {_count(self.events_per_trial)} events per trial "
            f"({_count(self.events)} in all)"
        )


def _count(x: float) -> str:
    return f"{x:,.0f}" if x < 1e6 else f"{x:.2g}"


def _size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"


def _per_trial_bytes(cells: int, modes: int, classes: int) -> tuple[int, int]:
    """(bytes per trial while simulating a block, bytes per trial in the result), from
    the engine's declared outputs."""
    block = result = 0
    for o in OUTPUTS:
        item = np.dtype(o.dtype).itemsize
        # simulating: the kernel's float64 row, then the block's typed copy
        block += o.size(modes, cells) * (8 + item)
        # result: a per-mode output becomes one variable per fault class for each of
        # its result variables
        n = classes * len(o.result_variables()) if o.per == "mode" else o.size(modes, cells)
        result += n * item
    return block, result


def events_per_trial(plan: SystemPlan) -> tuple[float, list[float]]:
    """Events a trial of ``plan`` takes, on the high side, and the share of each mode.

    Every clocked mode fires :func:`fires_per_slot` times on each of its unit slots, a
    failure that takes a unit down costs a second event for its restoration, and
    preventive maintenance, servicing visits and the steps of the demand and the
    capacity factor and the launches of a cadence add theirs. Returns (events per trial, events of each mode).
    """
    a = plan.arrays
    mission = float(a.mission_h)
    slots = np.bincount(np.asarray(a.clock_mode, dtype=np.int64), minlength=a.n_modes)
    per_mode = []
    for m in range(a.n_modes):
        effect = int(a.mode_effect[m])
        if effect == Effect.SCHEDULED:  # each unit's turns, each ending in a restoration
            n = a.n_units * 2.0 * mission / float(a.pm_every)
        else:
            per_slot = fires_per_slot(plan, m)
            n = float(slots[m]) * per_slot * (2.0 if effect == Effect.DOWN else 1.0)
        per_mode.append(n)
    visits = mission / float(a.svc_every) if math.isfinite(a.svc_every) else 0.0
    steps = np.size(a.dem_t) + np.size(a.cf_t) - 2  # changes of demand or capacity factor
    cadence = 0.0  # launches of a cadence within the mission
    for every, first, last in zip(a.sp_every, a.sp_first, a.sp_last, strict=True):
        if math.isfinite(every) and first < mission:
            cadence += math.floor((min(last, mission) - first) / every) + 1
    return sum(per_mode) + 2.0 * visits + steps + cadence, per_mode


def fires_per_slot(plan: SystemPlan, m: int) -> float:
    """How often mode ``m`` fires on one unit slot over the mission, on the high side:
    at its mission-mean rate as if never down, or, when it resumes at its age after
    each event (minimal repair), as its cumulative hazard over the mission says (a
    decreasing hazard renewed at every repair can still fire more: the kernel's
    budget stops such a trial)."""
    a = plan.arrays
    mission = float(a.mission_h)
    rate = plan.mode_rate_h[m] if m < len(plan.mode_rate_h) else 0.0
    per_slot = rate * mission
    if int(a.mode_law[m]) != LawKind.EXPONENTIAL and _minimal_repair(a, m):
        law, p1, p2 = a.mode_law[m], a.mode_p1[m], a.mode_p2[m]
        per_slot = max(per_slot, cum_hazard(law, p1, p2, mission))
    return per_slot


def _minimal_repair(a: Any, m: int) -> bool:
    """Does mode ``m`` resume at its age after each event (a silent fault, or a repair
    in place that renews nothing)? Its count over the mission is then its cumulative
    hazard there, which an ageing law makes far larger than mission / mean."""
    if int(a.mode_effect[m]) == Effect.SILENT:
        return True
    return (
        int(a.mode_effect[m]) == Effect.DOWN
        and not int(a.mode_replace[m])
        and int(a.mode_renew[m]) == Renew.RESUME
    )


def event_budget() -> int:
    """Events one trial may take: ``RELIABILITY_MAX_EVENTS_PER_TRIAL`` or the
    engine's default."""
    return int(
        _env_number(
            "RELIABILITY_MAX_EVENTS_PER_TRIAL", MAX_EVENTS_PER_TRIAL, "a number of events", 1.0
        )
    )


def _env_number(name: str, default: float, what: str, minimum: float) -> float:
    """The number in environment variable ``name`` (``default`` when unset), finite and
    at least ``minimum`` (and below 2**62), or one line naming the variable."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ResourceError(f"{name} = {raw!r}: expected {what}") from None
    if not (math.isfinite(value) and minimum <= value < 2**62) or value <= 0:
        raise ResourceError(f"{name} = {raw!r}: expected {what}, positive and finite")
    return value


def _knob(campaign: Campaign, process: str) -> str:
    """The key path of a failure mode or fault process (``unit.name``)."""
    unit, _, name = process.partition(".")
    for ut in campaign.base.units:
        if ut.name != unit:
            continue
        for key, entries in (("failures", ut.failures), ("radiation", ut.radiation)):
            for i, entry in enumerate(entries):
                if entry.name == name:
                    return f"units.{unit}.{key}[{i}]"
        if name == "maintenance":
            return f"units.{unit}.maintenance"
    return f"units.{unit}.memory"


def _process(label: str) -> str:
    """The failure mode or fault process of an engine mode: its SAA and solar-event
    parts and the destructive share of a latch-up belong to their entry."""
    return label.partition("@")[0].removesuffix("-destructive")


def check_events(campaign: Campaign, plans: list[SystemPlan], budget: int | None = None) -> None:
    """Refuse a campaign whose trials would take more than ``budget`` events (default:
    :func:`event_budget`), naming the failure mode or fault process that fires most."""
    budget = event_budget() if budget is None else budget
    for sc, plan in zip(campaign.scenarios, plans, strict=False):
        total, per_mode = events_per_trial(plan)
        if total <= budget:
            continue
        events: dict[str, float] = {}
        fires: dict[str, float] = {}
        for m, label in enumerate(plan.mode_labels):
            events[_process(label)] = events.get(_process(label), 0.0) + per_mode[m]
            fires[_process(label)] = fires.get(_process(label), 0.0) + fires_per_slot(plan, m)
        worst = max(events, key=events.__getitem__)
        where = f" (scenario {sc.name})" if len(plans) > 1 else ""
        raise ResourceError(
            f"{campaign.source}: {_knob(campaign, worst)} ({worst}) fires about "
            f"{_count(fires[worst])} times per unit over the "
            f"mission{where}: about {_count(total)} events per trial, more than the "
            f"{_count(budget)} a trial may take (a trial would run for minutes or never "
            "end); make it rarer (a longer life, a lower rate), give its repair a "
            "duration, or raise RELIABILITY_MAX_EVENTS_PER_TRIAL"
        )


def estimate(campaign: Campaign, plans: list[SystemPlan] | None = None) -> Estimate:
    """Estimate the memory of one block, the size of the result and the events of a
    trial of ``campaign`` (``plans``: the compiled scenarios, by default the base
    design's alone)."""
    designs = campaign.designs
    plans = plans or [compile_plan(designs[0])]
    plan = max(plans, key=lambda p: p.arrays.n_modes)
    cells = plan.arrays.n_cells
    modes = plan.arrays.n_modes
    classes = max(len(p.fault_classes) for p in plans)
    per_block, per_result = _per_trial_bytes(cells, modes, classes)
    # the kernel's state and packed plan, as the worker allocates them
    state = state_bytes(plan.arrays) + sum(a.nbytes for a in pack_plan(plan.arrays))
    block = campaign.block_size * per_block + state
    # a precision target may add blocks up to its max_trials
    trials = campaign.precision.max_trials if campaign.precision else campaign.trials
    result = trials * len(designs) * per_result
    events = [events_per_trial(p)[0] for p in plans]
    # scenarios not in ``plans`` count as the mean of those that are
    per_scenario = sum(events) / len(events)
    return Estimate(
        int(block),
        int(result),
        cells,
        modes,
        trials,
        max(events),
        per_scenario * trials * len(designs),
    )


def _budget(name: str, default: float) -> float:
    """A memory budget in bytes: ``name`` in GB, or ``default`` bytes when unset."""
    return _env_number(name, default / _GB, "a number of GB", 0.0) * _GB


#: Blocks a run may have in all: each is a task, a part file and a progress step.
MAX_BLOCKS = 100_000


def check_resources(
    campaign: Campaign, plans: list[SystemPlan] | None = None, workers: int | None = None
) -> Estimate:
    """Refuse a campaign whose block or result would not fit (``workers`` worker
    processes share the machine: default one per core), that would have more than
    :data:`MAX_BLOCKS` blocks, or whose trials would take more events than the
    budget; return the estimate."""
    plans = plans or [compile_plan(campaign.designs[0])]
    est = estimate(campaign, plans)
    check_events(campaign, plans)
    blocks = math.ceil(est.trials / campaign.block_size) * len(campaign.scenarios)
    if blocks > MAX_BLOCKS:
        fits = math.ceil(est.trials * len(campaign.scenarios) / MAX_BLOCKS)
        raise ResourceError(
            f"{campaign.source}: campaign.block_size = {campaign.block_size}: {blocks:,} "
            f"blocks ({est.trials} trials x {len(campaign.scenarios)} scenarios), more than "
            f"the {MAX_BLOCKS:,} a run may have (each is a task and a part file); use "
            f"block_size = {fits} or more"
        )
    block_default, result_default = default_budgets(workers)
    block_budget = _budget("RELIABILITY_MAX_BLOCK_MEMORY_GB", block_default)
    result_budget = _budget("RELIABILITY_MAX_RESULT_GB", result_default)
    src = campaign.source
    if est.block_bytes > block_budget:
        per_trial = max(1, (est.block_bytes) // max(campaign.block_size, 1))
        fits = max(1, int(block_budget // per_trial))
        raise ResourceError(
            f"{src}: campaign.block_size = {campaign.block_size}: a block needs about "
            f"{_size(est.block_bytes)}, more than the {_size(block_budget)} budget of a "
            "worker; "
            f"use block_size = {fits} or fewer, or a coarser time_step "
            f"({est.cells} grid cells)"
        )
    if est.result_bytes > result_budget:
        raise ResourceError(
            f"{src}: campaign.time_step: the result would take about "
            f"{_size(est.result_bytes)} ({est.trials} trials x "
            f"{len(campaign.scenarios)} scenarios x {est.cells} grid cells), more than "
            f"the {_size(result_budget)} budget (the driver holds about {DRIVER_PEAK:g}x "
            f"the result while assembling it, in {_size(machine_memory())} of memory); "
            "use a coarser time_step or fewer trials (RELIABILITY_MAX_RESULT_GB sets the "
            "budget)"
        )
    return est
