"""Resource estimates before a run: memory per block, result size, and refusals.

A campaign that would not fit is refused before anything is launched, with a
message that says which knob to turn (``block_size`` or ``time_step``). The budgets
default to what a worker of a small machine can hold and can be raised with
``RELIABILITY_MAX_BLOCK_MEMORY_GB`` and ``RELIABILITY_MAX_RESULT_GB``.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np

from reliability.campaign import Campaign
from reliability.engine import state_bytes
from reliability.engine.plan import pack_plan
from reliability.engine.spec import OUTPUTS
from reliability.system import SystemPlan, compile_plan

__all__ = ["Estimate", "ResourceError", "check_resources", "estimate"]

_GB = 1024**3


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

    def describe(self) -> str:
        """One line for ``reliability validate``."""
        return (
            f"resources     about {_size(self.block_bytes)} per block on a worker, "
            f"result about {_size(self.result_bytes)} before compression"
        )


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


def estimate(campaign: Campaign, plans: list[SystemPlan] | None = None) -> Estimate:
    """Estimate the memory of one block and the size of the result of ``campaign``."""
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
    return Estimate(int(block), int(result), cells, modes, trials)


def _budget(name: str, default_gb: float) -> float:
    raw = os.environ.get(name)
    if raw is None:
        return default_gb * _GB
    try:
        value = float(raw)
    except ValueError:
        raise ResourceError(f"{name} = {raw!r}: expected a number of GB") from None
    if not math.isfinite(value) or value <= 0:
        raise ResourceError(f"{name} = {raw!r}: expected a positive number of GB")
    return value * _GB


def check_resources(campaign: Campaign, plans: list[SystemPlan] | None = None) -> Estimate:
    """Refuse a campaign whose block or result would not fit; return the estimate."""
    est = estimate(campaign, plans)
    block_budget = _budget("RELIABILITY_MAX_BLOCK_MEMORY_GB", 2.0)
    result_budget = _budget("RELIABILITY_MAX_RESULT_GB", 20.0)
    src = campaign.source
    if est.block_bytes > block_budget:
        per_trial = max(1, (est.block_bytes) // max(campaign.block_size, 1))
        fits = max(1, int(block_budget // per_trial))
        raise ResourceError(
            f"{src}: campaign.block_size = {campaign.block_size}: a block needs about "
            f"{_size(est.block_bytes)}, more than the {_size(block_budget)} budget; "
            f"use block_size = {fits} or fewer, or a coarser time_step "
            f"({est.cells} grid cells)"
        )
    if est.result_bytes > result_budget:
        raise ResourceError(
            f"{src}: campaign.time_step: the result would take about "
            f"{_size(est.result_bytes)} ({est.trials} trials x "
            f"{len(campaign.scenarios)} scenarios x {est.cells} grid cells), more than "
            f"the {_size(result_budget)} budget; use a coarser time_step or fewer trials "
            "(RELIABILITY_MAX_RESULT_GB raises the budget)"
        )
    return est
