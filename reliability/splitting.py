"""Fixed-effort multilevel splitting: rare system failures of any design.

Importance sampling (:mod:`reliability.rare`) needs exponential clocks. Splitting
needs none of that: it runs the per-unit engine itself, so ageing lives, fixed
repairs, spares, servicing and orbit environments are all allowed. The levels are
the failures still needed to bring the system down (d0 with every unit up, 0 when it
is down). Stage i runs ``effort`` trajectories from the states where stage i - 1
reached its level (spread evenly over them, each clone drawing fresh residual lives)
until they reach the next level or the mission ends. With p_i the share that
reached it,

    P(system failure during the mission) = p_1 p_2 ... p_d0,

and a last stage runs ``effort`` clones of the failed states to the mission end, so
that E[unplanned downtime] = P x (their mean downtime). Both are unbiased for a
fixed effort (Garvels 2000; L'Ecuyer, Demers & Tuffin 2007). The levels are fixed
in advance, one per integer of the importance function, so the ties that bias
adaptive splitting on a discrete score (Walter 2015) do not arise; a trajectory that
jumps several levels at once enters the next stage already past its level and counts
as arrived there. Replicates are
independent splitting runs, one per block; their spread gives the confidence
interval, and since each replicate is one estimate, the diagnostics are those of
weights: the effective number of replicates (sum x)^2 / sum x^2 and the largest
replicate's share of the total.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from reliability.engine import PlanArrays, levels, run_stage, state_bytes, trial_keys
from reliability.engine.plan import new_state, pack_plan, row_width
from reliability.stats import mean_ci

__all__ = ["split_replicate", "summarise_split"]

#: Largest memory (bytes) the saved entrance states of one stage may take.
MAX_STATE_BYTES = 2 * 1024**3


def _validate_split(plan: PlanArrays, effort: int) -> None:
    if effort < 2:
        raise ValueError(f"`effort` must be at least 2, got {effort}")
    if np.any(plan.unit_gate):
        # the importance function (failures still needed, _tree.needed) counts units
        raise ValueError(
            "splitting cannot run a design with platforms (group-level failures): its "
            "importance function counts unit failures; use method = 'crude'"
        )
    need = effort * state_bytes(plan)
    if need > MAX_STATE_BYTES:
        raise ValueError(
            f"`effort` = {effort}: the saved states of one stage would take "
            f"{need / 1024**3:.1f} GiB (at most {MAX_STATE_BYTES / 1024**3:.0f}); lower it"
        )


def _spread(rng: np.random.Generator, n_states: int, effort: int) -> np.ndarray:
    """Which entrance state each of ``effort`` clones starts from: every state
    ``effort // n`` times, the remainder on distinct states drawn at random."""
    base, extra = divmod(effort, n_states)
    pick = np.repeat(np.arange(n_states), base)
    if extra:
        pick = np.concatenate([pick, rng.choice(n_states, extra, replace=False)])
    return pick.astype(np.int64)


def split_replicate(
    plan: PlanArrays, seed: np.random.SeedSequence | int, effort: int
) -> dict[str, np.ndarray]:
    """One fixed-effort splitting run.

    Parameters
    ----------
    plan : PlanArrays
        The scenario's plan (any design the per-unit engine runs).
    seed : SeedSequence or int
        Source of every random number of this replicate.
    effort : int
        Trajectories per stage.

    Returns
    -------
    dict
        ``failure`` (1,): the replicate's estimate of P(system failure in the mission);
        ``downtime`` (1,): its estimate of E[unplanned downtime] (h, after warm-up);
        ``level_p`` (levels,): the share of each stage's trajectories that reached the
        next level (NaN after a stage that reached none).

    Examples
    --------
    >>> from reliability.campaign import parse_campaign
    >>> from reliability.system import compile_plan
    >>> c = parse_campaign('''
    ... [campaign]
    ... name = "x"
    ... mission = "100 h"
    ... trials = 1
    ... seed = 1
    ... [units.node]
    ... failures = [{ law = "exponential", mean = "1000 h", repair = "24 h" }]
    ... [cluster]
    ... node = { n = 3, k = 2 }''')
    >>> out = split_replicate(compile_plan(c.base).arrays, 1, effort=200)
    >>> out["level_p"].shape, bool(0 < out["failure"][0] < 0.05)
    ((2,), True)
    """
    _validate_split(plan, effort)
    rng = np.random.default_rng(seed)
    pi, pf = pack_plan(plan)
    si, sf, su = new_state(plan)
    scratch = np.zeros(row_width(plan.n_modes, plan.n_cells))
    d0 = levels(plan)
    level_p = np.full(d0, np.nan)
    states = (si[None, :].copy(), sf[None, :].copy(), su[None, :].copy(), np.zeros(1))
    probability = 1.0
    for stage in range(d0 + 1):
        final = stage == d0
        keys = trial_keys(rng, effort)
        pick = np.zeros(effort, np.int64) if stage == 0 else _spread(rng, len(states[3]), effort)
        out = (
            np.empty((effort, si.size), si.dtype),
            np.empty((effort, sf.size), sf.dtype),
            np.empty((effort, su.size), su.dtype),
            np.empty(effort),
        )
        hit = np.zeros(effort, np.int8)
        downtime = np.zeros(effort)
        run_stage(
            pi, pf, si, sf, su, stage == 0, *states, pick, keys,
            -1 if final else d0 - 1 - stage, *out, hit, downtime, scratch,
        )  # fmt: skip
        if final:
            return {
                "failure": np.array([probability]),
                "downtime": np.array([probability * downtime.mean()]),
                "level_p": level_p,
            }
        reached = hit.astype(bool)
        level_p[stage] = reached.mean()
        probability *= level_p[stage]
        if not reached.any():
            return {"failure": np.zeros(1), "downtime": np.zeros(1), "level_p": level_p}
        states = tuple(a[reached] for a in out)
    raise AssertionError("unreachable")


def summarise_split(replicates: list[dict[str, np.ndarray]], window_h: float) -> dict[str, Any]:
    """Estimates, 95% CIs and diagnostics from independent splitting replicates.

    ``window_h`` is the measured window (mission less warm-up) that turns expected
    downtime into unavailability.
    """
    failure = np.concatenate([r["failure"] for r in replicates])
    downtime = np.concatenate([r["downtime"] for r in replicates])
    unavail = downtime / window_h
    out: dict[str, Any] = {"replicates": len(replicates)}
    for name, x in (("failure_probability", failure), ("unavailability", unavail)):
        e = mean_ci(x)
        out[name] = e.value
        out[f"{name}_low"] = max(0.0, e.low)
        out[f"{name}_high"] = e.high
        out[f"{name}_re"] = e.se / e.value if e.value > 0 else math.inf
    total, squares = unavail.sum(), (unavail**2).sum()
    out["ess"] = total**2 / squares if squares > 0 else 0.0
    out["max_weight_share"] = unavail.max() / total if total > 0 else 1.0
    out["level_p"] = np.nanmean(np.stack([r["level_p"] for r in replicates]), axis=0)
    return out
